/**
 * The simulator's memory over an explicit state object: what it was created with (fixed for its life) and
 * what a reset forgets (tokens, followers, quotas, deliveries, injected faults, request counts).
 */
import type { Clock } from '../../core/clock.ts';
import type { AccountType } from '../../core/config.ts';
import type { Logger } from '../../core/log.ts';
import type { Menu } from '../menu.ts';

export type InteractionKind = 'message' | 'follow' | 'click' | 'scan';
export const INTERACTION_KINDS: readonly InteractionKind[] = ['message', 'follow', 'click', 'scan'];

export interface DeliveredArticle {
  readonly title: string;
  readonly description?: string;
  readonly url: string;
  readonly picurl?: string;
}

/** One message that reached one follower. */
export interface Delivery {
  readonly touser: string;
  readonly msgtype: string;
  readonly content?: string;
  readonly articles?: readonly DeliveredArticle[];
  readonly mediaId?: string;
  /** The mass job it belongs to (mass and preview), or the template message's msgid. */
  readonly msgId?: string;
  /** Template messages: the template, its fields as the follower sees them (20 characters at most), and the link. */
  readonly templateId?: string;
  readonly data?: Readonly<Record<string, string>>;
  readonly url?: string;
  readonly api: 'custom' | 'mass' | 'preview' | 'template';
  /** ISO 8601. */
  readonly at: string;
}

interface IssuedToken {
  expiresAt: number;
  revoked: boolean;
}

/** One appid's tokens and its force-refresh quota. */
export interface AppTokens {
  stable: string | null;
  legacy: string | null;
  lastForceAt: number | null;
  forceDay: string;
  forceCount: number;
}

/** A follower's customer-service allowances (the last message and the last event) and tags. */
interface Follower {
  messageAt: number | null;
  messageUsed: number;
  eventAt: number | null;
  eventUsed: number;
  tags: Set<number>;
}

/** A web authorisation code: for one AppID and follower, single-use, 5 minutes. */
interface OauthCode {
  readonly appid: string;
  readonly openid: string;
  readonly scope: string;
  readonly expiresAt: number;
  used: boolean;
}

/** What the simulator was created with. */
export interface SimConfig {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Whether the logger wrote debug lines when the simulator was created (checked once, not per call). */
  readonly debug: boolean;
  readonly accountType: AccountType;
  /** appid → secret. When absent, any non-empty appid and secret are accepted. */
  readonly credentials: Readonly<Record<string, string>> | undefined;
  readonly ttlMs: number;
  readonly ratePerMinute: number;
  readonly stableTokenEnabled: boolean;
  /** Template messages a Shanghai day (the platform's default daily quota is 100,000). */
  readonly templateQuotaPerDay: number;
}

/** Everything a reset forgets. */
interface Memory {
  issued: Map<string, IssuedToken>;
  apps: Map<string, AppTokens>;
  followers: Map<string, Follower>;
  delivered: Delivery[];
  /** When the recent mass calls were made (the per-minute limit). */
  massCalls: number[];
  /** Subscription accounts' sendall count per Shanghai day. */
  sendallPerDay: Map<string, number>;
  /** Mass messages per `openid|YYYY-MM` (service accounts' monthly cap). */
  massPerFollowerMonth: Map<string, number>;
  clientMsgIds: Map<string, { msgId: number; msgDataId: number }>;
  permanentQr: Map<string, { ticket: string; url: string }>;
  /** Web authorisation codes issued, by code. */
  oauthCodes: Map<string, OauthCode>;
  /** Who the browser is at the authorize endpoint when the URL names no openid (`POST /oauth/user`). */
  oauthUser: string | null;
  forcedErrors: number[];
  forcedTimeouts: number[];
  requests: Record<string, number>;
  nextMsgId: number;
  /** Template messages sent per Shanghai day (the daily quota). */
  templatePerDay: Map<string, number>;
  /** Template messages' client_msg_id → the msgid it got and when (deduplicated for 10 minutes). */
  templateMsgIds: Map<string, { msgId: number; at: number }>;
  /** The account's custom menu, as published (null: none, `menu/get` answers 46003). */
  menu: Menu | null;
}

export interface SimState extends Memory {
  readonly config: SimConfig;
  /**
   * The account's templates (模板ID → its field keys; an empty list accepts any keys). Configuration, like the
   * credentials: a reset keeps them.
   */
  readonly templates: Map<string, readonly string[]>;
  /** Releases for the answers being held back by an injected timeout. */
  readonly hanging: Set<() => void>;
}

function freshMemory(): Memory {
  return {
    issued: new Map(),
    apps: new Map(),
    followers: new Map(),
    delivered: [],
    massCalls: [],
    sendallPerDay: new Map(),
    massPerFollowerMonth: new Map(),
    clientMsgIds: new Map(),
    permanentQr: new Map(),
    oauthCodes: new Map(),
    oauthUser: null,
    forcedErrors: [],
    forcedTimeouts: [],
    requests: {},
    nextMsgId: 1_000_000_001,
    templatePerDay: new Map(),
    templateMsgIds: new Map(),
    menu: null,
  };
}

export function createState(config: SimConfig): SimState {
  return { config, hanging: new Set(), templates: new Map(), ...freshMemory() };
}

/** Answers every held-back call at once, then forgets everything but the configuration. */
export function resetState(s: SimState): void {
  for (const release of [...s.hanging]) release();
  Object.assign(s, freshMemory());
}

/** The follower's record, created on first sight. */
export function follower(s: SimState, openid: string): Follower {
  let f = s.followers.get(openid);
  if (!f) {
    f = { messageAt: null, messageUsed: 0, eventAt: null, eventUsed: 0, tags: new Set() };
    s.followers.set(openid, f);
  }
  return f;
}

/** Records that a message reached a follower. */
export function deliver(s: SimState, delivery: Omit<Delivery, 'at'>, now: number): void {
  s.delivered.push({ ...delivery, at: new Date(now).toISOString() });
}

/** `YYYY-MM-DD` in Asia/Shanghai (UTC+8 all year): the day daily quotas count in. */
export const shanghaiDay = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
/** `YYYY-MM` in Asia/Shanghai: the month monthly quotas count in. */
export const shanghaiMonth = (ms: number): string => shanghaiDay(ms).slice(0, 7);
