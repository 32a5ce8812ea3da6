/**
 * The merchant's order settings (`/api/order-settings`): the answers to the service questions around orders
 * (怎么下单, 能货到付款吗, 多久发货, 运费, 退货), shipping, the limit of orders waiting for confirmation per follower
 * and hour, the template message announcing a new order (its id and which order field fills which template
 * field), and an outgoing webhook (URL and signing secret, sealed at rest). Unset fields keep the defaults.
 */
import { z } from 'zod';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import { say } from '../core/localised.ts';
import type { AccountId } from '../core/messages.ts';
import { safeUrl } from '../core/page-links.ts';
import type { Param, Sql } from '../db/sql/sql.ts';
import { secretContext, type SecretBox } from '../db/secrets.ts';

/** The service questions around orders, each with the merchant's answer or the default. */
export const SERVICE_TOPICS = ['how_to_order', 'cod', 'shipping_time', 'shipping_fee', 'returns'] as const;
export type ServiceTopic = (typeof SERVICE_TOPICS)[number];

/** What a template field can be filled with (the template's own field names are the merchant's). */
export const TEMPLATE_SOURCES = ['order_no', 'items', 'total', 'receiver', 'phone', 'address', 'store', 'referrer', 'time', 'status', 'remark'] as const;
export type TemplateSource = (typeof TEMPLATE_SOURCES)[number];

export interface OrderSettings {
  /** The merchant's own answers (null: the default answer, see DEFAULT_ANSWERS). */
  readonly answers: Readonly<Record<ServiceTopic, string | null>>;
  readonly shippingFen: number;
  /** Free shipping from this subtotal on; null: shipping is never free (unless shippingFen is 0). */
  readonly freeShippingOverFen: number | null;
  readonly maxPendingPerHour: number;
  /** The template message staff receive for a new order; null: customer-service messages only. */
  readonly template: { readonly id: string; readonly fields: Readonly<Record<string, TemplateSource>> } | null;
  /** The merchant's own system, told of every order change; null: none. */
  readonly webhook: { readonly url: string; readonly secret: string } | null;
}

/**
 * The default answers: cash on delivery, as the seed stories sold. `{shipping}` is filled with the shipping rule.
 */
const DEFAULT_ANSWERS: Readonly<Record<ServiceTopic, string>> = {
  how_to_order: '下单很简单：先回复想买的商品搜一搜，看中了回复「买第2个」或「我要这个」，按提示留下收货人、手机号和地址，回复「确认」就下单啦。也可以在商品页点「立即下单」。货到付款，收货时再付钱～',
  cod: '支持货到付款：快递送到时当面付款，无需提前支付。',
  shipping_time: '下单后一般 24 小时内确认，48 小时内发货；发货后会把快递单号发给您。',
  shipping_fee: '{shipping}',
  returns: '收到商品 7 天内，不影响二次销售的可以退换货：请留言写明订单号和原因，我们会尽快联系您。',
};

/**
 * The defaults of a shop that takes no orders in the chat (no products: hotels and deals are booked on their own
 * pages): nothing about 下单, 货到付款 or 发货 that would not be true.
 */
const NO_ORDERING_ANSWERS: Readonly<Record<ServiceTopic, string>> = {
  how_to_order: '这里不能直接下单：点开我发给你的链接，在页面上查看和预订就行。',
  cod: '这里不能直接下单，付款方式以链接页面上写的为准。',
  shipping_time: '这里不能直接下单，时间安排以链接页面上写的为准；有问题回复「人工」找客服。',
  shipping_fee: '这里不能直接下单，费用以链接页面上写的为准。',
  returns: '退改规则以链接页面上写的为准；有问题回复「人工」找客服。',
};

const DEFAULT_ORDER_SETTINGS: OrderSettings = {
  answers: { how_to_order: null, cod: null, shipping_time: null, shipping_fee: null, returns: null },
  shippingFen: 0,
  freeShippingOverFen: null,
  maxPendingPerHour: 5,
  template: null,
  webhook: null,
};

/** The shipping rule in words: 「全场包邮」, 「运费 ¥10，满 ¥99 包邮」. */
function shippingWords(s: Pick<OrderSettings, 'shippingFen' | 'freeShippingOverFen'>): string {
  const yuan = (fen: number) => `¥${fen % 100 === 0 ? fen / 100 : (fen / 100).toFixed(2)}`;
  if (s.shippingFen === 0) return '全场包邮，不收运费。';
  if (s.freeShippingOverFen === null) return `运费 ${yuan(s.shippingFen)}。`;
  return `运费 ${yuan(s.shippingFen)}，满 ${yuan(s.freeShippingOverFen)} 包邮。`;
}

/**
 * The answer to a service question, the merchant's or the default; `ordering` false: the shop takes no orders in
 * the chat (it has no products), and the defaults say so.
 */
