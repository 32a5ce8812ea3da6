/**
 * Who answered a message, in the merchant's words: the API's `answered_by` (rule:<id>, store:<id>, a skill or a
 * built-in step; see src/core/answered-by.ts) and the rule it names. Used by the test box and 对话.
 */

export interface RuleRef {
  readonly id: number;
  readonly name: string;
}

/** What answered: a rule (link to it), a skill, a built-in step, or a store's welcome. */
export type Answerer =
  | { readonly kind: 'rule'; readonly rule: RuleRef }
  | { readonly kind: 'skill' | 'builtin' | 'store' | 'other'; readonly name: string };

const SKILLS: Readonly<Record<string, string>> = {
  products: '商品搜索', products_none: '商品搜索（没找到）', products_relaxed: '商品搜索（放宽了条件）', products_new: '商品搜索（按新条件）',
  products_nearest: '商品搜索（没有这类，推荐最接近的）',
  hotels: '酒店搜索', hotels_none: '酒店搜索（没找到）', deals: '团购搜索', deals_none: '团购搜索（没找到）',
  ask_city: '团购搜索（问城市）', ask_location: '酒店搜索（问位置）',
  more: '翻页「更多」', more_end: '翻页「更多」（没有更多了）', more_nothing: '翻页「更多」（还没有搜索过）',
  pick: '按序号看详情', pick_gone: '按序号看详情（已下架）', pick_nothing: '按序号看详情（还没有列表）', pick_out_of_range: '按序号看详情（没有这个序号）',
};

/** Answers to service questions (src/orders/chat/service.ts), shown as skills. */
const SERVICE: Readonly<Record<string, string>> = {
  order_service: '客服问答（订单设置）', service: '客服问答', service_handoff: '客服问答（转人工）', service_flagged: '客服问答（投诉，需要人工处理）',
};

const BUILTINS: Readonly<Record<string, string>> = {
  welcome: '关注欢迎语', help: '帮助', opt_out: '退订', opt_in: '订阅', greeting: '问候', thanks: '致谢', acknowledged: '收到确认',
  no_need_to_send: '无需发送', fallback: '兜底回复', 'broadcast-reply': '群发回复收集', 'broadcast-mass-finished': '群发结果通知',
};

/** @example answererOf('rule:3', { id: 3, name: '优惠券' }) // { kind: 'rule', rule: { id: 3, name: '优惠券' } } */
export function answererOf(answeredBy: string | null, rule: RuleRef | null): Answerer {
  if (rule) return { kind: 'rule', rule };
  if (answeredBy === null) return { kind: 'other', name: '没有回答' };
  if (answeredBy in SKILLS) return { kind: 'skill', name: SKILLS[answeredBy]! };
  if (answeredBy in SERVICE) return { kind: 'skill', name: SERVICE[answeredBy]! };
  if (answeredBy in BUILTINS) return { kind: 'builtin', name: BUILTINS[answeredBy]! };
  if (answeredBy.startsWith('store:')) return { kind: 'store', name: answeredBy.slice('store:'.length) };
  if (answeredBy.startsWith('custom:')) return { kind: 'skill', name: answeredBy.slice('custom:'.length) };
  return { kind: 'other', name: answeredBy };
}

/** The small line under a bot message in 对话: 「规则：优惠券」, 「技能：商品搜索」, 「内置：帮助」. */
export function answererLine(a: Answerer): string {
  switch (a.kind) {
    case 'rule':
      return `规则：${a.rule.name}`;
    case 'skill':
      return `技能：${a.name}`;
    case 'builtin':
      return `内置：${a.name}`;
    case 'store':
      return `门店欢迎语：${a.name}`;
    case 'other':
      return a.name;
  }
}

/** The test box's sentence: 「由规则「优惠券」回答」, 「由商品搜索回答」. */
export function answererSentence(a: Answerer): string {
  switch (a.kind) {
    case 'rule':
      return `由规则「${a.rule.name}」回答`;
    case 'skill':
      return `由${a.name}回答`;
    case 'builtin':
      return `由内置的${a.name}回答`;
    case 'store':
      return `由门店「${a.name}」的欢迎语回答`;
    case 'other':
      return a.name === '没有回答' ? '没有任何规则或技能回答' : `由 ${a.name} 回答`;
  }
}
