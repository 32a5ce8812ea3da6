/**
 * One context object per inbound: what arrived, who it is from, what the skills work with (the catalogue,
 * the account's page links, the follower's session) and how to answer. Steps reach for nothing else.
 */
import type { Logger } from '../core/log.ts';
import type { Links } from '../core/page-links.ts';
import type { SessionStore } from '../db/sessions.ts';
import type { SubscriberStore } from '../db/subscribers.ts';
import type { Persona } from '../core/persona.ts';
import type { AccountId, Inbound, Reply } from '../core/messages.ts';
import type { AnsweredBy } from '../core/answered-by.ts';
import type { CatalogueSearch } from '../search/catalogue-search.ts';
import { EMPTY_STATE, type ConversationState } from './skills/conversation.ts';

/** What a turn starts from. */
export interface TurnFields {
  readonly inbound: Inbound;
  /** ms since the epoch, from the injected clock. */
  readonly now: number;
  /** The text a follower sent, normalised for command matching ('' for anything that is not text). */
  readonly command: string;
  readonly persona: Persona;
  readonly subscribers: SubscriberStore;
  readonly log: Logger;
  /** `ctx.search`: the catalogue the skills search (without one, `ctx.search` throws). */
  readonly catalogue?: CatalogueSearch | undefined;
  /** `ctx.links` comes from here: the page links of an account (cached per account: see app/shop-agent.ts). */
  readonly linksOf?: ((account: AccountId) => Links) | undefined;
}

/** Where the session step keeps a follower's conversation (steps/session.ts). */
export type ConversationStore = Pick<SessionStore<ConversationState>, 'get' | 'save'>;

export interface TurnContext extends Omit<TurnFields, 'catalogue' | 'linksOf'> {
  /** The catalogue: products, hotels, deals, and understanding a message. */
  readonly search: CatalogueSearch;
  /** Links to this account's mobile pages. */
  readonly links: Links;
  /**
   * The follower's conversation, from the session step on (see STEP_ORDER): read from the store by that step,
   * and saved after the rest of the turn when a step assigned a new value (unless a step threw).
   */
  session: ConversationState;
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
  /** Set by the session step; null before it. */
  #sessions: ConversationStore | null = null;
  /** Undefined until the session step has read it. */
  #session: ConversationState | undefined = undefined;
  #sessionAssigned = false;

  constructor(fields: TurnFields) {
    Object.assign(this, fields);
  }

  get search(): CatalogueSearch {
    if (!this.catalogue) throw new Error('ctx.search: this agent has no catalogue (pass `search` to createAgent)');
    return this.catalogue;
  }

  get links(): Links {
    if (!this.linksOf) throw new Error('ctx.links: this agent has no page links (pass `linksOf` to createAgent)');
    return this.linksOf(this.inbound.account);
  }

  get session(): ConversationState {
    this.#store();
    return this.#session!;
  }

  set session(state: ConversationState) {
    this.#store();
    if (state === this.#session) return;
    this.#session = state;
    this.#sessionAssigned = true;
  }

  #store(): ConversationStore {
    if (!this.#sessions) throw new Error('ctx.session is used before the session step: use it in a step after `session` in STEP_ORDER');
    return this.#sessions;
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

  /** See openSession. */
  static openSession(ctx: TurnContext, store: ConversationStore, state: ConversationState | null): void {
    if (!(ctx instanceof Turn)) throw new TypeError('not a turn from createTurnContext');
    ctx.#sessions = store;
    ctx.#session = state ?? EMPTY_STATE;
  }

  /** See assignedSession. */
  static assignedSession(ctx: TurnContext): ConversationState | null {
    return ctx instanceof Turn && ctx.#sessionAssigned ? ctx.#session! : null;
  }
}

export function createTurnContext(fields: TurnFields): TurnContext {
  return new Turn(fields);
}

/** For the session step only: from now on `ctx.session` is `state` (the store's, or a new one), saved to `store`. */
export const openSession: (ctx: TurnContext, store: ConversationStore, state: ConversationState | null) => void = Turn.openSession;

/** For the session step only: the session a step assigned this turn, or null when none did. */
export const assignedSession: (ctx: TurnContext) => ConversationState | null = Turn.assignedSession;