export function answerTo(topic: ServiceTopic, s: OrderSettings, ordering = true): string {
  return (s.answers[topic] ?? (ordering ? DEFAULT_ANSWERS : NO_ORDERING_ANSWERS)[topic]).replace('{shipping}', shippingWords(s));
}

const PLAIN_TEXT = /^(?:[^\p{Cc}]|[\n\t])*$/u;
const answer = (topic: ServiceTopic) =>
  z
    .string({ error: say({ en: `${topic}: the answer followers get, or null for the default`, zh: '请填写回复内容，或留空使用默认回复' }) })
    .trim()
    .min(1, say({ en: `${topic}: empty; send null for the default answer`, zh: '不能只有空白；留空即使用默认回复' }))
    .regex(PLAIN_TEXT, say({ en: `${topic}: plain text`, zh: '只能是普通文字（可以换行）' }))
    .refine((t) => Buffer.byteLength(t, 'utf8') <= 1800, say({ en: `${topic}: at most 1800 bytes (a Chinese character takes 3)`, zh: '太长了：最多约 600 个汉字' }))
    .nullable()
    .optional();

const fen = (name: string, zh: string) =>
  z.number({ error: say({ en: `${name}: an amount in fen (¥10 = 1000)`, zh: `${zh}应是以分为单位的整数` }) })
    .int(say({ en: `${name}: whole fen`, zh: `${zh}应是整数（分）` }))
    .min(0, say({ en: `${name}: 0 or more`, zh: `${zh}不能为负` }))
    .max(100_000_00, say({ en: `${name}: at most ¥100000`, zh: `${zh}太大了` }));

/** WeChat template field names: letters, digits and underscores (thing1, amount2, character_string3). */
const TEMPLATE_FIELD = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

export const orderSettingsPatchSchema = z.strictObject({
  how_to_order_text: answer('how_to_order'),
  cod_text: answer('cod'),
  shipping_time_text: answer('shipping_time'),
  shipping_fee_text: answer('shipping_fee'),
  returns_text: answer('returns'),
  shipping_fen: fen('shipping_fen', '运费').nullable().optional(),
  free_shipping_over_fen: fen('free_shipping_over_fen', '包邮门槛').nullable().optional(),
  max_pending_per_hour: z.number({ error: say({ en: 'max_pending_per_hour: a whole number from 1 to 100', zh: '每小时待确认订单上限应是 1 到 100 的整数' }) })
    .int().min(1, say({ en: 'max_pending_per_hour: at least 1', zh: '至少为 1' })).max(100, say({ en: 'max_pending_per_hour: at most 100', zh: '最多 100' })).nullable().optional(),
  template_id: z.string({ error: say({ en: 'template_id: the template\'s id from the platform (模板ID)', zh: '请填写模板 ID' }) }).trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, say({ en: 'template_id: letters, digits, - and _ (as the platform gives it)', zh: '模板 ID 只含字母、数字、- 和 _' })).nullable().optional(),
  template_fields: z
    .record(
      z.string().regex(TEMPLATE_FIELD, say({ en: 'template_fields: each key a template field name such as thing1 or amount2', zh: '模板字段名应形如 thing1、amount2' })),
      z.enum(TEMPLATE_SOURCES, { error: say({ en: `template_fields: each value one of ${TEMPLATE_SOURCES.join(', ')}`, zh: '模板字段的内容只能从订单号、商品、金额、收货人、电话、地址、门店、推荐人、时间、状态、备注中选' }) }),
      { error: say({ en: 'template_fields: an object such as {"character_string1": "order_no", "thing2": "items"}', zh: '模板字段应是字段名到订单内容的对应' }) },
    )
    .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 10, say({ en: 'template_fields: 1 to 10 fields', zh: '模板字段 1 到 10 个' }))
    .nullable()
    .optional(),
  webhook_url: z.string({ error: say({ en: 'webhook_url: an https:// (or http://) address of your system', zh: '请填写以 https:// 开头的地址' }) }).trim()
    .max(500, say({ en: 'webhook_url: at most 500 characters', zh: '地址最多 500 个字符' }))
    .refine((u) => safeUrl(u) !== null, say({ en: 'webhook_url: an http:// or https:// address', zh: '地址应以 http:// 或 https:// 开头' })).nullable().optional(),
  webhook_secret: z.string({ error: say({ en: 'webhook_secret: the key the signature is made with (16 to 128 characters)', zh: '请填写签名密钥（16 到 128 个字符）' }) })
    .min(16, say({ en: 'webhook_secret: at least 16 characters', zh: '签名密钥至少 16 个字符' })).max(128, say({ en: 'webhook_secret: at most 128 characters', zh: '签名密钥最多 128 个字符' })).nullable().optional(),
}, { error: say({ en: 'the order settings: a JSON object', zh: '订单设置应是一个 JSON 对象' }) });
export type OrderSettingsPatch = z.infer<typeof orderSettingsPatchSchema>;

