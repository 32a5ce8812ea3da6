/**
 * Issue 10, item 4 (start-up): a database that cannot be opened or written stops `guang serve` with one
 * clear line naming GUANG_DB and what to do, exit code 1, no stack trace. Tests run as root, which ignores
 * file permissions, so the paths fail for root too: under /proc (nothing can be created there), a
 * directory, and a database file made immutable (chattr +i).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/db.ts';
import { guang } from '../helpers/process.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();
const started: ReturnType<typeof guang>[] = [];
// At collection: the helper's own hook is registered inside a test, where it never runs.
afterAll(() => {
  for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
});

async function serveFails(db: string) {
  const p = guang(['serve'], { PORT: '0', GUANG_DB: db, WECHAT_TOKEN: 'tok12345', GUANG_SIMULATOR: 'on' });
  started.push(p);
  const code = await p.exited();
  return { code, stderr: p.stderr().trim(), stdout: p.stdout() };
}

function expectOneClearLine(r: { code: number | null; stderr: string }, db: string, what: RegExp) {
  expect(r.code).toBe(1);
  const lines = r.stderr.split('\n').filter((l) => l.trim());
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`GUANG_DB=${db}`);
  expect(lines[0]).toMatch(what);
  expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
  expect(r.stderr).not.toMatch(/SqliteError/);
}

describe.concurrent('guang serve on a database it cannot use', () => {
  it('names GUANG_DB and says what to do when the directory cannot be created', async () => {
    const db = '/proc/guang-no-such-dir/guang.db';
    expectOneClearLine(await serveFails(db), db, /cannot create the directory \/proc\/guang-no-such-dir .*create it/);
  });

  it('names GUANG_DB and says what to do when the file cannot be opened', async () => {
    const db = '/proc/guang.db';
    expectOneClearLine(await serveFails(db), db, /cannot open the database .*SQLITE_CANTOPEN/);
  });

  it('says so when GUANG_DB names a directory', async () => {
    const db = path.join(dir, 'a-directory');
    mkdirSync(db);
    expectOneClearLine(await serveFails(db), db, /cannot open the database/);
  });

  // chattr +i needs CAP_LINUX_IMMUTABLE and a file system that supports it; skipped where it does not work.
  const db = path.join(dir, 'immutable.db');
  openDb(db).close();
  const immutable = spawnSync('chattr', ['+i', db]).status === 0;
  afterAll(() => {
    if (immutable) spawnSync('chattr', ['-i', db]);
  });
  it.skipIf(!immutable)('says the database is read-only (a file even root cannot write)', async () => {
    expectOneClearLine(await serveFails(db), db, /is read-only .*make the file and its directory writable/);
  });
});
