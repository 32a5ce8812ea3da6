/**
 * Page views for the funnel (asked → list shown → item page viewed → order): one row per item page view in
 * `page_views`. Off the request's path: the row goes into the next group commit of the write queue (or a
 * cheap insert after the answer), and a failed write is logged, never the page's problem.
 */
import type { AccountId, UserId } from '../core/messages.ts';
import type { Logger } from '../core/log.ts';
import { silentLogger } from '../core/log.ts';
import type { Db } from '../db/db.ts';
import type { WriteQueue } from '../db/write-queue.ts';

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

/** @example const record = createPageViews(db, { writes }); record({ account, kind: 'product', itemId: 'SKU-1', … }) */
export function createPageViews(db: Db, options: { writes?: WriteQueue; logger?: Logger } = {}): RecordView {
  const logger = options.logger ?? silentLogger;
  const insert = db.prepare(`INSERT INTO page_views (account, kind, item_id, user_id, store_id, referrer, query, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const write = (v: PageView) => insert.run(v.account, v.kind, v.itemId.slice(0, 200), v.user, v.storeId, v.referrer, v.query?.slice(0, 200) ?? null, v.at);
  const failed = (err: unknown) => logger.warn({ err }, 'could not record a page view');
  return (view) => {
    if (options.writes) {
      options.writes.run(() => void write(view)).catch(failed);
      return;
    }
    setImmediate(() => {
      try {
        write(view);
      } catch (err) {
        failed(err);
      }
    });
  };
}
