/**
 * `guang rules test` and the console's 规则测试: which rule or skill would answer a message, and why — by running the
 * real pipeline (the same agent the server runs, over the same database) on a scratch whose writes are all undone,
 * so nothing it does stays: no opt-out, no session, no answer log, no rule hit, no customer-service message. Then
 * the answer is explained from the rules themselves (matchers, priorities, active hours).
 *
 * The scratch: on SQLite a transaction rolled back (on the file itself for the CLI, on an in-memory copy for the
 * server, whose live writes must neither wait for it nor land in it); on PostgreSQL a connection of its own whose
 * transaction is rolled back (src/db/sql/rolled-back.ts), for both.
 */
import { randomUUID } from 'node:crypto';
import { createShopAgent, type ShopAgentOptions } from './shop-agent.ts';
import type { Inbound, Reply } from '../core/messages.ts';
import { accountId, userId } from '../core/messages.ts';
import type { Clock } from '../core/clock.ts';
import { manualClock, systemClock } from '../core/clock.ts';
import { memoryCopy, rememberSecrets, secretsOf } from '../db/db.ts';
import type { Sql } from '../db/sql/sql.ts';
import { sqliteSql, type SqliteSql } from '../db/sql/sqlite.ts';
import type { PostgresSql } from '../db/sql/postgres.ts';
import { rolledBackSql } from '../db/sql/rolled-back.ts';
import type { DryRunner } from '../admin/conversation-types.ts';
import { describeHours, shanghaiDay, shanghaiTime } from '../merchant/rules/hours.ts';
import { explainText, type RuleCandidate } from '../merchant/rules/match.ts';
import type { MatchMode, Rule, RuleEvent } from '../merchant/rules/model.ts';
import { placeOf } from '../agent/step-order.ts';
import { answeringRule, answeringStore, type AnsweredBy, type OrderAnswer, type ServiceAnswer, type SkillAnswer } from '../core/answered-by.ts';

export type DryRunInput =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'follow'; readonly scene: string | null }
  | { readonly kind: 'scan'; readonly scene: string }
  | { readonly kind: 'menu_click'; readonly key: string };

export interface DryRunResult {
  readonly answeredBy: AnsweredBy | null;
  readonly reply: Reply;
  /** Further replies a rule would send after the passive one (`reply_mode: all`). */
  readonly followUps: readonly Reply[];
  readonly intent: string | null;
  readonly resultIds: readonly string[];
  /** Keyword rules whose keywords match the text, in the order tried, and what became of each. */
  readonly candidates: readonly RuleCandidate[];
  /** Why, in words. */
  readonly explanation: string[];
}

export interface DryRunOptions {
  /** The database, either kind (openDatabase's `sql`): the dry run reads it as it is and leaves it so. */
  readonly sql: Sql;
  /**
   * SQLite: run on an in-memory copy instead of in a transaction on the file (which holds the file's write lock
   * until the dry run ends). The server's choice; PostgreSQL always runs on a connection of its own.
   */
  readonly copy?: boolean;
  readonly account: string;
  readonly user: string;
  readonly input: DryRunInput;
  readonly clock?: Clock;
  readonly publicBase?: () => string;
  readonly random?: () => number;
  /** The explanation's language (default English, as the CLI prints it; the console asks for Chinese). */
  readonly language?: 'en' | 'zh';
  /** The catalogue search to lend (ShopAgentOptions.search), which only reads; default one of its own over the scratch. */
  readonly search?: ShopAgentOptions['search'];
}

/** A database the dry run may write to once `begin` has run, and how to undo all it wrote. */
interface Scratch {
  readonly sql: Sql;
  /** Before the turn: what the agent reads while it loads (rules, the catalogue) needs no write lock on SQLite. */
  begin(): void;
  discard(): Promise<void>;
}

async function scratchOf(sql: Sql, copy: boolean): Promise<Scratch> {
  if (sql.dialect === 'postgres') {
    const scratch = await rolledBackSql((sql as PostgresSql).pool);
    // The order desk reads the account's order settings, whose secrets are sealed with the database's key.
    rememberSecrets(scratch, secretsOf(sql));
    return { sql: scratch, begin: () => {}, discard: () => scratch.close() };
  }
  const file = (sql as SqliteSql).db;
  const db = copy ? memoryCopy(file) : file;
  // Its adapter (the file's own, when not a copy) runs its units as savepoints inside the transaction `begin` opens.
  const scratch = sqliteSql(db);
  return {
    sql: scratch,
    begin: () => db.exec('BEGIN IMMEDIATE'),
    async discard() {
      try {
        // Units queued before this one have run (in order) once it has: then everything is in the transaction.
        await scratch.transaction(() => undefined);
      } finally {
        if (db.inTransaction) db.exec('ROLLBACK');
        if (copy) await scratch.close();
      }
    },
  };
}

