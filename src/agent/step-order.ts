/**
 * The order of the agent's steps, written down once: agent.ts composes the pipeline from this list, and
 * every other place that speaks of the order (the merchant's steps, `guang rules test`) refers to it.
 * A turn goes down the slots until a step answers; each slot holds zero or more steps.
 */
export const STEP_ORDER = [
  /** Subscriber bookkeeping: follows, QR scenes, the last message, the last location. Never answers. */
  'bookkeeping',
  /** Broadcast reports (MASSSENDJOBFINISH), store attribution, then scene, store-welcome, follow and click rules. */
  'merchantEvents',
  /** The built-in welcome for a follow no merchant event answered. */
  'welcome',
  /** TD/退订/订阅, before any merchant rule that reads text: no rule can block opting out. */
  'subscription',
  /** Replies to an inviting broadcast, then the merchant's keyword rules. */
  'merchantMessages',
  /** The built-in help. */
  'help',
  /** From here on `ctx.session` is the follower's conversation, saved after the turn (steps/session.ts). */
  'session',
  /**
   * Orders in the conversation (src/orders/chat/): an order being put together, 我的订单, 取消订单, service
   * questions. Before small talk and the skills: while a draft waits for a phone number or 确认, 「好的」 and
   * 「2」 are its answers, not small talk or a pick.
   */
  'orders',
  /** 你好 / 谢谢 / 好的: a word back. */
  'smallTalk',
  /** The skills: custom ones first (AgentOptions.skills), then the shopping skills. */
  'skills',
  /** The merchant's fallback rule. */
  'merchantFallback',
  /** The built-in fallback: a nudge for a follower's message, nothing for an event. */
  'fallback',
] as const;

export type StepSlot = (typeof STEP_ORDER)[number];

/** From this slot on, steps run even when a turn is over its time budget: every turn gets an answer. */
export const FIRST_FALLBACK_SLOT: StepSlot = 'merchantFallback';

/** The slots in words, for explanations (`guang rules test`). */
const SLOT_WORDS: Record<StepSlot, string> = {
  bookkeeping: 'the bookkeeping',
  merchantEvents: 'the event rules',
  welcome: 'the built-in welcome',
  subscription: 'TD/退订/订阅',
  merchantMessages: 'the keyword rules',
  help: 'the built-in help',
  session: 'the session',
  orders: 'the orders in the conversation',
  smallTalk: 'the small talk',
  skills: 'the shopping skills',
  merchantFallback: 'the merchant\'s fallback rule',
  fallback: 'the built-in fallback',
};

/**
 * Where `slot` runs among `others`, in words, from STEP_ORDER.
 * @example placeOf('merchantMessages', ['subscription', 'help', 'skills']) // 'after TD/退订/订阅 and before the built-in help and the shopping skills'
 */
export function placeOf(slot: StepSlot, others: readonly StepSlot[]): string {
  const at = STEP_ORDER.indexOf(slot);
  const words = (side: StepSlot[]) => side.map((s) => SLOT_WORDS[s]).join(' and ');
  const before = others.filter((s) => STEP_ORDER.indexOf(s) < at);
  const after = others.filter((s) => STEP_ORDER.indexOf(s) > at);
  return [before.length ? `after ${words(before)}` : '', after.length ? `before ${words(after)}` : ''].filter(Boolean).join(' and ');
}
