/**
 * The conversational core every channel calls: dedup, then the steps in STEP_ORDER (step-order.ts). Channels
 * hand it an `Inbound` and get a `Handling` whose answer is a channel-neutral `Reply`.
 */
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import { maskId, silentLogger } from '../core/log.ts';
import type { Db } from '../db/db.ts';
import type { Sql } from '../db/sql/sql.ts';
import { asSql } from '../db/sql/sqlite.ts';
import { createHandledMessageStore } from '../db/handled-messages.ts';
import { createAnswerLog } from '../db/answer-log.ts';
import { createSubscriberStore } from '../db/subscribers.ts';
import { createLiveness, processOwnerId } from '../db/liveness.ts';
import { logWriteError, type WriteHealth } from '../db/write-health.ts';
import { normalizeCommand } from '../core/command.ts';
import { createTurnContext, type ConversationStore, type Trace } from './context.ts';
import { createDedup, type Handling, type RetrySchedule } from './dedup.ts';
import type { Persona } from '../core/persona.ts';
import { DEFAULT_PERSONA, type CatalogueOffer } from '../core/persona.ts';
import { createOffers, type Offers } from '../search/offer.ts';
import { headOf } from '../core/input.ts';
import { compose, composeWithBudget, type Budget, type Step } from './pipeline.ts';
import { bookkeeping } from './steps/bookkeeping.ts';
import { fallback, help, smallTalk, subscription, welcome } from './steps/builtins.ts';
import { session } from './steps/session.ts';
import { FIRST_FALLBACK_SLOT, STEP_ORDER, type StepSlot } from './step-order.ts';
import { SESSION_TTL_MS } from './skills/conversation.ts';
import { createSessionStore } from '../db/sessions.ts';
import type { CatalogueSearch } from '../search/catalogue-search.ts';
import type { Links } from '../core/page-links.ts';
import type { AccountId, Inbound, Reply } from '../core/messages.ts';
import type { AnsweredBy } from '../core/answered-by.ts';
import { NO_REPLY } from '../core/messages.ts';

export interface AgentOptions {
  /** The database: its `Sql` adapter, or a better-sqlite3 connection (SQLite; its adapter is used). */
  readonly db: Db | Sql;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** The `skills` slot of STEP_ORDER (a step added here answers as `custom:<name>`). */
  readonly skills?: readonly Step[];
  /** The `orders` slot of STEP_ORDER: checkout in the conversation, 我的订单 (src/orders/chat/). */
  readonly orders?: readonly Step[];
  /** The merchant's steps (src/merchant/steps.ts), in the slots of STEP_ORDER named after them. */
  readonly merchant?: {
    /** The `merchantEvents` slot. */
    readonly events?: readonly Step[];
    /** The `merchantMessages` slot. */
    readonly messages?: readonly Step[];
    /** The `merchantFallback` slot. */
    readonly fallback?: readonly Step[];
  };
  /** The catalogue the skills search (`ctx.search`). */
  readonly search?: CatalogueSearch;
  /** The page links of an account (`ctx.links`); called per turn that links, so cache them per account. */
  readonly linksOf?: (account: AccountId) => Links;
  /** Where `ctx.session` is kept (default: the `sessions` table, 30 minutes after the last message). */
  readonly sessions?: ConversationStore;
  readonly persona?: (inbound: Inbound) => Persona;
  /** Identifies this process in dedup claims and its liveness lease (default: host:pid:random). */
  readonly owner?: string;
  readonly dedup?: { staleMs?: number; schedule?: RetrySchedule; leaseMs?: number; heartbeatMs?: number };
  /** Told of every write's outcome on SQLite (the server's /readyz and its failing-disk log). */
  readonly health?: WriteHealth;
  /**
   * The time one turn's pipeline may take (default `DEFAULT_TURN_BUDGET_MS`) and the clock it is measured
   * with; a turn over it is answered by the fallback instead of running more steps, and logged.
   */
  readonly budget?: Partial<Pick<Budget, 'ms' | 'now'>>;
  /** Called once per handled (not duplicate) inbound, for metrics and logs. */
  readonly onHandled?: (event: { inbound: Inbound; reply: Reply; answeredBy: AnsweredBy | null; trace: Trace; ms: number }) => void;
}

/** A normal turn takes a few milliseconds; this is far above that and far below the platform's 5 s. */
const DEFAULT_TURN_BUDGET_MS = 300;

/**
 * @example
 * const agent = createAgent({ db });
 * const turn = await agent.receive(inbound);
 * const reply = await turn.answer;
 */