/**
 * @example const r = await dryRun({ sql: database.sql, account: 'default', user: 'o_test', input: { kind: 'text', text: '优惠券' } });
 */
export async function dryRun(options: DryRunOptions): Promise<DryRunResult> {
  const { input, clock = systemClock } = options;
  let handled: { answeredBy: AnsweredBy | null; intent: string | null; resultIds: readonly string[] } = { answeredBy: null, intent: null, resultIds: [] };
  const followUps: Reply[] = [];
  const scratch = await scratchOf(options.sql, options.copy === true);
  let reply: Reply;
  let shop: ReturnType<typeof createShopAgent> | undefined;
  const now = clock.now();
  try {
    // Everything of the agent is its own and over the scratch (its rules book, sessions, dedup, liveness), but the
    // catalogue search a server lends, which only reads.
    shop = createShopAgent({
      db: scratch.sql,
      clock,
      publicBase: options.publicBase ?? (() => 'http://localhost:3000'),
      pollMs: 0,
      merchantPollMs: 0,
      // What the pipeline answers when it has the time: a dry run shares its process with a serving instance (or
      // a busy CLI), and a merchant asking which rule answers must not be shown the over-budget fallback because
      // the machine was busy for 300 ms. 4 s is the most a live turn may be given (GUANG_TURN_BUDGET_MS).
      budget: { ms: 4_000 },
      ...(options.random ? { random: options.random } : {}),
      ...(options.search ? { search: options.search } : {}),
      followUps: (_inbound, replies) => followUps.push(...replies),
      onHandled: ({ answeredBy, trace }) => {
        handled = { answeredBy, intent: trace.intent, resultIds: trace.resultIds };
      },
    });
    await shop.ready;
    const msgId = String(Date.now()) + String(Math.floor(Math.random() * 1e6));
    const meta = {
      channel: 'wechat' as const,
      account: accountId(options.account),
      user: userId(options.user),
      createdAt: Math.floor(now / 1000),
    };
    const inbound: Inbound =
      input.kind === 'text'
        ? { ...meta, kind: 'text', msgId, text: input.text, viaVoice: false, dedupKey: `dry-run:${randomUUID()}` }
        : input.kind === 'follow'
          ? { ...meta, kind: 'follow', scene: input.scene, ticket: null, dedupKey: `dry-run:${randomUUID()}` }
          : input.kind === 'scan'
            ? { ...meta, kind: 'scan', scene: input.scene, ticket: null, dedupKey: `dry-run:${randomUUID()}` }
            : { ...meta, kind: 'menu_click', key: input.key, dedupKey: `dry-run:${randomUUID()}` };

    scratch.begin();
    const turn = await shop.agent.receive(inbound);
    reply = await turn.answer;
    await shop.agent.drain();
  } finally {
    // Stopped before the rollback, so what stopping writes (the liveness lease given up) is undone with the rest.
    await shop?.stop();
    // Writes the turn did not await (answer log, dedup record, rule hit) are queued on the next ticks: let them
    // reach the scratch before it is discarded.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    await scratch.discard();
  }
  const view = shop.book.view(options.account);
  const candidates = input.kind === 'text' ? explainText(view.rules, input.text, now) : [];
  const byId = new Map<number, Rule>();
  for (const list of [view.rules.keyword, view.rules.follow, view.rules.fallback, ...view.rules.scene.values(), ...view.rules.click.values()]) {
    for (const c of list) byId.set(c.rule.id, c.rule);
  }
  const explanation = (options.language === 'zh' ? explainZh : explain)({ answeredBy: handled.answeredBy, input, candidates, byId, stores: view.stores, now, intent: handled.intent, resultIds: handled.resultIds });
  return { answeredBy: handled.answeredBy, reply, followUps, intent: handled.intent, resultIds: handled.resultIds, candidates, explanation };
}

/**
 * The dry run as the server offers it (the admin API's `testRule`), on either database: on SQLite over an
 * in-memory copy, so the live server's writes neither wait for the dry run's transaction nor land in it to be
 * rolled back with it; on PostgreSQL on a connection of its own, rolled back. `at` null: the server's clock. The
 * catalogue is searched through the live server's search (read-only).
 */
