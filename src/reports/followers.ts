/**
 * New and lost followers per Beijing day, and how many follow now; for the whole account or the followers
 * attributed to one store. Read from the subscribers table, which keeps each follower's latest follow and
 * latest unfollow time: a follower who leaves and comes back counts as lost on the day they left and new on
 * the day they returned, but a follow or unfollow before their latest one is not kept and is not counted.
 */
import { SHANGHAI_OFFSET_MS } from '../merchant/rules/hours.ts';
import type { Db } from '../db/db.ts';
import type { Period } from './reports.ts';

export interface FollowerDay {
  /** A Beijing day, 2026-11-01. */
  readonly day: string;
  /** Followers whose (latest) follow fell on the day. */
  readonly follows: number;
  /** Followers whose (latest) unfollow fell on the day. */
  readonly unfollows: number;
}

const day = (column: string) => `date((${column} + ${SHANGHAI_OFFSET_MS}) / 1000, 'unixepoch')`;

/** @example createFollowerCounts(db).perDay('default', { from, to }, 'sh-jingan') */
export function createFollowerCounts(db: Db) {
  const scoped = `FROM subscribers s LEFT JOIN store_followers f ON f.account = s.account AND f.user_id = s.user_id
    WHERE s.account = @account AND (@store IS NULL OR f.store_id = @store)`;
  const perDay = db.prepare<Record<string, unknown>, FollowerDay>(`
    SELECT day, sum(kind = 'follow') AS follows, sum(kind = 'unfollow') AS unfollows FROM (
      SELECT ${day('s.subscribed_at')} AS day, 'follow' AS kind ${scoped} AND s.subscribed_at >= @from AND s.subscribed_at < @to
      UNION ALL
      SELECT ${day('s.unsubscribed_at')} AS day, 'unfollow' AS kind ${scoped} AND s.unsubscribed_at >= @from AND s.unsubscribed_at < @to
    ) GROUP BY day ORDER BY day`);
  const following = db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n ${scoped} AND s.subscribed = 1`);
  return {
    /** Days of the period with a follow or an unfollow, oldest first (`store`: only its followers). */
    perDay(account: string, period: Period, store: string | undefined): FollowerDay[] {
      return perDay.all({ account, store: store ?? null, from: period.from, to: period.to });
    },
    /** How many follow now (`store`: of those attributed to it). */
    following(account: string, store: string | undefined): number {
      return following.get({ account, store: store ?? null })!.n;
    },
  };
}
