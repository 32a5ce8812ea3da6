/** One context object per inbound: what arrived, who it is from, and how to answer. Steps reach for nothing else. */
import type { Logger } from '../core/log.ts';
import type { SubscriberStore } from '../db/subscribers.ts';
import type { WriteQueue } from '../db/write-queue.ts';
import type { Persona } from '../core/persona.ts';
import type { Inbound, Reply } from '../core/messages.ts';
import type { AnsweredBy } from '../core/answered-by.ts';

/** What a turn starts from. */
export interface TurnFields {
  readonly inbound: Inbound;
  /** ms since the epoch, from the injected clock. */
  readonly now: number;
  /** The text a follower sent, normalised for command matching ('' for anything that is not text). */
  readonly command: string;
  readonly persona: Persona;
  readonly subscribers: SubscriberStore;
  /** Runs a write in the next group commit (the hot path's writes go here; see store/write-queue.ts). */
  readonly write: WriteQueue['run'];
  readonly log: Logger;
}

export interface TurnContext extends TurnFields {
  /** The answer so far (null until a step answers). */
  readonly reply: Reply | null;
  /** Which step answered, for logs and reports. */
  readonly answeredBy: AnsweredBy | null;
  /** Answers this turn. Later steps do not run unless the answering step calls next() itself. */
  answer(reply: Reply, by: AnsweredBy): void;
  /** How the message was understood and what was shown, for the answer log. */
  readonly trace: Trace;
  note(trace: Partial<Trace>): void;
}

export interface Trace {
  readonly intent: string | null;
  readonly slots: unknown;
  readonly resultIds: readonly string[];
}

const NO_TRACE: Trace = Object.freeze({ intent: null, slots: null, resultIds: Object.freeze([]) });

// The fields of a Turn are TurnFields, copied in by its constructor (declaration merging lists them once).
interface Turn extends TurnFields {}
/** A class rather than an object literal with getters: one is built per message, and V8 builds these far faster. */
class Turn implements TurnContext {
  #reply: Reply | null = null;
  #answeredBy: AnsweredBy | null = null;
  #trace: Trace = NO_TRACE;

  constructor(fields: TurnFields) {
    Object.assign(this, fields);
  }

  get reply(): Reply | null {
    return this.#reply;
  }

  get answeredBy(): AnsweredBy | null {
    return this.#answeredBy;
  }

  get trace(): Trace {
    return this.#trace;
  }

  answer(reply: Reply, by: AnsweredBy): void {
    this.#reply = reply;
    this.#answeredBy = by;
  }

  note(trace: Partial<Trace>): void {
    this.#trace = { ...this.#trace, ...trace };
  }
}

export function createTurnContext(fields: TurnFields): TurnContext {
  return new Turn(fields);
}