export function serverDryRun(options: { sql: Sql; clock: Clock; publicBase: () => string; random?: () => number; search: NonNullable<ShopAgentOptions['search']> }): DryRunner {
  return async ({ account, user, input, at, chinese }) => {
    const clock = at === null ? options.clock : manualClock(at);
    return dryRun({
      sql: options.sql, copy: true, account, user, input, clock, publicBase: options.publicBase, search: options.search, language: chinese ? 'zh' : 'en',
      ...(options.random ? { random: options.random } : {}),
    });
  };
}

const quote = (s: string) => `「${s}」`;

function describeRule(rule: Rule, keyword?: string | null): string {
  const what = rule.match
    ? `${rule.match} ${keyword !== undefined && keyword !== null ? quote(keyword) : rule.keywords.map(quote).join(' ')}`
    : `${rule.event}${rule.keywords.length ? ' ' + rule.keywords.map(quote).join(' ') : ''}`;
  const hours = rule.activeHours ? `, active ${describeHours(rule.activeHours)}` : '';
  return `rule #${rule.id} ${quote(rule.name)} (${what}, priority ${rule.priority}${hours}, ${rule.replies.length} repl${rule.replies.length === 1 ? 'y' : 'ies'}, ${rule.replyMode})`;
}

/** How each skill's answer is explained: every skill answer has one (a new one fails tsc until it is added). */
const SKILLS: Record<SkillAnswer, string> = {
  products: 'the product search', products_none: 'the product search (nothing found)',
  products_relaxed: 'the product search, loosened (nothing matched every word, or a price limit kept from before)',
  products_new: 'the product search, started anew (a brand the last list\'s category does not have)',
  products_nearest: 'the product search, offering the nearest kind the shop has (it has none of the kind asked for)',
  hotels: 'the hotel search', hotels_none: 'the hotel search (nothing found)',
  deals: 'the deal search', deals_none: 'the deal search (nothing found)',
  ask_city: 'the deal search, asking for a city', ask_location: 'the hotel search, asking where',
  more: '「更多」 paging', more_end: '「更多」 paging (no more)', more_nothing: '「更多」 paging (nothing shown yet)',
  pick: 'picking an item by number', pick_gone: 'picking an item by number (it is gone)',
  pick_nothing: 'picking an item by number (nothing shown yet)', pick_out_of_range: 'picking an item by number (no such number)',
};

const isSkillAnswer = (by: AnsweredBy | null): by is SkillAnswer => by !== null && Object.hasOwn(SKILLS, by);

/** How each answer of the orders in the conversation (orders/chat/) is explained. */
const ORDERS: Record<OrderAnswer, string> = {
  order_ask: 'the checkout, asking for what the order lacks', order_summary: 'the checkout, showing the order to confirm',
  order_placed: 'the checkout, placing the order', order_refused: 'the checkout, refusing (stock, limit, nothing to order)',
  order_dropped: 'the checkout, dropping the draft (取消)', my_orders: '我的订单', order_show: '订单 N',
  order_cancel_ask: '取消订单, asking which or to confirm', order_cancelled: '取消订单, cancelling', order_cancel_refused: '取消订单, refusing',
  order_service: 'the service answers of the order settings',
};
const isOrderAnswer = (by: AnsweredBy | null): by is OrderAnswer => by !== null && Object.hasOwn(ORDERS, by);

/** How each answer to a service question (orders/chat/service.ts) is explained, in English and Chinese. */
const SERVICE: Record<ServiceAnswer, { en: string; zh: string }> = {
  service: { en: 'the service answers (order and service settings)', zh: '客服问答（订单设置与客服问答里的回复）' },
  service_handoff: { en: 'the hand-off to a person (人工)', zh: '转人工客服' },
  service_flagged: { en: 'the complaint answer, flagged for a person', zh: '投诉回复（已标记为需要人工处理）' },
};
const isServiceAnswer = (by: AnsweredBy | null): by is ServiceAnswer => by !== null && Object.hasOwn(SERVICE, by);

/** What `explain` reads: who answered, what was sent, the candidates and the rules. */
interface Explaining {
  answeredBy: AnsweredBy | null;
  input: DryRunInput;
  candidates: readonly RuleCandidate[];
  byId: ReadonlyMap<number, Rule>;
  stores: ReadonlyMap<string, { name: string }>;
  now: number;
  intent: string | null;
  resultIds: readonly string[];
}

