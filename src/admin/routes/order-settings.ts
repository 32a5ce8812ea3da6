/** `/api/order-settings`: the answers to the service questions around orders, shipping, the pending limit, the new-order template message and the outgoing webhook. */
import { z } from 'zod';
import { createOrderSettingsStore, orderSettingsPatchSchema, orderSettingsToJson, SERVICE_TOPICS, TEMPLATE_SOURCES } from '../../orders/order-settings.ts';
import { secretsOf } from '../../db/db.ts';
import { takesOrders } from '../../core/persona.ts';
import type { AdminApiOptions } from '../options.ts';
import { route, type Route } from '../http.ts';

const answer = z.string().nullable().describe('the merchant\'s answer; null: the default (default_answers)');
const settingsJson = z.strictObject({
  how_to_order_text: answer,
  cod_text: answer,
  shipping_time_text: answer,
  shipping_fee_text: answer,
  returns_text: answer,
  shipping_fen: z.number().int().describe('shipping per order, in fen (0: free)'),
  free_shipping_over_fen: z.number().int().nullable().describe('free shipping from this subtotal on (fen); null: never'),
  max_pending_per_hour: z.number().int().describe('orders a follower may have waiting for confirmation within an hour'),
  template_id: z.string().nullable().describe('the template message staff receive for a new order'),
  template_fields: z.record(z.string(), z.enum(TEMPLATE_SOURCES)).nullable().describe('template field → what fills it'),
  webhook_url: z.string().nullable(),
  webhook_secret_set: z.boolean().describe('the secret is never shown'),
  default_answers: z.record(z.string(), z.string()).describe(`what each question gets when its text is null, by topic: ${SERVICE_TOPICS.join(', ')}`),
});

export function orderSettingsRoutes(deps: AdminApiOptions): Route[] {
  const settings = createOrderSettingsStore(deps.sql, secretsOf(deps.sql), deps.clock);
  const tag = 'orders';
  // A shop without products takes no orders in the chat: its defaults say so.
  const ordering = (account: string) => takesOrders(deps.offers?.(account));
  return [
    route({
      method: 'get', path: '/order-settings', id: 'getOrderSettings', tag, response: settingsJson,
      summary: 'The order settings: service answers (with the defaults), shipping, the pending limit, the new-order template, the webhook (its secret never shown)',
      handler: async ({ account }) => orderSettingsToJson(await settings.get(account), ordering(account)),
    }),
    route({
      method: 'patch', path: '/order-settings', id: 'updateOrderSettings', tag, body: orderSettingsPatchSchema, response: settingsJson,
      summary: 'Change order settings: given fields change, null resets one to its default, absent ones stay',
      handler: async ({ account, body }) => orderSettingsToJson(await settings.update(account, body), ordering(account)),
    }),
  ];
}
