/**
 * The per-follower rate limit shared by every instance on one PostgreSQL database: the same token bucket as
 * follower-limit.ts (a burst, then one message every `refillMs`, one notice, retries not charged again), kept in
 * `follower_buckets` instead of a process's memory, so a fleet of N instances behind a load balancer allows a
 * follower the burst once, not N times.
 *
 * One statement, one round trip per counted delivery: an upsert that refills the bucket, takes a token, decides
 * the notice and remembers the charged delivery, and returns what it decided. The row is locked by the upsert, so
 * two instances taking at once take turns on it: they cannot both get the last token. Each instance's clock
 * stamps its takes; a clock a little behind another never refills the bucket twice (`at` only moves forward).
 *
 * When the database cannot answer, the message is admitted (the generous side: the agent itself will wait for
 * the database or fail on its own), and that is logged once per failing burst, not once per message.
 */
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/log.ts';
import type { Sql } from '../../db/sql/sql.ts';
import { RETRY_WINDOW_MS, type FollowerAdmission, type FollowerLimiter, type FollowerLimits } from './follower-limit.ts';

/**
 * The charged deliveries a bucket remembers at most (the newest): the retry window holds burst + 30 s of refills,
 * 40 at the defaults; a tiny refill interval must not grow a row without end.
 */
const MAX_CHARGED = 64;
/** Failures this close together are one burst (logged once). */
const QUIET_MS = 10_000;
/**
 * A bucket untouched this long is full again at any usual refill rate: its row can go (a bucket forgotten early
 * starts full, the generous side, as in memory).
 */
const IDLE_MS = 3600_000;

/*
 * The new row: a full bucket less the token taken. On a conflict the bucket is the locked row `b`, `excluded` the
 * proposed one (its `at` is now, its `charged` this delivery at now). `s` is the bucket refilled up to now, and
 * whether this delivery is a retry of one charged within the window (then nothing changes but the outcome).
 * `charged` is a JSON object, dedup key → ms charged: a retry is recognised even after newer deliveries.
 */
const TAKE = `
INSERT INTO follower_buckets AS b (account, user_id, tokens, at, noticed, outcome, charged)
VALUES (?, ?, CAST(? AS double precision), CAST(? AS bigint), 0, 'admit', jsonb_build_object(CAST(? AS text), CAST(? AS bigint))::text)
ON CONFLICT (account, user_id) DO UPDATE SET (tokens, at, noticed, outcome, charged) = (
  SELECT
    CASE WHEN s.retry THEN b.tokens WHEN s.tokens >= 1 THEN s.tokens - 1 ELSE s.tokens END,
    CASE WHEN s.retry THEN b.at ELSE GREATEST(b.at, excluded.at) END,
    CASE WHEN s.retry THEN b.noticed WHEN s.tokens >= 1 THEN 0 ELSE 1 END,
    CASE WHEN s.retry OR s.tokens >= 1 THEN 'admit' WHEN b.noticed = 1 THEN 'drop' ELSE 'notice' END,
    CASE WHEN s.retry OR s.tokens < 1 THEN b.charged ELSE (
      SELECT (COALESCE(jsonb_object_agg(k, v), '{}'::jsonb) || excluded.charged::jsonb)::text
      FROM (
        SELECT k, v FROM jsonb_each(b.charged::jsonb) AS e (k, v)
        WHERE CAST(v AS bigint) > excluded.at - ${RETRY_WINDOW_MS}
        ORDER BY CAST(v AS bigint) DESC LIMIT ${MAX_CHARGED - 1}
      ) AS kept
    ) END
  FROM (
    SELECT LEAST(CAST(? AS double precision), b.tokens + CAST(GREATEST(0, excluded.at - b.at) AS double precision) / CAST(? AS double precision)) AS tokens,
           COALESCE(CAST(b.charged::jsonb ->> CAST(? AS text) AS bigint) > excluded.at - ${RETRY_WINDOW_MS}, false) AS retry
  ) AS s
)
RETURNING outcome`;

/**
 * @example
 * const limiter = createSharedFollowerLimiter(sql, FOLLOWER_LIMITS, clock, logger);
 * if ((await limiter.take(inbound.account, inbound.user, inbound.dedupKey)) !== 'admit') …
 */
export function createSharedFollowerLimiter(sql: Sql, limits: FollowerLimits, clock: Clock, logger: Logger) {
  // A failing burst: from its first failure until a take succeeds with none for QUIET_MS.
  let failing: { since: number; failures: number; last: number } | null = null;

  function failed(err: unknown): FollowerAdmission {
    const now = clock.now();
    if (!failing || now - failing.last >= QUIET_MS) {
      failing = { since: now, failures: 0, last: now };
      logger.error({ err }, 'the shared follower rate limit cannot reach the database; admitting every message until it can');
    }
    failing.failures++;
    failing.last = now;
    return 'admit';
  }

  function recovered(): void {
    if (!failing || clock.now() - failing.last < QUIET_MS) return;
    logger.warn({ failures: failing.failures, since: new Date(failing.since).toISOString() }, 'the shared follower rate limit reaches the database again');
    failing = null;
  }

  return {
    /** Takes one message of `user` on `account` (`deliveryKey`: the dedup key retries share). Never rejects. */
    take(account: string, user: string, deliveryKey: string): Promise<FollowerAdmission> {
      const now = clock.now();
      const params = [account, user, limits.burst - 1, now, deliveryKey, now, limits.burst, limits.refillMs, deliveryKey];
      return sql.get<{ outcome: FollowerAdmission }>(TAKE, params).then((row) => {
        if (failing) recovered();
        return row?.outcome ?? 'admit';
      }, failed);
    },
  } satisfies FollowerLimiter;
}

/**
 * Deletes the buckets nobody has taken from for an hour (see IDLE_MS); resolves to how many. No index on `at`: every take moves it, and an index would cost each take more than this hourly scan saves.
 */
export async function pruneFollowerBuckets(sql: Sql, now: number): Promise<number> {
  return (await sql.run('DELETE FROM follower_buckets WHERE at < ?', [now - IDLE_MS])).changes;
}
