/**
 * What ordering adds to a product page: the 立即下单 link (carrying the link's `ref` and `q` on to the
 * checkout) and the page view for the funnel (the follower when the cookie names one, their store, the live
 * referrer, the query).
 */
import type { Request } from 'express';
import type { Product } from '../catalogue/types.ts';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { FollowerTokens } from '../core/follower-token.ts';
import type { AccountId, UserId } from '../core/messages.ts';
import { buyHref, queryParam, refParam } from './checkout.ts';
import { followerOf } from './follower.ts';
import type { RecordView } from './page-views.ts';

export interface ProductOrdering {
  /** The product page's 立即下单 link (relative to the page). */
  orderHref(req: Request, account: AccountId, p: Product): string;
  /** Records the view (never fails the page: resolves either way). */
  viewed(req: Request, account: AccountId, p: Product): Promise<void>;
}

export interface ProductOrderingOptions {
  readonly tokens: FollowerTokens;
  readonly record: RecordView;
  /** The follower's store (QR attribution), or null. */
  readonly storeOf: (account: AccountId, user: UserId) => Promise<string | null>;
  /** The referrer a `ref` names while it is live, else null. */
  readonly liveReferrer: (account: AccountId, ref: string) => Promise<string | null>;
  readonly clock?: Clock;
}

export function productOrdering(options: ProductOrderingOptions): ProductOrdering {
  const clock = options.clock ?? systemClock;
  return {
    // Relative to the product page (/m/<account>/p/<sku>): ./<sku>/buy, as its other links are relative.
    orderHref: (req, account, p) => `./${buyHref(account, p.sku, { ref: refParam(req.query.ref), q: queryParam(req.query.q) }).split('/p/')[1]}`,
    async viewed(req, account, p) {
      try {
        const user = followerOf(req, account, options.tokens);
        const ref = refParam(req.query.ref);
        options.record({
          account, kind: 'product', itemId: p.sku, user,
          storeId: user ? await options.storeOf(account, user) : null,
          referrer: ref ? await options.liveReferrer(account, ref) : null,
          query: queryParam(req.query.q), at: clock.now(),
        });
      } catch {
        // A page view is worth less than the page: a failure to look up the store or referrer loses only the row.
      }
    },
  };
}
