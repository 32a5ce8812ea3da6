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
import type { Db } from '../../db/db.ts';
import type { Actor, Order, OrderAction, OrderStatus } from '../model.ts';
import type { OrderHooks } from '../order-store.ts';
import { createReferrerStore } from '../referrers.ts';
import { noticeKey, type NewNotice, type NoticeAudience, type NoticeEvent, type NoticeVia } from './model.ts';
import { createNoticeOutbox } from './outbox.ts';
import { createRecipientStore } from './recipients.ts';
import { cancelledByBuyerText, newOrderText, statusText, templateValues, webhookBody } from './render.ts';

/** What the enqueuer needs of the order settings, read without opening the sealed webhook secret. */
interface NoticeSettings {
  readonly template: boolean;
  readonly webhookUrl: string | null;
}

/**
 * @example createOrderStore(db, { hooks: createNoticeEnqueuer(db) }) // createOrderDesk(db) does this
 */
export function createNoticeEnqueuer(db: Db): OrderHooks {
  const outbox = createNoticeOutbox(db);
  const recipients = createRecipientStore(db);
  const referrers = createReferrerStore(db);
  const settingsRow = db.prepare<[string], { template_id: string | null; template_fields: string | null; webhook_url: string | null; webhook_secret: string | null }>(
    'SELECT template_id, template_fields, webhook_url, webhook_secret FROM order_settings WHERE account = ?',
  );
  const settingsOf = (account: string): NoticeSettings => {
    const r = settingsRow.get(account);
    return { template: Boolean(r?.template_id && r.template_fields), webhookUrl: r?.webhook_url && r.webhook_secret ? r.webhook_url : null };
  };

  /**
   * The notices of one event of one order, built from its state after the change. `byFollower`: the follower made
   * the change themselves, so the conversation already answered them; the people handling the order are told
   * instead when it matters to them (a cancelled order must not be packed and sent).
   */
  function plan(order: Order, event: NoticeEvent, at: number, byFollower: boolean): NewNotice[] {
    const settings = settingsOf(order.account);
    const notices: NewNotice[] = [];
    const add = (audience: NoticeAudience, via: NoticeVia, target: string, payload: NewNotice['payload']) =>
      notices.push({ account: order.account, orderId: order.id, audience, via, target, payload, idempotencyKey: noticeKey(order.id, event, audience, target) });
    const byAccount: NoticeVia = settings.template ? 'template' : 'customer_service';
    /** The merchant's staff and the order's store staff, each person once; answers who was told. */
    const tellHandlers = (text: string): Set<string> => {
      const told = new Set<string>();
      const { staff, store } = recipients.forOrder(order.account, order.storeId);
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
      const told = tellHandlers(newOrderText(order, 'staff'));
      const referrer = order.referrer ? referrers.get(order.account, order.referrer) : null;
      if (referrer) {
        const message = { kind: 'message' as const, event, text: newOrderText(order, 'referrer'), values: templateValues(order, { maskPhone: true }) };
        if (referrer.wechatyContact) add('referrer', 'wechaty', referrer.wechatyContact, message);
        else if (referrer.openid && !told.has(referrer.openid)) add('referrer', byAccount, referrer.openid, message);
      }
    } else if (!byFollower) {
      const message = { kind: 'message' as const, event, text: statusText(order, event), values: templateValues(order) };
      add('follower', order.channel === 'wechaty' ? 'wechaty' : 'customer_service', order.user, message);
    } else if (event === 'cancelled') {
      tellHandlers(cancelledByBuyerText(order));
    }
    if (settings.webhookUrl) add('webhook', 'webhook', settings.webhookUrl, { kind: 'webhook', body: webhookBody(order, event, at) });
    return notices;
  }

  const enqueue = (notices: readonly NewNotice[], at: number) => {
    for (const n of notices) outbox.add(n, at);
  };

  return {
    placed(order: Order) {
      enqueue(plan(order, 'placed', order.createdAt, false), order.createdAt);
    },
    changed(order: Order, _from: OrderStatus, _action: OrderAction, actor: Actor) {
      if (order.status === 'placed') return;
      enqueue(plan(order, order.status, order.updatedAt, actor.kind === 'follower'), order.updatedAt);
    },
  };
}
