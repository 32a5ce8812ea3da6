/**
 * The conversational core every channel calls: dedup → bookkeeping → steps that answer or pass on →
 * fallback. Channels hand it an `Inbound` and get a `Turn` whose answer is a channel-neutral `Reply`.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type { Logger } from '../log.ts';
import { maskId, silentLogger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { createHandledMessageStore } from '../store/handled-messages.ts';
import { createSubscriberStore } from '../store/subscribers.ts';
import { createWriteQueue } from '../store/write-queue.ts';
import { normalizeCommand } from './command.ts';
import { createTurnContext } from './context.ts';
import { createDedup, type Turn } from './dedup.ts';
import type { Persona } from './persona.ts';
import { DEFAULT_PERSONA } from './persona.ts';
import { compose, type Step } from './pipeline.ts';
import { bookkeeping } from './steps/bookkeeping.ts';
import { fallback, help, subscription, welcome } from './steps/builtins.ts';
import type { Inbound, Reply } from './types.ts';
import { NO_REPLY } from './types.ts';

export interface AgentOptions {
  readonly db: Db;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Skills, run after the built-ins and before the fallback. */
  readonly skills?: readonly Step[];
  readonly persona?: (inbound: Inbound) => Persona;
  /** Identifies this process in dedup claims (default: a random id). */
  readonly owner?: string;
  readonly dedup?: { staleMs?: number; waitMs?: number };
  /** Called once per handled (not duplicate) inbound, for metrics and logs. */
  readonly onHandled?: (event: { inbound: Inbound; reply: Reply; answeredBy: string | null; ms: number }) => void;
}

/**
 * @example
 * const agent = createAgent({ db });
 * const turn = await agent.receive(inbound);
 * const reply = await turn.answer;
 */
export function createAgent(options: AgentOptions) {
  const { db, clock = systemClock, logger = silentLogger, skills = [] } = options;
  const subscribers = createSubscriberStore(db);
  const writes = createWriteQueue(db);
  const dedup = createDedup({
    store: createHandledMessageStore(db),
    writes,
    clock,
    owner: options.owner ?? randomUUID(),
    ...options.dedup,
  });
  const pipeline = compose([bookkeeping, welcome, subscription, help, ...skills, fallback]);
  const personaOf = options.persona ?? (() => DEFAULT_PERSONA);

  async function handle(inbound: Inbound): Promise<Reply> {
    const started = performance.now();
    const ctx = createTurnContext({
      inbound,
      now: clock.now(),
      command: inbound.kind === 'text' ? normalizeCommand(inbound.text) : '',
      persona: personaOf(inbound),
      subscribers,
      write: writes.run,
      log: logger,
    });
    await pipeline(ctx, async () => {});
    const reply = ctx.reply ?? NO_REPLY;
    const ms = performance.now() - started;
    // The channel logs each delivery at info; this line is for following the agent's decisions.
    if (logger.isLevelEnabled('debug')) {
      logger.debug({ account: inbound.account, user: maskId(inbound.user), kind: inbound.kind, answeredBy: ctx.answeredBy, reply: reply.type, ms: Math.round(ms * 10) / 10 }, 'answered');
    }
    options.onHandled?.({ inbound, reply, answeredBy: ctx.answeredBy, ms });
    return reply;
  }

  return {
    /** Takes one delivery of an inbound; retries of the same delivery share one handling. */
    receive(inbound: Inbound): Promise<Turn> {
      return dedup.run(inbound.account, inbound.dedupKey, () => handle(inbound));
    },
    /** Resolves when every inbound this process is handling has an answer. */
    async drain(): Promise<void> {
      await Promise.all(dedup.inflight());
    },
  };
}
export type Agent = ReturnType<typeof createAgent>;
