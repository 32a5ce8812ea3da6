/**
 * Enqueues the notices of an order change in the transaction that makes the change (the outbox pattern): a
 * notice exists exactly when its order change does. Delivery is the worker's job (worker.ts).
 *
 * A new order: one notice per person who handles it — the merchant's staff and the order's store's staff (by
 * openid, each person once), the referrer (through Wechaty when they are a Wechaty contact, else through the
 * account when they have an openid) — and the merchant's webhook when one is set. A status change: the follower
 * is told (unless they made the change themselves: the conversation already answered them; a cancellation of
 * their own is told to the staff and store staff instead, so nobody packs it), and the webhook.
 */
import type { Sql, Tx } from '../../db/sql/sql.ts';
import type { Actor, Order, OrderAction, OrderStatus } from '../model.ts';
import type { OrderHooks } from '../order-store.ts';
import { createReferrerStore } from '../referrers.ts';
import { noticeKey, type NewNotice, type NoticeAudience, type NoticeEvent, type NoticeVia } from './model.ts';
import { createNoticeOutbox, noticesAdded } from './outbox.ts';
import { createRecipientStore } from './recipients.ts';
import { cancelledByBuyerText, newOrderText, statusText, templateValues, webhookBody } from './render.ts';

/** What the enqueuer needs of the order settings, read without opening the sealed webhook secret. */
interface NoticeSettings {
  readonly template: boolean;
  readonly webhookUrl: string | null;
}

/**
 * @example createOrderStore(sql, { hooks: createNoticeEnqueuer(sql) }) // createOrderDesk(sql) does this
 */
export function createNoticeEnqueuer(sql: Sql): OrderHooks {
  const outbox = createNoticeOutbox(sql);
  const recipients = createRecipientStore(sql);
  const referrers = createReferrerStore(sql);
  const SETTINGS = 'SELECT template_id, template_fields, webhook_url, webhook_secret FROM order_settings WHERE account = ?';
  const settingsOf = async (tx: Tx, account: string): Promise<NoticeSettings> => {
    const r = await tx.get<{ template_id: string | null; template_fields: string | null; webhook_url: string | null; webhook_secret: string | null }>(SETTINGS, [account]);
    return { template: Boolean(r?.template_id && r.template_fields), webhookUrl: r?.webhook_url && r.webhook_secret ? r.webhook_url : null };
  };

  /**
   * The notices of one event of one order, built from its state after the change, read in the change's
   * transaction. `byFollower`: the follower made the change themselves, so the conversation already answered
   * them; the people handling the order are told instead when it matters to them (a cancelled order must not be
   * packed and sent).
   */
  async function plan(tx: Tx, order: Order, event: NoticeEvent, at: number, byFollower: boolean): Promise<NewNotice[]> {
    const settings = await settingsOf(tx, order.account);
    const notices: NewNotice[] = [];
    const add = (audience: NoticeAudience, via: NoticeVia, target: string, payload: NewNotice['payload']) =>
      notices.push({ account: order.account, orderId: order.id, audience, via, target, payload, idempotencyKey: noticeKey(order.id, event, audience, target) });
    const byAccount: NoticeVia = settings.template ? 'template' : 'customer_service';
    /** The merchant's staff and the order's store staff, each person once; answers who was told. */
    const tellHandlers = async (text: string): Promise<Set<string>> => {
      const told = new Set<string>();
      const { staff, store } = await recipients.forOrder(order.account, order.storeId, tx);
      const message = { kind: 'message' as const, event, text, values: templateValues(order) };
      for (const [audience, people] of [['staff', staff], ['store', store]] as const) {
        for (const r of people) {
          if (told.has(r.openid)) continue;
          told.add(r.openid);
          add(audience, byAccount, r.openid, message);
        }
      }
      return told;
    };

    if (event === 'placed') {
      const told = await tellHandlers(newOrderText(order, 'staff'));
      const referrer = order.referrer ? await referrers.get(order.account, order.referrer, tx) : null;
      if (referrer) {
        const message = { kind: 'message' as const, event, text: newOrderText(order, 'referrer'), values: templateValues(order, { maskPhone: true }) };
        if (referrer.wechatyContact) add('referrer', 'wechaty', referrer.wechatyContact, message);
        else if (referrer.openid && !told.has(referrer.openid)) add('referrer', byAccount, referrer.openid, message);
      }
    } else if (!byFollower) {
      const message = { kind: 'message' as const, event, text: statusText(order, event), values: templateValues(order) };
      add('follower', order.channel === 'wechaty' ? 'wechaty' : 'customer_service', order.user, message);
    } else if (event === 'cancelled') {
      await tellHandlers(cancelledByBuyerText(order));
    }
    if (settings.webhookUrl) add('webhook', 'webhook', settings.webhookUrl, { kind: 'webhook', body: webhookBody(order, event, at) });
    return notices;
  }

  const enqueue = async (tx: Tx, notices: readonly NewNotice[], at: number) => {
    for (const n of notices) await outbox.add(tx, n, at);
  };

  return {
    async placed(tx: Tx, order: Order) {
      await enqueue(tx, await plan(tx, order, 'placed', order.createdAt, false), order.createdAt);
    },
    async changed(tx: Tx, order: Order, _from: OrderStatus, _action: OrderAction, actor: Actor) {
      if (order.status === 'placed') return;
      await enqueue(tx, await plan(tx, order, order.status, order.updatedAt, actor.kind === 'follower'), order.updatedAt);
    },
    // The workers of this process look at once (a notice added is seen after its commit; others poll).
    committed: () => noticesAdded(sql),
  };
}
