/**
 * Delivers notices to the merchant's own system: `POST <webhook_url>` with the JSON body `{event, order, at}`
 * (the same bytes on every attempt) and the headers
 *   X-Guang-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the webhook secret>
 *   X-Guang-Timestamp: <unix seconds of this attempt>
 *   Idempotency-Key:   <the notice's key, the same on every attempt: the receiver drops repeats by it>
 * A 2xx answer is delivered; anything else, or no answer within 5 s, is retried on the schedule (at least once).
 */
import { createHmac } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { OrderSettings } from '../order-settings.ts';
import type { DeliveryOutcome, Notice } from './model.ts';

const WEBHOOK_TIMEOUT_MS = 5_000;

/**
 * The signature header's value for a body.
 * @example webhookSignature('{"event":"order.placed"}', secret) // 'sha256=9f…'
 */
const webhookSignature = (body: string, secret: string): string => `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

export interface WebhookDelivererOptions {
  readonly clock: Clock;
  readonly settings: (account: string) => Promise<OrderSettings>;
  readonly timeoutMs?: number;
}

/** @example const deliver = webhookDeliverer({ clock, settings: (a) => orderSettings.get(a) }); */
export function webhookDeliverer(options: WebhookDelivererOptions): (notice: Notice) => Promise<DeliveryOutcome> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return async (notice) => {
    if (notice.payload.kind !== 'webhook') return { ok: false, retry: false, error: 'not a webhook notice' };
    const hook = (await options.settings(notice.account)).webhook;
    if (!hook) return { ok: false, retry: false, error: '订单设置里已没有 webhook（webhook_url 和 webhook_secret），无法发送' };
    const { body } = notice.payload;
    let response: Response;
    try {
      response = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Guang-Webhook/1',
          'x-guang-signature': webhookSignature(body, hook.secret),
          'x-guang-timestamp': String(Math.floor(options.clock.now() / 1000)),
          'idempotency-key': notice.idempotencyKey,
        },
        body,
        // A redirect is an answer, not a place to send the order to.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      return { ok: false, retry: true, error: timedOut ? `webhook 在 ${timeoutMs / 1000} 秒内没有应答` : `webhook 无法连接${cause}` };
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true };
    return { ok: false, retry: true, error: `webhook 应答 HTTP ${response.status}` };
  };
}
