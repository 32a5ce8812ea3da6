/**
 * `/api/docs`: the API reference, Swagger UI over `/api/openapi.json`. Every asset is served from the
 * swagger-ui-dist package on this server (no CDN), and only the few the page loads: the package's own
 * index.html and swagger-initializer.js would load the petstore example, so our page and initializer
 * replace them. Public like the document; the token goes in Swagger UI's "Authorize" and stays in the page.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';
import { html } from '../web/html.ts';

/** What the page loads from the package; anything else in it (source maps, the petstore initializer) is 404. */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png']);

/**
 * Only this server: scripts, styles, images (and Swagger UI's inline SVG icons as data: URLs), and the calls
 * "Try it out" makes. Nothing inline runs, nothing frames the page.
 */
const HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
};

/**
 * The initializer: the document's URL comes from the page (a data attribute), not from code, so the script
 * is static and the CSP needs no inline script. "Try it out" calls the server the page came from: the
 * document's `servers` names the public URL, which the CSP (connect-src 'self') would refuse when the page is
 * opened another way (localhost, a tunnel). BaseLayout: no top bar that would load any other URL.
 */
const INITIALIZER = `window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  fetch(root.getAttribute('data-url'), { headers: { accept: 'application/json' } })
    .then(function (res) {
      if (!res.ok) throw new Error('the API document answered ' + res.status);
      return res.json();
    })
    .then(function (spec) {
      spec.servers = [{ url: location.origin, description: 'this server' }];
      window.ui = SwaggerUIBundle({
        spec: spec,
        dom_id: '#swagger-ui',
        deepLinking: true,
        presets: [SwaggerUIBundle.presets.apis],
        layout: 'BaseLayout',
        validatorUrl: null,
      });
    })
    .catch(function (err) {
      root.textContent = 'Could not load the API document: ' + err.message;
    });
});
`;

const page = (docs: string, document: string) => html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Guang admin API</title>
<link rel="stylesheet" href="${docs}/swagger-ui.css">
<link rel="icon" type="image/png" href="${docs}/favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="${docs}/favicon-16x16.png" sizes="16x16">
</head><body>
<div id="swagger-ui" data-url="${document}"></div>
<script src="${docs}/swagger-ui-bundle.js"></script>
<script src="${docs}/initializer.js"></script>
</body></html>
`.value;

/** The swagger-ui-dist folder (resolved, not imported: its main module loads the whole bundle into Node). */
function distDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('swagger-ui-dist/package.json'));
}

/**
 * The reference page and its assets, mounted at `docs` under the API; the document is `../openapi.json`.
 * @example router.use('/docs', apiDocs());
 */
export function apiDocs(): Router {
  const router = express.Router();
  const assets = express.static(distDir(), { index: false, fallthrough: false, maxAge: '1h' });
  router.use((_req, res, next) => {
    res.set(HEADERS);
    next();
  });
  router.get('/', (req, res) => {
    // Absolute paths from where the router is mounted: /api/docs and /api/docs/ both load the same assets.
    res.type('html').send(page(req.baseUrl, `${path.posix.dirname(req.baseUrl)}/openapi.json`));
  });
  router.get('/initializer.js', (_req, res) => {
    res.type('text/javascript').send(INITIALIZER);
  });
  router.use((req, res, next) => {
    if (ASSETS.has(req.path.slice(1))) return assets(req, res, next);
    res.status(404).json({ error: { code: 'not_found', message: `no ${req.baseUrl}${req.path}; the reference is ${req.baseUrl}` } });
  });
  return router;
}
