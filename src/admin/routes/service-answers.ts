/**
 * `/api/service-answers`: the answers to the service questions beyond the order ones (人工, 是正品吗, 尺码, 门店, 优惠,
 * 你是谁, what the bot cannot answer, complaints) and whether 「人工」 is handed to the account's customer-service
 * staff. The order questions' answers stay in `/api/order-settings`. Reading gives each topic's default for this shop.
 */
import { z } from 'zod';
import { takesOrders } from '../../core/persona.ts';
import { ANSWER_TOPICS, createServiceSettingsStore, serviceSettingsPatchSchema, serviceSettingsToJson } from '../../merchant/service/answers.ts';
import type { AdminApiOptions } from '../options.ts';
import { route, type Route } from '../http.ts';

const byTopic = <T extends z.ZodType>(value: T) => z.strictObject(Object.fromEntries(ANSWER_TOPICS.map((t) => [t, value])) as Record<(typeof ANSWER_TOPICS)[number], T>);

const serviceAnswersJson = z.strictObject({
  answers: byTopic(z.string().nullable()).describe(`the merchant's answer per topic (${ANSWER_TOPICS.join(', ')}); null: the default`),
  human_transfer: z.boolean().describe('「人工」 and complaints on the official account go to its customer-service staff (WeChat transfer_customer_service); false: the text answers'),
  default_answers: byTopic(z.string()).describe('what each topic gets when its answer is null, for this shop (its catalogue, the hand-off setting); may hold {bot_name}, {account_name}, {examples}'),
});

export function serviceAnswerRoutes(deps: AdminApiOptions): Route[] {
  const settings = createServiceSettingsStore(deps.sql, deps.clock);
  // A shop without products takes no orders in the chat: its defaults say nothing of 下单 or 订单号.
  const ordering = (account: string) => takesOrders(deps.offers?.(account));
  const tag = 'settings';
  return [
    route({
      method: 'get', path: '/service-answers', id: 'getServiceAnswers', tag, response: serviceAnswersJson,
      summary: 'The answers to the service questions (人工, 正品, 尺码, 门店, 优惠, 你是谁, out of scope, complaints), with the defaults, and the hand-off to customer-service staff',
      handler: async ({ account }) => serviceSettingsToJson(await settings.get(account), ordering(account)),
    }),
    route({
      method: 'patch', path: '/service-answers', id: 'updateServiceAnswers', tag, body: serviceSettingsPatchSchema, response: serviceAnswersJson,
      summary: 'Change service answers: a given answer changes, null resets it to the default, absent ones stay; human_transfer turns the hand-off on or off',
      handler: async ({ account, body }) => serviceSettingsToJson(await settings.update(account, body), ordering(account)),
    }),
  ];
}
