/**
 * What /healthz and /readyz say about the process and its database: the role, the database's kind, its schema
 * version and whether the probe's write went through; where the database is only on the private metrics port.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseFacts } from '../../src/app/database-facts.ts';
import { testServer } from '../helpers/server.ts';

const server = await testServer();
const json = async (url: string) => {
  const res = await fetch(url);
  return [res.status, await res.json()] as const;
};
const version = () => server.db.pragma('user_version', { simple: true }) as number;

describe('the public port', () => {
  it('/readyz says the role, the database kind, its schema version and that the write succeeded', async () => {
    expect(await json(`${server.url}/readyz`)).toEqual([200, { status: 'ready', role: 'all', database: { kind: 'sqlite', schemaVersion: version(), write: 'ok' } }]);
  });

  it('never says where the database is: anyone may ask it', async () => {
    for (const p of ['/healthz', '/readyz']) {
      const body = await (await fetch(`${server.url}${p}`)).text();
      expect(body).not.toContain(path.basename(server.db.name));
      expect(body).not.toContain('location');
    }
  });
});

describe('the metrics port', () => {
  it('adds the database file, for the operator', async () => {
    const [, ready] = await json(`${server.metricsUrl}/readyz`);
    expect(ready).toMatchObject({ status: 'ready', database: { kind: 'sqlite', location: server.db.name, schemaVersion: version(), write: 'ok' } });
  });
});

describe('a database that refuses writes', () => {
  it('answers 503 with write: failed, and still the schema version it reads', async () => {
    const s = await testServer();
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
