/**
 * The merchant's answers to the service questions beyond the order ones (those are the order settings'):
 * 人工, 是正品吗, 尺码, 门店, 优惠, 你是谁, what the bot cannot answer, and complaints; and whether 「人工」 hands
 * the follower to the official account's customer-service staff (WeChat's `transfer_customer_service`).
 * Per account in `service_settings`; a topic without the merchant's text gets its default, which says nothing
 * the shop may not do (a shop that takes no orders in the chat is not told about 下单 or 订单号).
 * Texts may hold {bot_name}, {account_name} and {examples} like the bot's own texts (agent/texts.ts).
 * Not cached: the agent reads them at each service question (one keyed row), so an edit made through any
 * instance holds at the next question on all of them.
 */
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import { say } from '../../core/localised.ts';
import type { AccountId } from '../../core/messages.ts';
import type { Sql } from '../../db/sql/sql.ts';

/** The topics answered from here, in the order the console lists them. */
export const ANSWER_TOPICS = ['human', 'authenticity', 'sizes', 'stores', 'coupons', 'who_are_you', 'out_of_scope', 'complaint'] as const;
export type AnswerTopic = (typeof ANSWER_TOPICS)[number];

export interface ServiceSettings {
  /** The merchant's own answers; a topic absent: its default (`defaultServiceAnswer`). */
  readonly answers: Readonly<Partial<Record<AnswerTopic, string>>>;
  /**
   * 「人工」 and complaints on the official account are handed to its customer-service staff (the merchant has
   * WeChat's customer service, 客服, with people signed in); other channels get the text.
   */
  readonly humanTransfer: boolean;
}

/** What the defaults depend on: whether the shop takes orders (it has products) and whether this answer hands the follower over. */
export interface AnswerSituation {
  readonly ordering: boolean;
  readonly humanTransfer: boolean;
}

const DEFAULT_SERVICE_SETTINGS: ServiceSettings = { answers: {}, humanTransfer: false };

/**
 * The default answer to a topic in a situation.
 * @example defaultServiceAnswer('authenticity', { ordering: true, humanTransfer: false }) // '我们卖的都是正品…'
 */
function defaultServiceAnswer(topic: AnswerTopic, s: AnswerSituation): string {
  switch (topic) {
    case 'human':
      return s.humanTransfer
        ? '正在为你转接人工客服，请稍等～'
        : `好的，已经帮你转告人工客服，客服上班后会尽快在这里回复你。可以先把想问的${s.ordering ? '（有订单的话连同订单号）' : ''}留言给我。`;
    case 'authenticity':
      return '我们卖的都是正品，货源来自品牌方和正规渠道，请放心。收到后有任何疑问，回复「人工」找客服。';
    case 'sizes':
      return `每件商品可选的尺码写在商品页上${s.ordering ? '，下单时选就行' : ''}。拿不准的话，把身高、体重和平时穿的尺码发给我们，回复「人工」让客服帮你挑。`;
    case 'stores':
      return '我们目前在线上营业，还没有登记线下门店。想找什么直接告诉我就好～';
    case 'coupons':
      return '现在的优惠都直接算在价格里了，看到的就是到手价。有新活动时会第一时间告诉你～';
    case 'who_are_you':
      return '我是{bot_name}，{account_name}的智能助手（是机器人哦🤖）。想找什么直接告诉我，比如{examples}；需要真人帮忙，回复「人工」。';
    case 'out_of_scope':
      return '这个{bot_name}还答不上来😅 我能帮你找东西，比如{examples}；回复「帮助」看看我还能做什么。';
    case 'complaint':
      return `非常抱歉给你带来不好的体验😔 你说的情况已经记下并转给人工客服，客服会尽快联系你处理。方便的话，请留下${s.ordering ? '订单号和' : ''}联系电话。`;
  }
}

/** The answer to a topic: the merchant's, or the default for the situation. */
export function serviceAnswer(topic: AnswerTopic, settings: ServiceSettings, situation: AnswerSituation): string {
  return settings.answers[topic] ?? defaultServiceAnswer(topic, situation);
}

