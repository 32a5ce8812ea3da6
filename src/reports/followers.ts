/**
 * New and lost followers per Beijing day, and how many follow now; for the whole account or the followers
 * attributed to one store. Read from the subscribers table, which keeps each follower's latest follow and
 * latest unfollow time: a follower who leaves and comes back counts as lost on the day they left and new on
 * the day they returned, but a follow or unfollow before their latest one is not kept and is not counted.
 */
import { SHANGHAI_OFFSET_MS } from '../merchant/rules/hours.ts';
import type { Db } from '../db/db.ts';
import { countIf, dayOf } from '../db/sql/fragments.ts';
import { asSql } from '../db/sql/sqlite.ts';
import type { Sql } from '../db/sql/sql.ts';
import type { Period } from './reports.ts';

export interface FollowerDay {
  /** A Beijing day, 2026-11-01. */
  readonly day: string;
  /** Followers whose (latest) follow fell on the day. */
  readonly follows: number;
  /** Followers whose (latest) unfollow fell on the day. */
  readonly unfollows: number;
}

/** One set of statements over `source` (the followers counted, aliased s; its parameters first). */
function statements(dialect: Sql['dialect'], source: string) {
  const day = (column: string) => dayOf(dialect, column, SHANGHAI_OFFSET_MS);
  return {
    perDay: `
    SELECT day, sum(${countIf("kind = 'follow'")}) AS follows, sum(${countIf("kind = 'unfollow'")}) AS unfollows FROM (
      SELECT ${day('s.subscribed_at')} AS day, 'follow' AS kind ${source} AND s.subscribed_at >= ? AND s.subscribed_at < ?
      UNION ALL
      SELECT ${day('s.unsubscribed_at')} AS day, 'unfollow' AS kind ${source} AND s.unsubscribed_at >= ? AND s.unsubscribed_at < ?
    ) AS changes GROUP BY day ORDER BY day`,
    following: `SELECT count(*) AS n ${source} AND s.subscribed = 1`,
  };
}

/** @example await createFollowerCounts(db).perDay('default', { from, to }, 'sh-jingan') */
export function createFollowerCounts(db: Db | Sql) {
  const sql = asSql(db);
  // Two shapes, so each can use its index: the account's follow times, or the store's followers.
  const account = statements(sql.dialect, 'FROM subscribers s WHERE s.account = ?');
  const store = statements(sql.dialect, `FROM store_followers f JOIN subscribers s ON s.account = f.account AND s.user_id = f.user_id
    WHERE f.account = ? AND f.store_id = ?`);
  return {
    /** Days of the period with a follow or an unfollow, oldest first (`storeId`: only its followers). */
    perDay(accountId: string, period: Period, storeId: string | undefined): Promise<FollowerDay[]> {
      const who = storeId === undefined ? [accountId] : [accountId, storeId];
      return sql.all<FollowerDay>((storeId === undefined ? account : store).perDay, [...who, period.from, period.to, ...who, period.from, period.to]);
    },
    /** How many follow now (`storeId`: of those attributed to it). */
    async following(accountId: string, storeId: string | undefined): Promise<number> {
      const row = storeId === undefined ? await sql.get<{ n: number }>(account.following, [accountId]) : await sql.get<{ n: number }>(store.following, [accountId, storeId]);
      return row!.n;
    },
  };
}
