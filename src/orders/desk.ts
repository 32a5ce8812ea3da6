/**
 * The order desk: what every entrance (the chat, the mobile page, the admin API and CLI) uses to place and
 * change orders under the account's rules — the store from the follower's QR attribution, a referrer only when
 * its code is live (a link's `ref`, or a Wechaty group's leader), shipping and the pending limit from the order
 * settings — with the notices of each change enqueued in the same transaction.
 */
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { AccountId } from '../core/messages.ts';
import { secretsOf } from '../db/db.ts';
import type { SecretBox } from '../db/secrets.ts';
import type { Sql } from '../db/sql/sql.ts';
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

/** The follower's store from their QR attribution (table store_followers, written by the store registry). */
const STORE_OF = 'SELECT store_id FROM store_followers WHERE account = ? AND user_id = ?';

/**
 * @example
 * const desk = createOrderDesk(sqliteSql(db));
 * const r = await desk.place({ account, user, channel: 'wechat', source: 'page', items, contact, remark: null, ref: 'wangjie' });
 */
export function createOrderDesk(sql: Sql, options: { clock?: Clock; hooks?: OrderHooks; secrets?: SecretBox } = {}) {
  const clock = options.clock ?? systemClock;
  const orders = createOrderStore(sql, { clock, hooks: options.hooks ?? createNoticeEnqueuer(sql) });
  const settings = createOrderSettingsStore(sql, options.secrets ?? secretsOf(sql), clock);
  const referrers = createReferrerStore(sql, clock);
  const storeOf = async (account: AccountId, user: string): Promise<string | null> =>
    (await sql.get<{ store_id: string }>(STORE_OF, [account, user]))?.store_id ?? null;
  const desk = {
    orders,
    settings,
    referrers,
    /** The referrer of an order placed now: the link's live `ref`, else the group's live leader, else none. */
    async referrerFor(account: AccountId, ref: string | null | undefined, roomId: string | null | undefined): Promise<string | null> {
      return (await referrers.active(account, ref))?.code ?? (roomId ? ((await referrers.groupLeader(account, roomId))?.code ?? null) : null);
    },
    async place(req: OrderRequest): Promise<PlaceResult> {
      const [s, storeId, referrer] = await Promise.all([settings.get(req.account), storeOf(req.account, req.user), desk.referrerFor(req.account, req.ref, req.roomId)]);
      return orders.place({
        account: req.account,
        user: req.user,
        channel: req.channel,
        source: req.source,
        items: req.items,
        contact: req.contact,
        remark: req.remark,
        storeId,
        referrer,
        query: req.query ?? null,
        idempotencyKey: req.idempotencyKey ?? null,
        shipping: { shippingFen: s.shippingFen, freeOverFen: s.freeShippingOverFen },
        maxPendingPerHour: s.maxPendingPerHour,
      });
    },
    act: (account: AccountId, id: number, action: OrderAction, actor: Actor): Promise<ActResult> => orders.act(account, id, action, actor),
  };
  return desk;
}
export type OrderDesk = ReturnType<typeof createOrderDesk>;

