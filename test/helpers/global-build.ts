/**
 * Vitest's global setup: the build (server and console) is brought up to date once, before any test file
 * starts — the only place the tests build: two concurrent builds would share dist.next/ and one would swap a
 * build in under another file's running server. (The browser test files used to check again each, a no-op
 * that cost every file a Node start and a walk of src/.)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function buildOnce(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  const build = spawnSync(process.execPath, ['scripts/build.js', '--if-stale'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`scripts/build.js --if-stale failed:\n${build.stderr}`);
}
