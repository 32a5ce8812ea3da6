/**
 * The merchant's part of the agent pipeline, in the slots of STEP_ORDER (agent/step-order.ts):
 * - `attribution` (merchantEvents): a follow or scan through a store's QR code attributes and tags the
 *   follower (never answers);
 * - `events` (merchantEvents): scene rules, then the store's welcome, then follow rules (follow only) replace
 *   the built-in welcome; click rules answer menu keys;
 * - `keywords` (merchantMessages): keyword rules; TD/退订/订阅 come before them, so opting out always works;
 * - `fallback` (merchantFallback): the merchant's fallback rule.
 * Matching is the pure matcher over the live view (book.ts); writes go through the turn's group commit.
 */
import type { TurnContext } from '../agent/context.ts';
import type { Persona } from '../core/persona.ts';
import type { Step } from '../agent/pipeline.ts';
import type { Inbound, Reply } from '../core/messages.ts';
import { isUserMessage } from '../core/messages.ts';
import type { StoreRegistry } from './shops/registry.ts';
import type { MerchantBook } from './book.ts';
import { safeText } from '../core/link-safety.ts';
import { chooseReplies, matchEvent, matchText, toReply } from './rules/match.ts';
import type { Rule } from './rules/model.ts';
import type { RuleStore } from './rules/rule-store.ts';
import { logWriteError } from '../db/write-health.ts';
import { ruleAnswer, storeAnswer } from '../core/answered-by.ts';
import { isTestFollower } from '../core/test-follower.ts';

export interface MerchantStepsDeps {
  readonly book: MerchantBook;
  readonly rules: Pick<RuleStore, 'recordHit'>;
  readonly stores: Pick<StoreRegistry, 'attribute'>;
  /** In [0, 1): picks the reply of `random` rules (injected for tests). */
  readonly random: () => number;
  /**
   * Delivers a rule's further replies (`reply_mode: all`) after the passive one, e.g. through the
   * customer-service API; absent where there is no such channel (then only the first reply is sent).
   */
  readonly followUps?: ((inbound: Inbound, replies: readonly Reply[]) => void) | undefined;
}

export interface MerchantSteps {
  readonly attribution: Step;
  readonly events: Step;
  readonly keywords: Step;
  readonly fallback: Step;
  /** The persona of the inbound's account, from its settings. */
  persona(inbound: Inbound): Persona;
}

/**
 * @example createAgent({ db, merchant: { events: [s.attribution, s.events], messages: [s.keywords], fallback: [s.fallback] } })
 */
export function createMerchantSteps(deps: MerchantStepsDeps): MerchantSteps {
  const { book } = deps;

  function answerWith(ctx: TurnContext, rule: Rule): void {
    const replies = chooseReplies(rule, deps.random).map(toReply);
    ctx.answer(replies[0]!, ruleAnswer(rule.id));
    if (replies.length > 1) deps.followUps?.(ctx.inbound, replies.slice(1));
    const { account, user } = ctx.inbound;
    // The console's test follower tries rules out: its answers are not hits.
    if (isTestFollower(user)) return;
    // A unit of its own: it joins the message's group commit on SQLite.
    deps.rules.recordHit(account, rule.id, ctx.now).catch((err: unknown) => logWriteError(ctx.log, err, 'could not count a rule hit'));
  }

  const attribution: Step = async (ctx, next) => {
    const m = ctx.inbound;
    const scene = m.kind === 'follow' ? m.scene : m.kind === 'scan' ? m.scene : null;
    if (scene) {
      const view = book.view(m.account);
      if (view.stores.has(scene)) {
        const mode = view.settings.storeAttribution;
        const via = m.kind === 'follow' ? 'follow' : 'scan';
        // A unit of its own: it joins the message's group commit on SQLite.
        await deps.stores.attribute({ account: m.account, user: m.user, storeId: scene, via, at: ctx.now, mode });
      }
    }
    await next();
  };

  const events: Step = (ctx, next) => {
    const m = ctx.inbound;
    if (m.kind !== 'follow' && m.kind !== 'scan' && m.kind !== 'menu_click') return next();
    const { rules, stores } = book.view(m.account);
    if (m.kind === 'menu_click') {
      const rule = matchEvent(rules, 'click', ctx.now, m.key);
      return rule ? answerWith(ctx, rule) : next();
    }
    if (m.scene) {
      const rule = matchEvent(rules, 'scene', ctx.now, m.scene);
      if (rule) return answerWith(ctx, rule);
      // Links that are not http(s), stored before the check on write, are dropped as in rule replies.
      const welcome = safeText(stores.get(m.scene)?.welcome ?? '');
      if (welcome.trim()) return ctx.answer({ type: 'text', text: welcome }, storeAnswer(m.scene));
    }
    if (m.kind === 'follow') {
      const rule = matchEvent(rules, 'follow', ctx.now);
      if (rule) return answerWith(ctx, rule);
    }
    return next();
  };

  const keywords: Step = (ctx, next) => {
    const m = ctx.inbound;
    if (m.kind !== 'text') return next();
    const { rules } = book.view(m.account);
    const { match, skipped } = matchText(rules, m.text, ctx.now);
    if (skipped > 0) ctx.log.warn({ account: m.account, skipped }, 'regex rules skipped: matching ran over its time budget');
    if (!match) return next();
    ctx.note({ intent: 'rule', slots: { rule: match.rule.id, name: match.rule.name, keyword: match.keyword } });
    answerWith(ctx, match.rule);
  };

  const fallback: Step = (ctx, next) => {
    if (!isUserMessage(ctx.inbound)) return next();
    const rule = matchEvent(book.view(ctx.inbound.account).rules, 'fallback', ctx.now);
    return rule ? answerWith(ctx, rule) : next();
  };

  return {
    attribution,
    events,
    keywords,
    fallback,
    persona: (inbound) => book.view(inbound.account).settings,
  };
}
