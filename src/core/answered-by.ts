/**
 * Who answered a turn: the name a step gives its answer (`ctx.answer(reply, by)`), which the answer log
 * stores, the reports count and `guang rules test` explains. Every name a step can answer with is here.
 */

/** The answers every account has (agent/steps/builtins.ts). */
export type BuiltinAnswer =
  | 'welcome' | 'help' | 'opt_out' | 'opt_in' | 'greeting' | 'thanks' | 'acknowledged' | 'no_need_to_send' | 'fallback';

/** The shopping skills' answers (agent/skills/): a list, an empty list, a question back, a page, a pick. */
export type SkillAnswer =
  | 'products' | 'products_relaxed' | 'products_new' | 'products_nearest' | 'products_none'
  | 'hotels' | 'hotels_none'
  | 'deals' | 'deals_none'
  | 'ask_city' | 'ask_location'
  | 'more' | 'more_end' | 'more_nothing'
  | 'pick' | 'pick_gone' | 'pick_nothing' | 'pick_out_of_range';

/** Orders in the conversation (orders/chat/): the checkout's questions and outcomes, 我的订单, 取消订单, service answers. */
export type OrderAnswer =
  | 'order_ask' | 'order_summary' | 'order_placed' | 'order_refused' | 'order_dropped'
  | 'my_orders' | 'order_show' | 'order_cancel_ask' | 'order_cancelled' | 'order_cancel_refused' | 'order_service';

/**
 * Service questions (orders/chat/service.ts): answered (包邮吗, 是正品吗, 你是谁 …), handed to a person (人工), or a
 * complaint answered kindly and flagged for a person. The last two make the reports' 「需要人工」 list.
 */
export type ServiceAnswer = 'service' | 'service_handoff' | 'service_flagged';

/** Broadcast events and replies (push/mass-finished.ts, push/replies.ts). */
type PushAnswer = 'broadcast-mass-finished' | 'broadcast-reply';

export const RULE_ANSWER_PREFIX = 'rule:';
const STORE_ANSWER_PREFIX = 'store:';
/** A merchant's reply rule, by id. */
export type RuleAnswer = `${typeof RULE_ANSWER_PREFIX}${number}`;
/** A store's welcome, by store id (the QR scene). */
export type StoreAnswer = `${typeof STORE_ANSWER_PREFIX}${string}`;
/** A step the embedding code adds (AgentOptions.skills) names its answers `custom:<name>`. */
type CustomAnswer = `custom:${string}`;

export type AnsweredBy = BuiltinAnswer | SkillAnswer | OrderAnswer | ServiceAnswer | PushAnswer | RuleAnswer | StoreAnswer | CustomAnswer;

/** @example ruleAnswer(12) // 'rule:12' */
export const ruleAnswer = (ruleId: number): RuleAnswer => `${RULE_ANSWER_PREFIX}${ruleId}`;

/** @example storeAnswer('store_12') // 'store:store_12' */
export const storeAnswer = (storeId: string): StoreAnswer => `${STORE_ANSWER_PREFIX}${storeId}`;

/** The id of the rule that answered, or null when no rule did. */
export function answeringRule(by: AnsweredBy | null): number | null {
  return by?.startsWith(RULE_ANSWER_PREFIX) ? Number(by.slice(RULE_ANSWER_PREFIX.length)) : null;
}

/** The id of the store whose welcome answered, or null. */
export function answeringStore(by: AnsweredBy | null): string | null {
  return by?.startsWith(STORE_ANSWER_PREFIX) ? by.slice(STORE_ANSWER_PREFIX.length) : null;
}