const PLAIN_TEXT = /^(?:[^\p{Cc}]|[\n\t])*$/u;
const answerText = (topic: AnswerTopic) =>
  z
    .string({ error: say({ en: `answers.${topic}: the answer followers get, or null for the default`, zh: '请填写回复内容，或留空使用默认回复' }) })
    .trim()
    .min(1, say({ en: `answers.${topic}: empty; send null for the default answer`, zh: '不能只有空白；留空即使用默认回复' }))
    .regex(PLAIN_TEXT, say({ en: `answers.${topic}: plain text`, zh: '只能是普通文字（可以换行）' }))
    .refine((t) => Buffer.byteLength(t, 'utf8') <= 1800, say({ en: `answers.${topic}: at most 1800 bytes (a Chinese character takes 3)`, zh: '太长了：最多约 600 个汉字' }))
    .nullable()
    .optional();

export const serviceSettingsPatchSchema = z.strictObject(
  {
    answers: z
      .strictObject(
        Object.fromEntries(ANSWER_TOPICS.map((t) => [t, answerText(t)])) as Record<AnswerTopic, ReturnType<typeof answerText>>,
        { error: say({ en: `answers: an object whose keys are topics (${ANSWER_TOPICS.join(', ')})`, zh: `回复应按问题填写（${ANSWER_TOPICS.join('、')}）` }) },
      )
      .optional(),
    human_transfer: z
      .boolean({ error: say({ en: 'human_transfer: true to hand 「人工」 to the account\'s customer-service staff, false to answer with the text', zh: '「转接微信客服」只能是开或关' }) })
      .optional(),
  },
  { error: say({ en: 'the service answers: a JSON object', zh: '客服问答设置应是一个 JSON 对象' }) },
);
export type ServiceSettingsPatch = z.infer<typeof serviceSettingsPatchSchema>;

/** The settings as the API shows them, with each topic's default for this shop. */
export const serviceSettingsToJson = (s: ServiceSettings, ordering: boolean) => ({
  answers: Object.fromEntries(ANSWER_TOPICS.map((t) => [t, s.answers[t] ?? null])) as Record<AnswerTopic, string | null>,
  human_transfer: s.humanTransfer,
  default_answers: Object.fromEntries(ANSWER_TOPICS.map((t) => [t, defaultServiceAnswer(t, { ordering, humanTransfer: s.humanTransfer })])) as Record<AnswerTopic, string>,
});

interface Row {
  answers: string;
  human_transfer: number;
}

/** Stored answers, keeping only known topics with text (a topic dropped from the list is ignored, not an error). */
function answersFrom(json: string): ServiceSettings['answers'] {
  try {
    const v: unknown = JSON.parse(json);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).filter(([k, t]) => (ANSWER_TOPICS as readonly string[]).includes(k) && typeof t === 'string' && t !== ''));
  } catch {
    return {};
  }
}

const GET = 'SELECT answers, human_transfer FROM service_settings WHERE account = ?';
const UPSERT = `INSERT INTO service_settings (account, answers, human_transfer, updated_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (account) DO UPDATE SET answers = excluded.answers, human_transfer = excluded.human_transfer, updated_at = excluded.updated_at
  RETURNING answers, human_transfer`;

const fromRow = (r: Row | undefined): ServiceSettings =>
  r ? { answers: answersFrom(r.answers), humanTransfer: r.human_transfer === 1 } : DEFAULT_SERVICE_SETTINGS;

/**
 * @example await createServiceSettingsStore(sql).update(account, { answers: { stores: '门店在静安寺，每天 10 点到 22 点' }, human_transfer: true })
 */
export function createServiceSettingsStore(sql: Sql, clock: Clock = systemClock) {
  return {
    get: async (account: AccountId | string): Promise<ServiceSettings> => fromRow(await sql.get<Row>(GET, [account])),
    /** Applies a validated patch: a given answer changes, null resets it to the default, absent ones stay. */
    update(account: AccountId | string, patch: ServiceSettingsPatch): Promise<ServiceSettings> {
      // Read, patch, write: patches of one account from two instances take turns, so neither undoes the other's topics.
      return sql.transaction(async (tx) => {
        const now = fromRow(await tx.get<Row>(GET, [account]));
        const answers: Partial<Record<AnswerTopic, string>> = { ...now.answers };
        for (const [topic, text] of Object.entries(patch.answers ?? {}) as [AnswerTopic, string | null | undefined][]) {
          if (text === null) delete answers[topic];
          else if (text !== undefined) answers[topic] = text;
        }
        return fromRow(await tx.get<Row>(UPSERT, [account, JSON.stringify(answers), (patch.human_transfer ?? now.humanTransfer) ? 1 : 0, clock.now()]));
      }, { lock: `service-settings:${account}` });
    },
  };
}
export type ServiceSettingsStore = ReturnType<typeof createServiceSettingsStore>;