function explain(a: Explaining): string[] {
  const lines: string[] = [];
  const by = a.answeredBy;
  const ruleId = answeringRule(by);
  const storeId = answeringStore(by);
  const { minutes } = shanghaiTime(a.now);
  const at = `${shanghaiDay(a.now)} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')} Beijing time`;
  if (ruleId !== null) {
    const rule = a.byId.get(ruleId);
    const winner = a.candidates.find((c) => c.status === 'answers');
    lines.push(`Answered by ${rule ? describeRule(rule, winner?.rule.id === rule.id ? winner.keyword : null) : by}.`);
    if (rule?.match) lines.push(`Keyword rules run ${placeOf('merchantMessages', ['subscription', 'help', 'skills'])}.`);
    else if (rule?.event === 'fallback') lines.push('No rule or skill answered the message, so the merchant\'s fallback rule did.');
    else if (rule?.event === 'click') lines.push('Click rules answer the menu keys they name.');
    else if (rule) lines.push('Event rules replace the built-in welcome (scene rules first, then the store\'s welcome, then follow rules).');
  } else if (storeId !== null) {
    lines.push(`Answered by the welcome of store ${storeId} ${quote(a.stores.get(storeId)?.name ?? '?')}: the scene is the store's id, and no scene rule names it.`);
  } else if (by === 'opt_out' || by === 'opt_in') {
    lines.push(`Answered by the built-in ${by === 'opt_out' ? 'opt-out (TD/退订)' : 'opt-in (订阅)'}: it always runs before any rule, so followers can always stop pushes.`);
  } else if (by === 'help') {
    lines.push('Answered by the built-in help: no keyword rule took the message (a rule can, e.g. exact 「帮助」).');
  } else if (by === 'welcome') {
    lines.push('Answered by the built-in welcome: no scene rule, store welcome or follow rule applies.');
  } else if (by === 'fallback') {
    lines.push(a.input.kind === 'text' || a.input.kind === 'follow'
      ? 'Nothing answered it: the built-in fallback (a fallback rule would replace it).'
      : 'Nothing answers this event: the account says nothing (`success`).');
  } else if (isOrderAnswer(by)) {
    lines.push(`Answered by ${ORDERS[by]}: orders in the conversation run ${placeOf('orders', ['merchantMessages', 'smallTalk', 'skills'])}.`);
  } else if (isServiceAnswer(by)) {
    lines.push(`Answered by ${SERVICE[by].en}: service questions are read ${placeOf('orders', ['merchantMessages', 'smallTalk', 'skills'])}.`);
  } else if (isSkillAnswer(by)) {
    lines.push(`Answered by ${SKILLS[by]}${a.intent ? ` (understood as ${a.intent}${a.resultIds.length ? `, ${a.resultIds.length} result${a.resultIds.length > 1 ? 's' : ''}` : ''})` : ''}: no keyword rule matched.`);
  } else {
    lines.push(`Answered by ${by || 'nothing'}.`);
  }
  for (const c of a.candidates) {
    if (c.status === 'answers' && ruleId === c.rule.id) continue;
    const why = {
      answers: 'matches, but a built-in step answered first',
      outranked: 'also matches, but a rule before it answered',
      outside_hours: 'matches, but is outside its active hours now',
      disabled: 'matches, but is disabled',
    }[c.status];
    lines.push(`  ${describeRule(c.rule, c.keyword)}: ${why}.`);
  }
  lines.push(`(Dry run at ${at}; nothing was saved or sent.)`);
  return lines;
}

// ── The same explanation in Chinese, for the console (`Accept-Language: zh`) ──

const MATCH_ZH: Record<MatchMode, string> = { exact: '完全匹配', contains: '包含', regex: '正则' };
const EVENT_ZH: Record<RuleEvent, string> = { follow: '关注', scene: '扫码场景', click: '菜单点击', fallback: '兜底' };
const WEEKDAY_ZH = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

function describeRuleZh(rule: Rule, keyword?: string | null): string {
  const what = rule.match
    ? `${MATCH_ZH[rule.match]} ${keyword !== undefined && keyword !== null ? quote(keyword) : rule.keywords.map(quote).join(' ')}`
    : `${EVENT_ZH[rule.event!]}${rule.keywords.length ? ' ' + rule.keywords.map(quote).join(' ') : ''}`;
  const h = rule.activeHours;
  const hours = h ? `，生效时间 ${h.from}–${h.to}${h.days ? `（${h.days.map((d) => WEEKDAY_ZH[d]).join('、')}）` : ''}` : '';
  return `规则 #${rule.id}${quote(rule.name)}（${what}，优先级 ${rule.priority}${hours}，${rule.replies.length} 条回复，${rule.replyMode === 'all' ? '全部发送' : '随机一条'}）`;
}

