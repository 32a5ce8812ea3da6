/**
 * Serves the merchant console (web/console, built by scripts/build.js into dist/console) under /admin:
 * hashed assets cached for a year, the page itself never cached, and every other /admin path answered
 * with the page (the console routes in the browser). Each page carries a fresh CSP nonce: the build
 * leaves a placeholder on its tags and in <meta property="csp-nonce">, where antd's CSS-in-JS reads it
 * for the <style> elements it inserts, so neither scripts nor styles need 'unsafe-inline'. Without a
 * build (a development checkout before `npm run build`) /admin says so with a 503.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { type Router } from 'express';
import { PROJECT_ROOT } from '../core/config.ts';

/** What web/console/vite.config.ts stamps where the nonce goes. */
const NONCE_PLACEHOLDER = '__GUANG_CSP_NONCE__';
const YEAR_S = 31_536_000;

const csp = (nonce: string) =>
  [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    // Product pictures live on the merchants' own CDNs (https only: an http picture on the console would be mixed content).
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

const MISSING = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>商家后台未构建</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto;padding:0 1em">
<h1>商家后台尚未构建</h1><p>服务器找不到后台页面（dist/console）。请在项目目录运行 <code>npm run build</code>，然后刷新本页。</p>
<p lang="en">The merchant console is not built: run <code>npm run build</code> in the project, then reload.</p></body></html>`;

export interface ConsoleOptions {
  /** The built console (default dist/console under the package root). */
  readonly dir?: string;
}

/** @example app.use('/admin', consolePages()); */
export function consolePages(options: ConsoleOptions = {}): Router {
  const dir = options.dir ?? path.join(PROJECT_ROOT, 'dist', 'console');
  const router = express.Router();
  // Vite names every asset by its content hash: a changed file is a new URL, so browsers may keep these forever.
  router.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: YEAR_S * 1000, index: false, fallthrough: true, etag: false }));
  router.use('/assets', (_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  router.get('/{*rest}', async (_req, res, next) => {
    let page: string;
    try {
      // Read per request (a few hundred bytes): a rebuild while the server runs is picked up at once.
      page = await readFile(path.join(dir, 'index.html'), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return next(err);
      res.status(503).set({ 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" }).type('html').send(MISSING);
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    res
      .set({ 'Cache-Control': 'no-cache', 'Content-Security-Policy': csp(nonce), 'Referrer-Policy': 'same-origin' })
      .type('html')
      .send(page.replaceAll(NONCE_PLACEHOLDER, nonce));
  });
  return router;
}