export function createAgent(options: AgentOptions) {
  const { clock = systemClock, logger = silentLogger, skills = [] } = options;
  // One adapter per SQLite connection: every store's statements share its group commit (one commit per batch of turns).
  const sql: Sql = asSql(options.db, options.health);
  const subscribers = createSubscriberStore(sql);
  const answers = createAnswerLog(sql);
  const { staleMs, schedule, leaseMs, heartbeatMs } = options.dedup ?? {};
  const liveness = createLiveness(sql, { clock, owner: options.owner ?? processOwnerId(), ...(leaseMs ? { leaseMs } : {}) });
  const dedup = createDedup({
    store: createHandledMessageStore(sql),
    clock,
    liveness,
    logger,
    ...(options.health ? { health: options.health } : {}),
    ...(schedule ? { schedule } : {}),
    ...(staleMs !== undefined ? { staleMs } : {}),
    ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
  });
  const merchant = options.merchant ?? {};
  const slots: Record<StepSlot, readonly Step[]> = {
    bookkeeping: [bookkeeping],
    merchantEvents: merchant.events ?? [],
    welcome: [welcome],
    subscription: [subscription],
    merchantMessages: merchant.messages ?? [],
    help: [help],
    session: [session(options.sessions ?? createSessionStore(sql, SESSION_TTL_MS))],
    orders: options.orders ?? [],
    smallTalk: [smallTalk],
    skills,
    merchantFallback: merchant.fallback ?? [],
    fallback: [fallback],
  };
  const split = STEP_ORDER.indexOf(FIRST_FALLBACK_SLOT);
  const stepsIn = (order: readonly StepSlot[]) => order.flatMap((slot) => slots[slot]);
  const pipeline = composeWithBudget(
    stepsIn(STEP_ORDER.slice(0, split)),
    // The fallback steps always run when reached, so an over-budget turn still gets its answer.
    compose(stepsIn(STEP_ORDER.slice(split))),
    {
      ms: options.budget?.ms ?? DEFAULT_TURN_BUDGET_MS,
      ...(options.budget?.now ? { now: options.budget.now } : {}),
      onExceeded: (ctx, { before, elapsedMs }) => {
        ctx.note({ intent: 'over_budget' });
        logger.warn(
          { account: ctx.inbound.account, user: maskId(ctx.inbound.user), kind: ctx.inbound.kind, step: before, elapsedMs: Math.round(elapsedMs), budgetMs: options.budget?.ms ?? DEFAULT_TURN_BUDGET_MS },
          'turn over its time budget: the remaining steps were skipped and the fallback answered',
        );
      },
    },
  );
  const personaOf = withOffer(options.persona ?? (() => DEFAULT_PERSONA), options.search ? createOffers(options.search) : null, clock);

  async function handle(inbound: Inbound): Promise<Reply> {
    const started = performance.now();
    const ctx = createTurnContext({
      inbound,
      now: clock.now(),
      // Commands, rules and understanding read the head of a long text only (see input.ts).
      command: inbound.kind === 'text' ? normalizeCommand(headOf(inbound.text)) : '',
      persona: personaOf(inbound),
      subscribers,
      log: logger,
      catalogue: options.search,
      linksOf: options.linksOf,
    });
    await pipeline(ctx, async () => {});
    const reply = ctx.reply ?? NO_REPLY;
    const ms = performance.now() - started;
    if (inbound.kind === 'text' || inbound.kind === 'location') {
      const { intent, slots, resultIds } = ctx.trace;
      // The log keeps what was read, not 60 KB per message.
      const asked = inbound.kind === 'text' ? loggedText(inbound.text) : headOf(`[位置] ${inbound.label}`.trim());
      // Not awaited: on SQLite it joins the same group commit as the dedup record of the answer.
      answers
        .record({
          account: inbound.account, user: inbound.user, channel: inbound.channel, text: asked, intent, slots, resultIds,
          answeredBy: ctx.answeredBy, latencyMs: Math.round(ms * 100) / 100, at: ctx.now,
        })
        .catch((err: unknown) => logWriteError(logger, err, 'could not write the answer log'));
    }
    // The channel logs each delivery at info; this line is for following the agent's decisions.
    if (logger.isLevelEnabled('debug')) {
      logger.debug({ account: inbound.account, user: maskId(inbound.user), kind: inbound.kind, answeredBy: ctx.answeredBy, reply: reply.type, ms: Math.round(ms * 10) / 10 }, 'answered');
    }
    options.onHandled?.({ inbound, reply, answeredBy: ctx.answeredBy, trace: ctx.trace, ms });
    return reply;
  }

  return {
    /** Takes one delivery of an inbound; retries of the same delivery share one handling. */
    receive(inbound: Inbound): Promise<Handling> {
      return dedup.run(inbound.account, inbound.dedupKey, () => handle(inbound));
    },
    /** Resolves when every inbound this process is handling has an answer. */
    async drain(): Promise<void> {
      await Promise.all(dedup.inflight());
    },
    /** Closes pending claims nobody will answer any more (see Dedup.sweep); run now and then. */
    sweep: (): Promise<number> => dedup.sweep(),
    /** Renews the liveness lease now: a committed write, the server's readiness probe. Rejects when it cannot. */
    probe: (): Promise<void> => liveness.beat(),
    /** Stops the heartbeat and gives up the lease (after `drain`: nothing of this process is pending). */
    stop: (): Promise<void> => dedup.stop(),
  };
}
export type Agent = ReturnType<typeof createAgent>;

/** The text as the answer log keeps it: the head the agent read, with … when there was more. */
const loggedText = (text: string): string => {
  const head = headOf(text);
  return head.length < text.length ? `${head}…` : text;
};

/**
 * The persona with what its account's catalogue offers, for the examples its texts give. Cached per account:
 * the same settings and the same offer give the same object, so a message costs two map reads, no query.
 */
function withOffer(personaOf: (inbound: Inbound) => Persona, offers: Offers | null, clock: Clock): (inbound: Inbound) => Persona {
  if (!offers) return personaOf;
  const cache = new Map<string, { base: Persona; offer: CatalogueOffer; persona: Persona }>();
  return (inbound) => {
    const base = personaOf(inbound);
    const offer = offers.of(inbound.account, clock.now());
    const hit = cache.get(inbound.account);
    if (hit && hit.base === base && hit.offer === offer) return hit.persona;
    const persona = { ...base, offer };
    cache.set(inbound.account, { base, offer, persona });
    return persona;
  };
}
