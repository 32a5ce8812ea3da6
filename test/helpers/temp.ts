import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { atFileEnd } from './file-end.ts';

/** A fresh directory for this test file's SQLite files, removed when the file's tests finish. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-test-'));
  atFileEnd(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let n = 0;
/** A path for a new SQLite file in a temp directory. */
export function tempDbPath(dir = tempDir()): string {
  return path.join(dir, `t${++n}.db`);
}