const SKILLS_ZH: Record<SkillAnswer, string> = {
  products: '商品搜索', products_none: '商品搜索（没找到）', products_relaxed: '商品搜索（没有同时符合所有条件的，放宽了条件）',
  products_new: '商品搜索（换了个品牌，重新搜）',
  products_nearest: '商品搜索（店里没有这类商品，推荐最接近的）',
  hotels: '酒店搜索', hotels_none: '酒店搜索（没找到）', deals: '团购搜索', deals_none: '团购搜索（没找到）',
  ask_city: '团购搜索（问粉丝在哪个城市）', ask_location: '酒店搜索（问粉丝在哪里）',
  more: '「更多」翻页', more_end: '「更多」翻页（没有更多了）', more_nothing: '「更多」翻页（之前还没有搜索过）',
  pick: '按序号看详情', pick_gone: '按序号看详情（这一项已下架）', pick_nothing: '按序号看详情（之前还没有列表）', pick_out_of_range: '按序号看详情（没有这个序号）',
};

const INTENT_ZH: Readonly<Record<string, string>> = { product: '找商品', hotel: '找酒店', deal: '找团购', more: '翻页', pick: '看详情', rule: '自动回复', none: '未理解' };

/** `explain` in Chinese: the same facts, in the order `explain` gives them. */
function explainZh(a: Explaining): string[] {
  const lines: string[] = [];
  const by = a.answeredBy;
  const ruleId = answeringRule(by);
  const storeId = answeringStore(by);
  const { minutes } = shanghaiTime(a.now);
  const at = `北京时间 ${shanghaiDay(a.now)} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  if (ruleId !== null) {
    const rule = a.byId.get(ruleId);
    const winner = a.candidates.find((c) => c.status === 'answers');
    lines.push(`由${rule ? describeRuleZh(rule, winner?.rule.id === rule.id ? winner.keyword : null) : by}回答。`);
    if (rule?.match) lines.push('关键词规则在退订/订阅之后、内置帮助和购物技能之前执行。');
    else if (rule?.event === 'fallback') lines.push('没有规则或技能能回答这条消息，所以由商家的兜底规则回答。');
    else if (rule?.event === 'click') lines.push('菜单点击规则回答它列出的菜单 key。');
    else if (rule) lines.push('事件规则代替内置欢迎语（先看扫码场景规则，再看门店欢迎语，最后是关注规则）。');
  } else if (storeId !== null) {
    lines.push(`由门店 ${storeId}${quote(a.stores.get(storeId)?.name ?? '?')}的欢迎语回答：二维码场景值就是门店编号，而且没有扫码场景规则用到它。`);
  } else if (by === 'opt_out' || by === 'opt_in') {
    lines.push(`由内置的${by === 'opt_out' ? '退订（TD/退订）' : '订阅（订阅）'}回答：它总在所有规则之前执行，保证粉丝随时能停止推送。`);
  } else if (by === 'help') {
    lines.push('由内置帮助回答：没有关键词规则接住这条消息（可以加一条规则，例如完全匹配「帮助」）。');
  } else if (by === 'welcome') {
    lines.push('由内置欢迎语回答：没有适用的扫码场景规则、门店欢迎语或关注规则。');
  } else if (by === 'fallback') {
    lines.push(a.input.kind === 'text' || a.input.kind === 'follow'
      ? '没有规则或技能能回答：由内置兜底回复回答（加一条兜底规则可以替换它）。'
      : '没有规则回答这个事件：公众号不回复（success）。');
  } else if (isOrderAnswer(by)) {
    lines.push(`Answered by ${ORDERS[by]}: orders in the conversation run ${placeOf('orders', ['merchantMessages', 'smallTalk', 'skills'])}.`);
  } else if (isServiceAnswer(by)) {
    lines.push(`由${SERVICE[by].zh}回答：客服问题在关键词规则之后、闲聊和商品搜索之前识别。`);
  } else if (isSkillAnswer(by)) {
    const understood = a.intent ? `（理解为${INTENT_ZH[a.intent] ?? a.intent}${a.resultIds.length ? `，${a.resultIds.length} 个结果` : ''}）` : '';
    lines.push(`由${SKILLS_ZH[by]}回答${understood}：没有关键词规则匹配。`);
  } else {
    lines.push(`由 ${by || '（无）'} 回答。`);
  }
  for (const c of a.candidates) {
    if (c.status === 'answers' && ruleId === c.rule.id) continue;
    const why = {
      answers: '匹配，但内置步骤先回答了',
      outranked: '也匹配，但排在前面的规则先回答了',
      outside_hours: '匹配，但现在不在它的生效时间内',
      disabled: '匹配，但已停用',
    }[c.status];
    lines.push(`  ${describeRuleZh(c.rule, c.keyword)}：${why}。`);
  }
  lines.push(`（试运行于${at}；没有保存也没有发送任何内容。）`);
  return lines;
}
