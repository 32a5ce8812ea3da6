/**
 * The order desk: what every entrance (the chat, the mobile page, the admin API and CLI) uses to place and
 * change orders under the account's rules — the store from the follower's QR attribution, a referrer only when
 * its code is live (a link's `ref`, or a Wechaty group's leader), shipping and the pending limit from the order
 * settings — with the notices of each change enqueued in the same transaction.
 */
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { AccountId } from '../core/messages.ts';
import type { Db } from '../db/db.ts';
import { secretsOf } from '../db/db.ts';
import { createStoreRegistry } from '../merchant/shops/registry.ts';
import type { Actor, OrderAction } from './model.ts';
import { createNoticeEnqueuer } from './notices/enqueue.ts';
import { createOrderSettingsStore } from './order-settings.ts';
import { createOrderStore, type ActResult, type OrderHooks, type PlaceOrder, type PlaceResult } from './order-store.ts';
import { createReferrerStore } from './referrers.ts';

/** What an entrance knows of an order: the buyer's part of PlaceOrder; the desk adds the account's rules. */
export interface OrderRequest extends Pick<PlaceOrder, 'account' | 'user' | 'channel' | 'source' | 'items' | 'contact' | 'remark'> {
  /** The `ref` a link carried (follower-supplied: checked against the live referrers). */
  readonly ref?: string | null;
  /** The Wechaty group the order was placed in: its leader refers it when no `ref` does. */
  readonly roomId?: string | null;
  /** The follower's query that led here, when known. */
  readonly query?: string | null;
  readonly idempotencyKey?: string | null;
}

/**
 * @example
 * const desk = createOrderDesk(db);
 * const r = desk.place({ account, user, channel: 'wechat', source: 'page', items, contact, remark: null, ref: 'wangjie' });
 */
export function createOrderDesk(db: Db, options: { clock?: Clock; hooks?: OrderHooks } = {}) {
  const clock = options.clock ?? systemClock;
  const orders = createOrderStore(db, { clock, hooks: options.hooks ?? createNoticeEnqueuer(db) });
  const settings = createOrderSettingsStore(db, secretsOf(db), clock);
  const referrers = createReferrerStore(db, clock);
  const stores = createStoreRegistry(db, clock);
  return {
    orders,
    settings,
    referrers,
    /** The referrer of an order placed now: the link's live `ref`, else the group's live leader, else none. */
    referrerFor(account: AccountId, ref: string | null | undefined, roomId: string | null | undefined): string | null {
      return referrers.active(account, ref)?.code ?? (roomId ? (referrers.groupLeader(account, roomId)?.code ?? null) : null);
    },
    place(req: OrderRequest): PlaceResult {
      const s = settings.get(req.account);
      return orders.place({
        account: req.account,
        user: req.user,
        channel: req.channel,
        source: req.source,
        items: req.items,
        contact: req.contact,
        remark: req.remark,
        storeId: stores.storeOf(req.account, req.user),
        referrer: this.referrerFor(req.account, req.ref, req.roomId),
        query: req.query ?? null,
        idempotencyKey: req.idempotencyKey ?? null,
        shipping: { shippingFen: s.shippingFen, freeOverFen: s.freeShippingOverFen },
        maxPendingPerHour: s.maxPendingPerHour,
      });
    },
    act: (account: AccountId, id: number, action: OrderAction, actor: Actor): ActResult => orders.act(account, id, action, actor),
  };
}
export type OrderDesk = ReturnType<typeof createOrderDesk>;