interface Row {
  account: string;
  how_to_order_text: string | null;
  cod_text: string | null;
  shipping_time_text: string | null;
  shipping_fee_text: string | null;
  returns_text: string | null;
  shipping_fen: number | null;
  free_shipping_over_fen: number | null;
  max_pending_per_hour: number | null;
  template_id: string | null;
  template_fields: string | null;
  webhook_url: string | null;
  webhook_secret: string | null;
  updated_at: number;
}

function fieldsFrom(json: string | null): Record<string, TemplateSource> | null {
  if (json === null) return null;
  try {
    const v: unknown = JSON.parse(json);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    const entries = Object.entries(v).filter((e): e is [string, TemplateSource] => (TEMPLATE_SOURCES as readonly string[]).includes(String(e[1])));
    return entries.length ? Object.fromEntries(entries) : null;
  } catch {
    return null;
  }
}

/** The order settings as the API shows them: the webhook secret never leaves (only whether one is set). */
export const orderSettingsToJson = (s: OrderSettings, ordering = true) => ({
  how_to_order_text: s.answers.how_to_order,
  cod_text: s.answers.cod,
  shipping_time_text: s.answers.shipping_time,
  shipping_fee_text: s.answers.shipping_fee,
  returns_text: s.answers.returns,
  shipping_fen: s.shippingFen,
  free_shipping_over_fen: s.freeShippingOverFen,
  max_pending_per_hour: s.maxPendingPerHour,
  template_id: s.template?.id ?? null,
  template_fields: s.template?.fields ?? null,
  webhook_url: s.webhook?.url ?? null,
  webhook_secret_set: s.webhook !== null,
  default_answers: Object.fromEntries(SERVICE_TOPICS.map((t) => [t, answerTo(t, { ...s, answers: DEFAULT_ORDER_SETTINGS.answers }, ordering)])),
});

/**
 * @example await createOrderSettingsStore(sql, secretsOf(db)).update(account, { shipping_fen: 1000, free_shipping_over_fen: 9900 })
 */
export function createOrderSettingsStore(sql: Sql, secrets: SecretBox, clock: Clock = systemClock) {
  const context = (account: string) => secretContext('order_settings', 'webhook_secret', account);
  const fromRow = (r: Row | undefined): OrderSettings => {
    if (!r) return DEFAULT_ORDER_SETTINGS;
    const fields = fieldsFrom(r.template_fields);
    return {
      answers: { how_to_order: r.how_to_order_text, cod: r.cod_text, shipping_time: r.shipping_time_text, shipping_fee: r.shipping_fee_text, returns: r.returns_text },
      shippingFen: r.shipping_fen ?? DEFAULT_ORDER_SETTINGS.shippingFen,
      freeShippingOverFen: r.free_shipping_over_fen,
      maxPendingPerHour: r.max_pending_per_hour ?? DEFAULT_ORDER_SETTINGS.maxPendingPerHour,
      template: r.template_id && fields ? { id: r.template_id, fields } : null,
      webhook: r.webhook_url && r.webhook_secret ? { url: r.webhook_url, secret: secrets.open(r.webhook_secret, context(r.account)) } : null,
    };
  };
  const COLUMNS = [
    'how_to_order_text', 'cod_text', 'shipping_time_text', 'shipping_fee_text', 'returns_text', 'shipping_fen', 'free_shipping_over_fen',
    'max_pending_per_hour', 'template_id', 'template_fields', 'webhook_url', 'webhook_secret',
  ] as const;
  const GET = 'SELECT * FROM order_settings WHERE account = ?';
  const UPSERT = `INSERT INTO order_settings (account, ${COLUMNS.join(', ')}, updated_at) VALUES (?, ${COLUMNS.map(() => '?').join(', ')}, ?)
    ON CONFLICT (account) DO UPDATE SET ${COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at
    RETURNING *`;
  return {
    get: async (account: AccountId | string): Promise<OrderSettings> => fromRow(await sql.get<Row>(GET, [account])),
    /** Applies a validated patch: given fields change, null resets one, absent ones stay. */
    update(account: AccountId | string, patch: OrderSettingsPatch): Promise<OrderSettings> {
      // Read, patch, write: two patches of one account (from two instances) take turns, so neither undoes the other.
      return sql.transaction(async (tx) => {
        const row = await tx.get<Row>(GET, [account]);
        const values: Param[] = [account];
        for (const c of COLUMNS) {
          const given = patch[c];
          if (given === undefined) values.push((row?.[c] as Param | undefined) ?? null);
          else if (given === null) values.push(null);
          else if (c === 'template_fields') values.push(JSON.stringify(given));
          else if (c === 'webhook_secret') values.push(secrets.seal(given as string, context(account)));
          else values.push(given as Param);
        }
        values.push(clock.now());
        return fromRow(await tx.get<Row>(UPSERT, values));
      }, { lock: `order-settings:${account}` });
    },
  };
}
