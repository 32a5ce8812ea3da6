/**
 * How /admin serves the merchant console, over real HTTP on loopback, from a stand-in build: the page with
 * a fresh CSP nonce and never cached, hashed assets cached for good, every other /admin path answered with
 * the page, and a 503 that says what to do when there is no build.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consolePages } from '../../src/web/console.ts';
import { tempDir } from '../helpers/temp.ts';

const PAGE = `<!doctype html><html><head><meta property="csp-nonce" nonce="__GUANG_CSP_NONCE__">
<script type="module" crossorigin src="/admin/assets/index-abc123.js" nonce="__GUANG_CSP_NONCE__"></script></head><body><div id="root"></div></body></html>`;

async function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use('/admin', consolePages({ dir }));
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found' } });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the console under /admin', () => {
  let built: Awaited<ReturnType<typeof serve>>;
  let missing: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), PAGE);
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    built = await serve(dir);
    missing = await serve(path.join(dir, 'no-such-build'));
  });
  afterAll(async () => {
    await built?.close();
    await missing?.close();
  });

  it('serves the page with a fresh nonce on its tags and in its CSP, and never from cache', async () => {
    const nonces = [];
    for (const at of ['/admin', '/admin/']) {
      const res = await fetch(built.url + at);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy')!;
      const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      const body = await res.text();
      expect(body).not.toContain('__GUANG_CSP_NONCE__');
      expect(body.split(`nonce="${nonce}"`)).toHaveLength(3);
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('caches a hashed asset for a year, as immutable', async () => {
    const res = await fetch(`${built.url}/admin/assets/index-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe('console.log(1)');
  });

  it('answers a missing asset with a 404, not with the page', async () => {
    const res = await fetch(`${built.url}/admin/assets/index-gone.js`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<html');
  });

  it('answers any other /admin path with the page, for the console to route', async () => {
    for (const at of ['/admin/overview', '/admin/rules/12', '/admin/%E8%AE%BE%E7%BD%AE']) {
      const res = await fetch(built.url + at);
      expect(res.status, at).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it('leaves paths outside /admin and other methods to the rest of the server', async () => {
    expect((await fetch(`${built.url}/administrator`)).status).toBe(404);
    expect((await fetch(`${built.url}/admin/overview`, { method: 'POST' })).status).toBe(404);
  });

  it('says how to build the console when there is no build, with a 503', async () => {
    for (const at of ['/admin', '/admin/overview']) {
      const res = await fetch(missing.url + at);
      expect(res.status).toBe(503);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await res.text();
      expect(body).toContain('商家后台尚未构建');
      expect(body).toContain('npm run build');
    }
  });
});
