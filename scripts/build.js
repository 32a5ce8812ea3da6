#!/usr/bin/env node
/**
 * Compiles src/ into dist/ with tsc (tsconfig.build.json): what `guang` runs in production; and bundles the
 * merchant console (web/console, React + Ant Design) with Vite into dist/console/, which the server serves
 * under /admin.
 *
 *   node scripts/build.js             build now
 *   node scripts/build.js --if-stale  build only when a source is newer than the last build (npm's
 *                                     prepare, prestart and prebench hooks run this)
 *
 * The new build is written beside dist/ and swapped in only when tsc and Vite both succeed, so a failed
 * build never leaves a half-written dist/ behind. Plain JavaScript: it runs before anything else is compiled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.built');
const CONSOLE = path.join(ROOT, 'web', 'console');
const INPUTS = [path.join(ROOT, 'src'), CONSOLE, path.join(ROOT, 'tsconfig.json'), path.join(ROOT, 'tsconfig.build.json')];

/** The newest modification time among the build's inputs. */
function newestInput() {
  let newest = 0;
  const visit = (p) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) visit(path.join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of INPUTS) if (existsSync(p)) visit(p);
  return newest;
}

function isStale() {
  return !existsSync(STAMP) || statSync(STAMP).mtimeMs < newestInput();
}

function find(specifier) {
  try {
    return createRequire(import.meta.url).resolve(specifier);
  } catch {
    return undefined;
  }
}

function build(tsc, vite) {
  const next = path.join(ROOT, 'dist.next');
  rmSync(next, { recursive: true, force: true });
  const steps = [['tsc', [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', next]]];
  // A checkout without the console's sources (an image that copies only src/) still builds the server;
  // /admin then answers 503 saying the console is not built.
  if (existsSync(CONSOLE)) steps.push(['vite', [vite, 'build', CONSOLE, '--outDir', path.join(next, 'console')]]);
  else console.error('guang build: web/console is missing; building the server without the merchant console');
  for (const [name, args] of steps) {
    // Always the production build: a build started from the tests inherits vitest's NODE_ENV=test, which would
    // give React's development bundle (StrictMode's double requests, dev warnings) to the browser tests.
    const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' } });
    if (r.status !== 0) {
      rmSync(next, { recursive: true, force: true });
      console.error(`guang build: ${name} failed; dist/ is unchanged`);
      return 1;
    }
  }
  writeFileSync(path.join(next, '.built'), `${new Date().toISOString()}\n`);
  rmSync(DIST, { recursive: true, force: true });
  renameSync(next, DIST);
  return 0;
}

const ifStale = process.argv.includes('--if-stale');
if (ifStale && !isStale()) process.exit(0);
const tsc = find('typescript/bin/tsc');
// Vite's exports do not include its bin: find the package, then the bin it declares.
const vitePackage = find('vite/package.json');
const vite = vitePackage && path.join(path.dirname(vitePackage), 'bin', 'vite.js');
if (!tsc || !vite) {
  // An install without dev dependencies cannot compile: say so, and let an existing build run.
  const what = existsSync(STAMP) ? 'dist/ may be older than src/' : 'there is no dist/, so `guang` cannot run';
  console.error(`guang build: TypeScript or Vite is not installed (dev dependencies omitted); ${what}. Build with \`npm ci && npm run build\` first.`);
  process.exit(ifStale ? 0 : 1);
}
process.exit(build(tsc, vite));
