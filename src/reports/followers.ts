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

/** One set of statements over `source` (the followers counted, aliased s). */
function statements(db: Db, source: string) {
  const perDay = db.prepare<Record<string, unknown>, FollowerDay>(`
    SELECT day, sum(kind = 'follow') AS follows, sum(kind = 'unfollow') AS unfollows FROM (
      SELECT ${day('s.subscribed_at')} AS day, 'follow' AS kind ${source} AND s.subscribed_at >= @from AND s.subscribed_at < @to
      UNION ALL
      SELECT ${day('s.unsubscribed_at')} AS day, 'unfollow' AS kind ${source} AND s.unsubscribed_at >= @from AND s.unsubscribed_at < @to
    ) GROUP BY day ORDER BY day`);
  const following = db.prepare<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n ${source} AND s.subscribed = 1`);
  return { perDay, following };
}

/** @example createFollowerCounts(db).perDay('default', { from, to }, 'sh-jingan') */
export function createFollowerCounts(db: Db) {
  // Two shapes, so each can use its index: the account's follow times, or the store's followers.
  const account = statements(db, 'FROM subscribers s WHERE s.account = @account');
  const store = statements(db, `FROM store_followers f JOIN subscribers s ON s.account = f.account AND s.user_id = f.user_id
    WHERE f.account = @account AND f.store_id = @store`);
  return {
    /** Days of the period with a follow or an unfollow, oldest first (`storeId`: only its followers). */
    perDay(accountId: string, period: Period, storeId: string | undefined): FollowerDay[] {
      const p = { account: accountId, from: period.from, to: period.to };
      return storeId === undefined ? account.perDay.all(p) : store.perDay.all({ ...p, store: storeId });
    },
    /** How many follow now (`storeId`: of those attributed to it). */
    following(accountId: string, storeId: string | undefined): number {
      return (storeId === undefined ? account.following.get({ account: accountId }) : store.following.get({ account: accountId, store: storeId }))!.n;
    },
  };
}
