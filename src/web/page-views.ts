/**
 * Page views for the funnel (asked → list shown → item page viewed → order): one row per item page view in
 * `page_views`. Off the request's path: the insert is not awaited (on SQLite it joins the next group commit),
 * and a failed write is logged, never the page's problem.
 */
import type { AccountId, UserId } from '../core/messages.ts';
import type { Logger } from '../core/log.ts';
import { silentLogger } from '../core/log.ts';
import type { Sql } from '../db/sql/sql.ts';

interface PageView {
  readonly account: AccountId;
  readonly kind: 'product' | 'hotel' | 'deal';
  readonly itemId: string;
  readonly user: UserId | null;
  readonly storeId: string | null;
  /** A live referrer code the link carried. */
  readonly referrer: string | null;
  /** The follower's words (the link's `q`), when it carried them. */
  readonly query: string | null;
  readonly at: number;
}

export type RecordView = (view: PageView) => void;

/** @example const record = createPageViews(sql, { logger }); record({ account, kind: 'product', itemId: 'SKU-1', … }) */
export function createPageViews(sql: Sql, options: { logger?: Logger } = {}): RecordView {
  const logger = options.logger ?? silentLogger;
  const INSERT = 'INSERT INTO page_views (account, kind, item_id, user_id, store_id, referrer, query, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
  const failed = (err: unknown) => logger.warn({ err }, 'could not record a page view');
  return (v) => {
    // Through a promise even when the adapter throws at once (a closed connection): the page never sees it.
    Promise.resolve()
      .then(() => sql.run(INSERT, [v.account, v.kind, v.itemId.slice(0, 200), v.user, v.storeId, v.referrer, v.query?.slice(0, 200) ?? null, v.at]))
      .catch(failed);
  };
}
