/**
 * Vitest's global setup: the build (server and console) is brought up to date once, before any test file
 * starts. The console's browser test files each check again (scripts/build.js --if-stale, then a no-op), but
 * never build at the same time: two concurrent builds would share dist.next/ and one would swap a build in
 * under another file's running server.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function buildOnce(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  const build = spawnSync(process.execPath, ['scripts/build.js', '--if-stale'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`scripts/build.js --if-stale failed:\n${build.stderr}`);
}
