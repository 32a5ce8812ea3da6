/**
 * What a notice is: who is told (audience), how (via), what (the payload, fixed when the order changed), and where
 * it stands in the outbox (pending, sent, failed; attempts, the next attempt, the last error). The retry schedule
 * is here too. Pure: no database, no network.
 */
import type { OrderStatus } from '../model.ts';
import type { TemplateSource } from '../order-settings.ts';

/** staff: the merchant's; store: the order's store staff; referrer: the 团长 or staff whose link brought it; follower: the buyer; webhook: the merchant's system. */
export const NOTICE_AUDIENCES = ['staff', 'store', 'referrer', 'follower', 'webhook'] as const;
export type NoticeAudience = (typeof NOTICE_AUDIENCES)[number];

/** How it goes: a template message or a customer-service message of the account (the worker picks at delivery), Wechaty, or the webhook. */
export const NOTICE_VIAS = ['template', 'customer_service', 'wechaty', 'webhook'] as const;
export type NoticeVia = (typeof NOTICE_VIAS)[number];

export const NOTICE_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** The event a notice tells of: a new order, or the status it moved to. */
export type NoticeEvent = 'placed' | Exclude<OrderStatus, 'placed'>;

/**
 * A message to a person (through the account or Wechaty): the text (customer-service and Wechaty messages) and
 * the values a template's fields may be filled with (template messages), both taken when the order changed.
 */
export interface MessagePayload {
  readonly kind: 'message';
  readonly event: NoticeEvent;
  readonly text: string;
  readonly values: Readonly<Record<TemplateSource, string>>;
  /** Where tapping a template message leads, when the order page is known. */
  readonly url?: string;
}

/** The merchant's webhook: the exact body to POST on every attempt (the signature covers it). */
interface WebhookPayload {
  readonly kind: 'webhook';
  readonly body: string;
}

export type NoticePayload = MessagePayload | WebhookPayload;

export interface Notice {
  readonly id: number;
  readonly account: string;
  readonly orderId: number;
  readonly audience: NoticeAudience;
  readonly via: NoticeVia;
  /** An openid, a Wechaty contact id, or the webhook's URL. */
  readonly target: string;
  readonly payload: NoticePayload;
  readonly idempotencyKey: string;
  readonly status: NoticeStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly sentAt: number | null;
}

/** A notice to add to the outbox (in the order's transaction). */
export type NewNotice = Pick<Notice, 'account' | 'orderId' | 'audience' | 'via' | 'target' | 'payload' | 'idempotencyKey'>;

/**
 * What became of one attempt: delivered (by `via`, which may differ from the planned one: a template notice that
 * fell back to a customer-service message), failed for good (retrying would fail the same way), or failed for now.
 */
export type DeliveryOutcome =
  | { readonly ok: true; readonly via?: NoticeVia; readonly note?: string }
  | { readonly ok: false; readonly retry: boolean; readonly error: string };

/** The waits after the 1st, 2nd, … failed attempt; after the last, the notice is `failed`. */
export const RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 6 * 3600_000];

/**
 * When to try again after `attempts` failed attempts, or null: give up (the notice is failed and shows in
 * /api/notices?status=failed).
 * @example nextAttemptAfter(1, now) // now + 60_000
 */
export function nextAttemptAfter(attempts: number, now: number, delays: readonly number[] = RETRY_DELAYS_MS): number | null {
  const wait = delays[attempts - 1];
  return wait === undefined ? null : now + wait;
}

/** The key that makes a notice once: `order:<id>:<event>:<audience>:<target>`. */
export const noticeKey = (orderId: number, event: NoticeEvent, audience: NoticeAudience, target: string): string =>
  `order:${orderId}:${event}:${audience}:${target}`;

/** An error's text for `last_error`: one line, at most 500 characters. */
export const errorText = (s: string): string => s.replace(/\s+/g, ' ').trim().slice(0, 500);
