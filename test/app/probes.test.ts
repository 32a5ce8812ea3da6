/**
 * What /healthz and /readyz say about the process and its database: the role, the database's kind, its schema
 * version and whether the probe's write went through; where the database is only on the private metrics port.
 * On a server over a SQLite file and one over a PostgreSQL database (each reads its version its own way).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseFacts } from '../../src/app/database-facts.ts';
import { MIGRATIONS } from '../../src/db/migrations.ts';
import { serverDatabases } from '../helpers/databases.ts';
import { testServer } from '../helpers/server.ts';
import { tempDbPath } from '../helpers/temp.ts';

const json = async (url: string) => {
  const res = await fetch(url);
  return [res.status, await res.json()] as const;
};
const suites = await Promise.all((await serverDatabases()).map(async (database) => ({ database, server: await testServer({ dbPath: database.dbPath, env: database.env }) })));

for (const { database, server } of suites) {
  const kind = database.name;
  // Where the database is (the file's path, or the URL without its password), and its name.
  const where = databaseFacts(database.dbPath).location;
  const name = kind === 'sqlite' ? path.basename(database.dbPath) : new URL(database.dbPath).pathname.slice(1);

  describe(`the public port (${kind})`, () => {
    it('/readyz says the role, the database kind, its schema version and that the write succeeded', async () => {
      expect(await json(`${server.url}/readyz`)).toEqual([200, { status: 'ready', role: 'all', database: { kind, schemaVersion: MIGRATIONS.length, write: 'ok' } }]);
    });

    it('never says where the database is: anyone may ask it', async () => {
      for (const p of ['/healthz', '/readyz']) {
        const body = await (await fetch(`${server.url}${p}`)).text();
        expect(body).not.toContain(name);
        expect(body).not.toContain('location');
      }
    });
  });

  describe(`the metrics port (${kind})`, () => {
    it('adds where the database is, for the operator', async () => {
      const [, ready] = await json(`${server.metricsUrl}/readyz`);
      expect(ready).toMatchObject({ status: 'ready', database: { kind, location: where, schemaVersion: MIGRATIONS.length, write: 'ok' } });
    });
  });
}

describe('a database that refuses writes', () => {
  it('answers 503 with write: failed, and still the schema version it reads', async () => {
    // SQLite's query_only pragma makes the refusal: on a SQLite file whatever the run.
    const s = await testServer({ dbPath: tempDbPath() });
    s.db.pragma('query_only = ON'); // writes now fail, reads still answer
    const [status, body] = await json(`${s.url}/readyz`);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'database not writable', role: 'all', database: { kind: 'sqlite', write: 'failed', schemaVersion: s.db.pragma('user_version', { simple: true }) } });
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200); // alive, only not ready
    s.db.pragma('query_only = OFF');
  });
});

describe('databaseFacts', () => {
  it('hides a PostgreSQL password', () => {
    const facts = databaseFacts('postgres://guang:s3cret-pw@db.internal:5432/guang');
    expect(facts).toEqual({ kind: 'postgres', location: 'postgres://guang:***@db.internal:5432/guang' });
  });

  it('names a SQLite file by its absolute path', () => {
    expect(databaseFacts('data/guang.db')).toEqual({ kind: 'sqlite', location: path.resolve('data/guang.db') });
  });
});
