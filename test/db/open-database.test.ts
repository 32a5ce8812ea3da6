import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseOpenError, secretsOf } from '../../src/db/db.ts';
import { MIGRATIONS } from '../../src/db/migrations.ts';
import { openDatabase } from '../../src/db/open.ts';
import { SecretKeyError } from '../../src/db/secrets.ts';
import { freshDatabase, noPostgres } from '../helpers/postgres.ts';

describe('openDatabase', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('opens a file path as SQLite, its adapter and secrets ready', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'guang-open-'));
    dirs.push(dir);
    const database = await openDatabase(path.join(dir, 'g.db'), { secretKey: null });
    try {
      expect(database.kind).toBe('sqlite');
      expect(database.db).not.toBeNull();
      expect(await database.sql.get('SELECT count(*) AS n FROM accounts')).toEqual({ n: expect.any(Number) });
      const sealed = secretsOf(database.sql).seal('app-secret', 'accounts.app_secret:x');
      expect(secretsOf(database.db!).open(sealed, 'accounts.app_secret:x')).toBe('app-secret');
    } finally {
      await database.sql.close();
    }
  });

  describe.skipIf(noPostgres)('on PostgreSQL', () => {
    const key = randomBytes(32).toString('base64');

    it('migrates a new database and unlocks its secrets with GUANG_SECRET_KEY; another instance agrees', async () => {
      const { url, drop } = await freshDatabase();
      try {
        const first = await openDatabase(url, { secretKey: key, poolSize: 2 });
        const sealed = secretsOf(first.sql).seal('app-secret', 'accounts.app_secret:x');
        expect(first.kind).toBe('postgres');
        expect(await first.sql.get('SELECT version FROM guang_schema')).toEqual({ version: MIGRATIONS.length });
        const second = await openDatabase(url, { secretKey: key, poolSize: 2 });
        expect(secretsOf(second.sql).open(sealed, 'accounts.app_secret:x')).toBe('app-secret');
        await Promise.all([first.sql.close(), second.sql.close()]);
      } finally {
        await drop();
      }
    });

    it('refuses a missing or different key, saying what to set, and changes nothing', async () => {
      const { url, drop } = await freshDatabase();
      try {
        await (await openDatabase(url, { secretKey: key, poolSize: 1 })).sql.close();
        await expect(openDatabase(url, { secretKey: null, poolSize: 1 })).rejects.toThrow(SecretKeyError);
        await expect(openDatabase(url, { secretKey: null, poolSize: 1 })).rejects.toThrow(/GUANG_SECRET_KEY is not set/);
        await expect(openDatabase(url, { secretKey: randomBytes(32).toString('base64'), poolSize: 1 })).rejects.toThrow(/not the key/);
        const again = await openDatabase(url, { secretKey: key, poolSize: 1 });
        await again.sql.close();
      } finally {
        await drop();
      }
    });

    it('says in one line why a server or database cannot be used, with the password hidden', async () => {
      const refused = openDatabase('postgres://guang:hunter2@127.0.0.1:1/guang', { secretKey: key, poolSize: 1 });
      await expect(refused).rejects.toThrow(DatabaseOpenError);
      await expect(refused).rejects.toThrow(/cannot reach the PostgreSQL server of GUANG_DB=postgres:\/\/guang:\*\*\*@127\.0\.0\.1:1\/guang/);
      await expect(refused).rejects.not.toThrow(/hunter2/);
      const { url, drop } = await freshDatabase();
      await drop();
      await expect(openDatabase(url, { secretKey: key, poolSize: 1 })).rejects.toThrow(/does not exist/);
    });
  });
});
