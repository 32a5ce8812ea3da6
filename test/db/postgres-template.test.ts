/**
 * The storage suites' PostgreSQL databases are copies of a template migrated once (test/helpers/postgres.ts):
 * a copy must be what openDatabase makes of an empty database — every migration applied, found up to date — yet
 * carry no secret key of its own, so each copy's key check is made by the suite that opens it.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/db/migrations.ts';
import { openDatabase } from '../../src/db/open.ts';
import { migratePostgres, postgresSchemaVersion } from '../../src/db/postgres/migrate.ts';
import { createPgPool } from '../../src/db/postgres/pool.ts';
import { migratedDatabase, noPostgres } from '../helpers/postgres.ts';

describe.skipIf(noPostgres)('a database copied from the migrated template', () => {
  it('is at the latest schema, which a migration run finds up to date, with no secret key stored', async () => {
    const { url, drop } = await migratedDatabase();
    const pool = createPgPool(url, 1);
    try {
      expect(await postgresSchemaVersion(pool)).toBe(MIGRATIONS.length);
      expect(await migratePostgres(pool)).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length });
      expect((await pool.query('SELECT count(*)::int AS n FROM secret_keys')).rows).toEqual([{ n: 0 }]);
    } finally {
      await pool.end();
      await drop();
    }
  });

  it('is a copy of its own: two copies opened with different keys each keep theirs', async () => {
    const [a, b] = await Promise.all([migratedDatabase(), migratedDatabase()]);
    const [keyA, keyB] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    try {
      await (await openDatabase(a.url, { secretKey: keyA, poolSize: 1 })).sql.close();
      await (await openDatabase(b.url, { secretKey: keyB, poolSize: 1 })).sql.close();
      await expect(openDatabase(a.url, { secretKey: keyB, poolSize: 1 })).rejects.toThrow(/not the key/);
      const again = await openDatabase(a.url, { secretKey: keyA, poolSize: 1 });
      await again.sql.run('UPDATE catalogue_rev SET rev = 7');
      await again.sql.close();
      const other = createPgPool(b.url, 1);
      expect((await other.query('SELECT rev FROM catalogue_rev')).rows).toEqual([{ rev: 0 }]);
      await other.end();
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
  });
});
