/**
 * The merchant console's build: served by the server under /admin (src/web/console.ts), so every asset
 * URL starts with /admin/. `html.cspNonce` makes Vite stamp a placeholder nonce on its tags and a
 * <meta property="csp-nonce"> the server fills in per response: antd's CSS-in-JS reads it for the
 * <style> elements it inserts, so the CSP needs no 'unsafe-inline'.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built with the console folder as Vite's root: `vite build web/console` (scripts/build.js).

export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  // The server replaces this placeholder (src/web/console.ts: NONCE_PLACEHOLDER) with a fresh nonce.
  html: { cspNonce: '__GUANG_CSP_NONCE__' },
  build: {
    emptyOutDir: true,
    // antd alone is past Vite's default warning size; echarts is split off by its dynamic import.
    chunkSizeWarningLimit: 1500,
  },
  logLevel: 'warn',
});
