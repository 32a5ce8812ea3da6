/**
 * Push tests: a simulator over real HTTP, a real SQLite file (or the `Sql` given, such as a PostgreSQL database), a
 * manual clock, followers seeded in both. runPushHarness: on the run's database (PostgreSQL in the PostgreSQL pass).
 */
import { accountId, userId } from '../../src/core/messages.ts';
import type { AccountType } from '../../src/core/config.ts';
import { createBroadcastService, type BroadcastServiceOptions } from '../../src/push/service.ts';
import { createSubscriberStore } from '../../src/db/subscribers.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { sqliteSql } from '../../src/db/sql/sqlite.ts';
import { openDatabase } from '../../src/db/open.ts';
import { RUN_DB, runDatabase } from '../helpers/run-database.ts';
import { harness, onCleanup, APP_ID, APP_SECRET, ACCOUNT, HOUR, type Harness } from '../wechat-api/harness.ts';

export { HOUR, START } from '../wechat-api/harness.ts';
export const MIN = 60_000;

export interface PushHarness extends Harness {
  /** Where the push room's data lives: the `Sql` adapter of `db`, or the one given to pushHarness. */
  readonly sql: Sql;
  /** A WeChat follower who wrote `hoursAgo` hours ago (null: never), known to the simulator. */
  follower(openid: string, opts?: { hoursAgo?: number | null; optedOut?: boolean; unfollowed?: boolean; channel?: 'wechat' | 'wechaty'; tags?: string[] }): Promise<void>;
  service(overrides?: Partial<BroadcastServiceOptions>): ReturnType<typeof createBroadcastService>;
  delivered(openid?: string): number;
  /** Another process's adapter on the same database (SQLite: a second connection to the file). */
  anotherProcess(): Promise<Sql>;
}

/** @example const h = await pushHarness('service', postgres.sql) — the followers, the push room and the clients' tokens there. */
export async function pushHarness(accountType: AccountType = 'service', on?: Sql): Promise<PushHarness> {
  const h = await harness({ accountType, simulator: { rateLimitPerMinute: 10_000 } });
  const sql = on ?? sqliteSql(h.db);
  const subs = createSubscriberStore(sql);
  const sqliteClient = h.client;
  const client: Harness['client'] = on ? (overrides = {}) => sqliteClient({ db: on, ...overrides }) : sqliteClient;
  // Daytime in Shanghai (10:00), outside quiet hours.
  return Object.assign(h, {
    sql,
    client,
    async follower(openid: string, opts: { hoursAgo?: number | null; optedOut?: boolean; unfollowed?: boolean; channel?: 'wechat' | 'wechaty'; tags?: string[] } = {}) {
      const k = { account: ACCOUNT, user: userId(openid), channel: opts.channel ?? 'wechat' };
      const now = h.clock.now();
      await subs.followed(k, null, now - 1000 * HOUR);
      const ago = opts.hoursAgo === undefined ? 1 : opts.hoursAgo;
      if (ago !== null) {
        await subs.messaged(k, now - ago * HOUR);
        h.sim.simulator.recordInteraction(openid, 'message', now - ago * HOUR);
      } else h.sim.simulator.tagFollower(openid, 0); // known to the simulator (mass sends), no window
      if (opts.optedOut) await subs.setOptedOut(k, true, now);
      if (opts.unfollowed) await subs.unfollowed(k, now);
      for (const tag of opts.tags ?? []) await sql.run('INSERT INTO subscriber_tags (account, user_id, tag, created_at) VALUES (?, ?, ?, ?)', [ACCOUNT, openid, tag, now]);
    },
    service(overrides: Partial<BroadcastServiceOptions> = {}) {
      const one = client();
      return createBroadcastService({
        sql, accountType, clock: h.clock, client: () => one,
        sender: { ratePerSecond: 0, retryDelayMs: 1, sleep: async (ms) => h.clock.advance(ms) },
        ...overrides,
      });
    },
    async anotherProcess(): Promise<Sql> {
      if (on) throw new Error('pushHarness: anotherProcess is for the harness\'s own file (runPushHarness opens one on PostgreSQL)');
      return sqliteSql(h.openProcessDb());
    },
    delivered(openid?: string) {
      return h.sim.simulator.deliveries().filter((d) => d.api !== 'preview' && (openid === undefined || d.touser === openid)).length;
    },
  });
}

/**
 * pushHarness on the run's database: its SQLite file by default, a new PostgreSQL database (closed after the test)
 * in the PostgreSQL pass. Read and seed through `h.sql`; `h.db` is SQLite's only.
 */
export async function runPushHarness(accountType: AccountType = 'service'): Promise<PushHarness> {
  if (RUN_DB === 'sqlite') return pushHarness(accountType);
  const database = await runDatabase();
  const open = async () => {
    const { sql } = await openDatabase(database.dbPath, { secretKey: database.env.GUANG_SECRET_KEY! });
    onCleanup(() => sql.close());
    return sql;
  };
  return Object.assign(await pushHarness(accountType, await open()), { anotherProcess: open });
}

export const text = (content: string, extra: Record<string, unknown> = {}) => ({
  name: 'test', message: { type: 'text', content }, audience: { all: true }, channel: 'custom', ...extra,
});
export { APP_ID, APP_SECRET, ACCOUNT, accountId };
