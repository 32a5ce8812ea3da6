/**
 * `guang backup FILE`: a copy of the database taken while another process keeps writing is a valid database
 * holding every row committed before the backup started; existing files are kept unless --force; a missing
 * database is one line and exit 1; the copy restores (guang opens it, secrets and all).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/db/migrations.ts';
import { openDb } from '../../src/db/db.ts';
import { guang, ROOT } from '../helpers/process.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();
let n = 0;
const fresh = (name: string) => path.join(dir, `${++n}-${name}`);

async function run(args: string[], env: Record<string, string> = {}) {
  const p = guang(args, env);
  const code = await p.exited();
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** A Guang database (migrated, as `guang serve` leaves it) with a table the writer fills, 1, 2, 3… */
function database(rows: number): string {
  const file = fresh('guang.db');
  const db = openDb(file);
  db.exec('CREATE TABLE probe (n INTEGER PRIMARY KEY, pad BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO probe (n, pad) VALUES (?, randomblob(1024))');
  db.transaction(() => {
    for (let i = 1; i <= rows; i++) insert.run(i);
  })();
  db.close();
  return file;
}

/** Another process committing one row per transaction, as a busy server would, until told to stop. */
function writer(file: string) {
  const code = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare('INSERT INTO probe (n, pad) VALUES (?, randomblob(1024))');
    let next = db.prepare('SELECT max(n) AS n FROM probe').get().n + 1;
    let stop = false;
    process.on('SIGTERM', () => { stop = true; });
    const step = () => {
      if (stop) { db.close(); process.stdout.write(String(next - 1)); process.exit(0); }
      insert.run(next++);
      if (next % 50 === 0) process.stderr.write('.');
      setImmediate(step);
    };
    step();`;
  const child = spawn(process.execPath, ['-e', code, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const firstWrites = new Promise((resolve) => child.stderr.once('data', resolve));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return {
    firstWrites,
    async stop() {
      child.kill('SIGTERM');
      return { code: await exited, last: Number(out) };
    },
  };
}

const count = (db: Database.Database, sql: string) => (db.prepare(sql).get() as { n: number }).n;

describe('guang backup', () => {
  it('copies the database while another process writes: a valid file with every row committed before it began', async () => {
    const file = database(20_000); // ~20 MB: the copy takes a while, and the writer commits throughout
    const w = writer(file);
    await w.firstWrites;
    const live = new Database(file, { readonly: true });
    const before = count(live, 'SELECT max(n) AS n FROM probe');
    live.close();

    const target = fresh('copy.db');
    const r = await run(['backup', target], { GUANG_DB: file });
    const stopped = await w.stop();
    expect(r.code, r.stderr).toBe(0);
    expect(stopped.code).toBe(0); // the writer was never refused (SQLITE_BUSY) while the backup ran
    expect(stopped.last).toBeGreaterThan(before);

    const copy = new Database(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    // Every row committed before the backup, and a snapshot: rows 1…max with no gap.
    expect(count(copy, `SELECT count(*) AS n FROM probe WHERE n <= ${before}`)).toBe(before);
    expect(count(copy, 'SELECT count(*) AS n FROM probe')).toBe(count(copy, 'SELECT max(n) AS n FROM probe'));
    copy.close();
    expect(r.stdout).toContain(`${target}: `);
    expect(r.stdout).toContain(`${statSync(target).size.toLocaleString('en-US')} bytes`);
  }, 120_000);

  it('writes one self-contained file, readable by its owner only', async () => {
    const target = fresh('single.db');
    expect((await run(['backup', target, '--db', database(10)])).code).toBe(0);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const copy = new Database(target, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    expect(readdirSync(dir).filter((f) => f.includes('single.db'))).toEqual([path.basename(target)]);
  });

  it('refuses to overwrite FILE unless --force', async () => {
    const db = database(10);
    const target = fresh('taken.db');
    writeFileSync(target, 'keep me');
    const refused = await run(['backup', target], { GUANG_DB: db });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/already exists \(--force replaces it\)/)]);
    expect(readFileSync(target, 'utf8')).toBe('keep me');

    const forced = await run(['backup', target, '--force'], { GUANG_DB: db });
    expect(forced.code, forced.stderr).toBe(0);
    const copy = new Database(target, { readonly: true });
    expect(count(copy, 'SELECT count(*) AS n FROM probe')).toBe(10);
    copy.close();
  }, 60_000);

  it('says in one line that the database is missing, exits 1 and writes nothing', async () => {
    const target = fresh('none.db');
    const r = await run(['backup', target], { GUANG_DB: path.join(dir, 'no-such.db') });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^guang backup: there is no database at .*no-such\.db/)]);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('points a PostgreSQL database to pg_dump, with the password hidden, and writes nothing', async () => {
    const target = fresh('pg.db');
    const r = await run(['backup', target], { GUANG_DB: 'postgres://guang:s3cret-pass@db.internal:5432/guang' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pg_dump');
    expect(r.stderr).toContain('postgres://guang:***@db.internal:5432/guang');
    expect(r.stderr).not.toContain('s3cret-pass');
    expect(existsSync(target)).toBe(false);
  });

  it('restores: the copy put in place of the database opens with its key file, with the data it held', async () => {
    const db = fresh('shop.db');
    expect((await run(['stores', 'add', 'sh-01', '--name', '静安店'], { GUANG_DB: db })).code).toBe(0);
    const target = fresh('shop-backup.db');
    const r = await run(['backup', target], { GUANG_DB: db });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${db}.key`); // the secrets' key is not in the copy: the note says which file to keep

    const restored = fresh('restored.db');
    copyFileSync(target, restored);
    copyFileSync(`${db}.key`, `${restored}.key`);
    const listed = await run(['stores', 'list'], { GUANG_DB: restored });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('sh-01 「静安店」');
  }, 60_000);
});
