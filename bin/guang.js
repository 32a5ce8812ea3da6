#!/usr/bin/env node
// The `guang` command: runs the compiled build in dist/, which `npm install` / `npm ci` make (`npm run build`
// remakes it). Development and tests run the TypeScript sources instead: `node bin/run-ts.js src/cli.ts`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('guang: the compiled build (dist/) is missing: run `npm run build` (it needs the dev dependencies: `npm ci`)');
  process.exit(1);
}
await import(entry.href);
