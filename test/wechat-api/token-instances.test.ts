/**
 * The access token with several instances on one database (issue 18): one refresher per account, whichever
 * instances ask, on SQLite (processes sharing the file) and on PostgreSQL (instances sharing the server).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.ts';
import { accountId } from '../../src/core/messages.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { createTokenStore } from '../../src/wechat-api/token-store.ts';
import { DATABASES, type OpenedDatabase } from '../helpers/databases.ts';

const ACCOUNT = accountId('default');

describe.each(DATABASES)('the access token across instances on $name', (database) => {
  let opened: OpenedDatabase;
  let instances: Sql[];
  beforeEach(async () => {
    if (database.skip) return;
    opened = await database.open();
    instances = [opened.sql, await opened.another(), await opened.another()];
  });
  afterEach(async () => {
    if (!database.skip) await opened.close();
  });

  /** A platform whose token endpoint answers after `ms` and hands out token-1, token-2, … */
  const platform = (ms: number) => {
    let fetches = 0;
    return {
      fetches: () => fetches,
      fetchToken: async () => {
        const n = ++fetches;
        await new Promise((r) => setTimeout(r, ms));
        return { token: `token-${n}`, expiresInSeconds: 7200 };
      },
    };
  };

  it.skipIf(database.skip)('is fetched once when three instances need it at the same moment, and again once when it expires', async () => {
    const clock = manualClock(Date.UTC(2026, 11, 4, 2));
    const p = platform(30);
    const stores = instances.map((sql) => createTokenStore({ db: sql, account: ACCOUNT, clock, pollMs: 5, recheckMs: 0, fetchToken: p.fetchToken }));
    const first = await Promise.all(stores.flatMap((s) => [s.get(), s.get()]));
    expect(new Set(first)).toEqual(new Set(['token-1']));
    expect(p.fetches()).toBe(1);
    clock.advance(7200_000);
    const second = await Promise.all(stores.map((s) => s.get()));
    expect(new Set(second)).toEqual(new Set(['token-2']));
    expect(p.fetches()).toBe(2);
  });

  it.skipIf(database.skip)('is refreshed once when every instance sees the platform reject it', async () => {
    const clock = manualClock(Date.UTC(2026, 11, 4, 2));
    const p = platform(10);
    const stores = instances.map((sql) => createTokenStore({ db: sql, account: ACCOUNT, clock, pollMs: 5, recheckMs: 0, fetchToken: p.fetchToken }));
    expect(await stores[0]!.get()).toBe('token-1');
    // All three were told 40001 about token-1 at once; only the first invalidation may throw it away.
    await Promise.all(stores.map((s) => s.invalidate('token-1')));
    expect(new Set(await Promise.all(stores.map((s) => s.get())))).toEqual(new Set(['token-2']));
    // A late invalidation of the old token leaves the new one alone.
    await stores[2]!.invalidate('token-1');
    expect(await stores[1]!.get()).toBe('token-2');
    expect(p.fetches()).toBe(2);
  });

  it.skipIf(database.skip)('is taken over by another instance when the refresher dies holding the lease', async () => {
    const clock = manualClock(Date.UTC(2026, 11, 4, 2));
    const p = platform(0);
    // An instance that took the lease and died: its row says so, with a lease that lapses.
    await opened.sql.run('INSERT INTO access_tokens (account, lease_owner, lease_until, updated_at) VALUES (?, ?, ?, ?)', [
      ACCOUNT, 'dead-instance', clock.now() + 1_000, clock.now(),
    ]);
    const store = createTokenStore({ db: instances[1]!, account: ACCOUNT, clock, pollMs: 5, recheckMs: 0, maxWaitMs: 5_000, fetchToken: p.fetchToken,
      sleep: async (ms) => { clock.advance(ms * 100); await new Promise((r) => setTimeout(r, 1)); } });
    expect(await store.get()).toBe('token-1');
    expect(p.fetches()).toBe(1);
  });
});
