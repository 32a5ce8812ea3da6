/**
 * A local stand-in for the WeChat API: the same HTTP shapes, token rules, quotas and error codes, so the
 * client is tested (and the demo runs) the way it will run against https://api.weixin.qq.com.
 *
 * Platform rules it enforces (times on the injected clock; days and months in Asia/Shanghai):
 * - Tokens: `GET /cgi-bin/token` issues a new token each call; the previous one keeps working 5 more minutes.
 *   `POST /cgi-bin/stable_token` returns the same token while more than 5 minutes of it remain, then a new one
 *   (the old one lives out its time); `force_refresh: true` revokes the current one at once (at most 20 a day,
 *   and not again within 30 s: it then hands back the current token). Expired → 42001, unknown/revoked → 40001.
 * - Customer-service messages: only to followers recorded through `recordInteraction` (or `POST /interactions`).
 *   A follower message allows 5 messages within 48 h; a follow, menu click or QR scan allows 3 within 1 minute.
 *   A new interaction opens a fresh allowance. None open → 45015; allowance used up → 45047.
 * - Mass sends (`sendall`, `send`, `preview`): together at most `rateLimitPerMinute` calls a minute (45009).
 *   Subscription accounts: 1 sendall a day (45028), no openid-list send (48001). Service accounts: each follower
 *   receives at most 4 mass messages a calendar month; those over the cap are filtered out (no delivery).
 *   `sendall` reaches the followers the simulator knows (to all), or those tagged with `tagFollower` (by tag).
 *   A repeated `clientmsgid` delivers nothing and answers 45065 with the original msg_id, as the platform does.
 *   Previews count against no mass quota.
 * - QR codes: validated like the real endpoint; a permanent code for the same scene keeps its ticket.
 *
 * Test controls (relative to where the router is mounted, e.g. `/sim`): `POST /interactions`, `POST /tags`,
 * `POST /errors` (forced errcodes, one per API call, in order; -599…-500 answer that HTTP status instead),
 * `POST /timeouts` (the next N API calls are processed, then answered only after `ms`, like a response lost
 * in transit), `GET|DELETE /deliveries`, `GET /stats`, `POST /reset`. Forced errors and timeouts apply to
 * the message and QR endpoints, not to the token endpoints. These routes have no authentication: mount the
 * simulator only where the real API is not configured.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { systemClock, type Clock } from '../core/clock.ts';
import type { AccountType } from '../core/config.ts';
import { maskId, silentLogger, type Logger } from '../core/log.ts';
import { describeWechatError } from './errors.ts';

type InteractionKind = 'message' | 'follow' | 'click' | 'scan';
const INTERACTION_KINDS: readonly InteractionKind[] = ['message', 'follow', 'click', 'scan'];

export interface SimulatorOptions {
  readonly clock?: Clock;
  readonly accountType: AccountType;
  /** appid → secret. When absent, any non-empty appid and secret are accepted. */
  readonly credentials?: Readonly<Record<string, string>>;
  /** Token lifetime (default 7200 s). */
  readonly tokenTtlSeconds?: number;
  /** Calls a minute to the mass endpoints (sendall, send, preview together; default 60). */
  readonly rateLimitPerMinute?: number;
  /** false: `POST /cgi-bin/stable_token` answers 404, like an API without it (default true). */
  readonly stableToken?: boolean;
  readonly logger?: Logger;
}

interface DeliveredArticle {
  readonly title: string;
  readonly description?: string;
  readonly url: string;
  readonly picurl?: string;
}

/** One message that reached one follower. */
interface Delivery {
  readonly touser: string;
  readonly msgtype: string;
  readonly content?: string;
  readonly articles?: readonly DeliveredArticle[];
  readonly mediaId?: string;
  /** The mass job it belongs to (mass and preview). */
  readonly msgId?: string;
  readonly api: 'custom' | 'mass' | 'preview';
  /** ISO 8601. */
  readonly at: string;
}

interface SimulatorStats {
  /** Requests seen per route, e.g. `{ '/cgi-bin/stable_token': 1, '/cgi-bin/message/custom/send': 3 }`. */
  readonly requests: Readonly<Record<string, number>>;
}

export interface Simulator {
  /** Mount it under a prefix: `app.use('/sim', simulator.router)` (it parses JSON bodies itself). */
  readonly router: Router;
  /** A follower interacted (default: sent a message, now); opens a customer-service allowance. */
  recordInteraction(openid: string, kind?: InteractionKind, at?: number): void;
  /** Puts a known follower under a tag, for `sendall` by tag. */
  tagFollower(openid: string, tagId: number): void;
  deliveries(): Delivery[];
  clearDeliveries(): void;
  /** The next API calls answer these errcodes, one each, in order. */
  injectErrors(codes: readonly number[]): void;
  /** The next `count` API calls are processed, then answered after `ms` (default 30 s) or never if the caller gave up. */
  injectTimeouts(count: number, ms?: number): void;
  stats(): SimulatorStats;
  /** Forgets everything: tokens, followers, quotas, deliveries, injected faults, stats. */
  reset(): void;
  /**
   * The fast path for a plain node:http server: answers a POST to an API endpoint under `prefix` (e.g.
   * `/sim/cgi-bin/message/custom/send`) without express, with the same rules and answers; returns false for
   * any other request (hand it to the app that mounts `router`).
   */
  serveApi(req: IncomingMessage, res: ServerResponse, prefix: string): boolean;
}

type Answer = Record<string, unknown>;
/** What an API handler reads of a request: an express Request, or the fast path's own parse. */
interface ApiRequest {
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

interface IssuedToken {
  expiresAt: number;
  revoked: boolean;
}

interface AppTokens {
  stable: string | null;
  legacy: string | null;
  lastForceAt: number | null;
  forceDay: string;
  forceCount: number;
}

interface Follower {
  messageAt: number | null;
  messageUsed: number;
  eventAt: number | null;
  eventUsed: number;
  tags: Set<number>;
}

interface MassPayload {
  readonly msgtype: string;
  readonly content?: string;
  readonly mediaId?: string;
}

const MINUTE = 60_000;
const OVERLAP_MS = 5 * MINUTE;
const MESSAGE_WINDOW_MS = 48 * 3600_000;
const MESSAGE_QUOTA = 5;
const EVENT_WINDOW_MS = MINUTE;
const EVENT_QUOTA = 3;
const MASS_PER_FOLLOWER_PER_MONTH = 4;
const FORCE_REFRESH_PER_DAY = 20;
const FORCE_REFRESH_INTERVAL_MS = 30_000;
const MAX_TEMP_QR_SECONDS = 2_592_000;

/** `YYYY-MM-DD` in Asia/Shanghai (UTC+8 all year). */
const shanghaiDay = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const shanghaiMonth = (ms: number): string => shanghaiDay(ms).slice(0, 7);

const fail = (errcode: number, errmsg: string): Answer => ({ errcode, errmsg });
/** A request refused with this answer. */
interface Refusal {
  readonly refused: Answer;
}
const refuse = (errcode: number, errmsg: string): Refusal => ({ refused: fail(errcode, errmsg) });
const isRefusal = (v: object): v is Refusal => 'refused' in v;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/**
 * A body that is not JSON gets the platform's answer (47001), not an HTML error page. The router uses it
 * for the bodies it parses; an app that parses JSON before the router needs it after the router too.
 */
function malformedJson(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (isObject(error) && error.type === 'entity.parse.failed') {
    res.json(fail(47001, 'data format error'));
    return;
  }
  next(error);
}

/**
 * @example
 * const sim = createSimulator({ accountType: 'service', clock });
 * app.use('/sim', sim.router); // it parses JSON bodies itself
 * sim.recordInteraction(openid);              // the follower just wrote to the account
 * // … client calls http://host/sim/cgi-bin/message/custom/send …
 * sim.deliveries();                           // [{ touser, msgtype: 'text', content, api: 'custom', at }]
 */
export function createSimulator(options: SimulatorOptions): Simulator {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const ttlMs = (options.tokenTtlSeconds ?? 7200) * 1000;
  const ratePerMinute = options.rateLimitPerMinute ?? 60;
  const stableTokenEnabled = options.stableToken ?? true;
  const { accountType, credentials } = options;

  let issued = new Map<string, IssuedToken>();
  let apps = new Map<string, AppTokens>();
  let followers = new Map<string, Follower>();
  let delivered: Delivery[] = [];
  let massCalls: number[] = [];
  let sendallPerDay = new Map<string, number>();
  let massPerFollowerMonth = new Map<string, number>();
  let clientMsgIds = new Map<string, { msgId: number; msgDataId: number }>();
  let permanentQr = new Map<string, { ticket: string; url: string }>();
  let forcedErrors: number[] = [];
  let forcedTimeouts: number[] = [];
  let requests: Record<string, number> = {};
  let nextMsgId = 1_000_000_001;
  const hanging = new Set<() => void>();

  // ── tokens ────────────────────────────────────────────────────────────────────────────────────────

  function issue(now: number): string {
    const token = randomBytes(60).toString('base64url');
    issued.set(token, { expiresAt: now + ttlMs, revoked: false });
    return token;
  }

  const tokenAnswer = (token: string, now: number): Answer => ({
    access_token: token,
    expires_in: Math.floor((issued.get(token)!.expiresAt - now) / 1000),
  });

  function checkCredentials(grantType: unknown, appid: unknown, secret: unknown): Answer | null {
    if (grantType !== 'client_credential') return fail(40002, 'invalid grant_type');
    if (!nonEmpty(appid)) return fail(40013, 'invalid appid');
    if (credentials) {
      if (!(appid in credentials)) return fail(40013, 'invalid appid');
      if (credentials[appid] !== secret) return fail(40125, 'invalid appsecret');
    } else if (!nonEmpty(secret)) {
      return fail(40125, 'invalid appsecret');
    }
    return null;
  }

  function appTokens(appid: string): AppTokens {
    let state = apps.get(appid);
    if (!state) {
      state = { stable: null, legacy: null, lastForceAt: null, forceDay: '', forceCount: 0 };
      apps.set(appid, state);
    }
    return state;
  }

  const live = (token: string | null, now: number): token is string => {
    const t = token === null ? undefined : issued.get(token);
    return t !== undefined && !t.revoked && t.expiresAt > now;
  };

  function legacyToken(query: Request['query']): Answer {
    const now = clock.now();
    const refused = checkCredentials(query.grant_type, query.appid, query.secret);
    if (refused) return refused;
    const state = appTokens(String(query.appid));
    const previous = state.legacy === null ? undefined : issued.get(state.legacy);
    if (previous) previous.expiresAt = Math.min(previous.expiresAt, now + OVERLAP_MS);
    state.legacy = issue(now);
    return tokenAnswer(state.legacy, now);
  }

  function stableToken(body: unknown): Answer {
    const now = clock.now();
    if (!isObject(body)) return fail(44002, 'empty post data');
    const refused = checkCredentials(body.grant_type, body.appid, body.secret);
    if (refused) return refused;
    const state = appTokens(String(body.appid));
    if (body.force_refresh === true) {
      if (state.lastForceAt !== null && now - state.lastForceAt < FORCE_REFRESH_INTERVAL_MS && live(state.stable, now)) {
        return tokenAnswer(state.stable, now); // "连续使用该模式时，请保证调用时间隔至少为30s，否则不会刷新"
      }
      const day = shanghaiDay(now);
      if (state.forceDay !== day) {
        state.forceDay = day;
        state.forceCount = 0;
      }
      if (state.forceCount >= FORCE_REFRESH_PER_DAY) return fail(45009, 'reach max api daily quota limit');
      state.forceCount++;
      state.lastForceAt = now;
      const current = state.stable === null ? undefined : issued.get(state.stable);
      if (current) current.revoked = true;
      state.stable = issue(now);
      return tokenAnswer(state.stable, now);
    }
    if (live(state.stable, now) && issued.get(state.stable)!.expiresAt - now > OVERLAP_MS) {
      return tokenAnswer(state.stable, now);
    }
    // Within its last 5 minutes the platform renews the stable token; the old one lives out its time.
    state.stable = issue(now);
    return tokenAnswer(state.stable, now);
  }

  function checkToken(req: ApiRequest, now: number): Answer | null {
    const token = req.query.access_token;
    if (!nonEmpty(token)) return fail(41001, 'access_token missing');
    const t = issued.get(token);
    if (!t || t.revoked) return fail(40001, 'invalid credential, access_token is invalid or not latest');
    if (t.expiresAt <= now) return fail(42001, 'access_token expired');
    return null;
  }

  // ── followers ──────────────────────────────────────────────────────────────────────────────────────

  function follower(openid: string): Follower {
    let f = followers.get(openid);
    if (!f) {
      f = { messageAt: null, messageUsed: 0, eventAt: null, eventUsed: 0, tags: new Set() };
      followers.set(openid, f);
    }
    return f;
  }

  function recordInteraction(openid: string, kind: InteractionKind = 'message', at: number = clock.now()): void {
    if (!nonEmpty(openid)) throw new TypeError('recordInteraction: expected an openid');
    if (!INTERACTION_KINDS.includes(kind)) throw new TypeError(`recordInteraction: kind must be one of ${INTERACTION_KINDS.join(', ')}`);
    const f = follower(openid);
    if (kind === 'message') {
      if (f.messageAt === null || at >= f.messageAt) {
        f.messageAt = at;
        f.messageUsed = 0;
      }
    } else if (f.eventAt === null || at >= f.eventAt) {
      f.eventAt = at;
      f.eventUsed = 0;
    }
    // Every webhook delivery passes here (embedded simulator): build the line only when it is written.
    if (logger.isLevelEnabled('debug')) logger.debug({ openid: maskId(openid), kind }, 'simulator: interaction recorded');
  }

  /** Takes one customer-service message from the follower's allowance; 0 when allowed. */
  function consumeAllowance(openid: string, now: number): 0 | 45015 | 45047 {
    const f = followers.get(openid);
    if (!f) return 45015;
    const eventOpen = f.eventAt !== null && now - f.eventAt < EVENT_WINDOW_MS;
    const messageOpen = f.messageAt !== null && now - f.messageAt < MESSAGE_WINDOW_MS;
    // The short allowance first: it expires soonest.
    if (eventOpen && f.eventUsed < EVENT_QUOTA) {
      f.eventUsed++;
      return 0;
    }
    if (messageOpen && f.messageUsed < MESSAGE_QUOTA) {
      f.messageUsed++;
      return 0;
    }
    return eventOpen || messageOpen ? 45047 : 45015;
  }

  // ── API endpoints ──────────────────────────────────────────────────────────────────────────────────

  function deliver(delivery: Omit<Delivery, 'at'>, now: number): void {
    delivered.push({ ...delivery, at: new Date(now).toISOString() });
  }

  function customSend(req: ApiRequest, now: number): Answer {
    const body: unknown = req.body;
    if (!isObject(body) || Object.keys(body).length === 0) return fail(44002, 'empty post data');
    if (!nonEmpty(body.touser)) return fail(40003, 'invalid openid');
    let payload: Omit<Delivery, 'touser' | 'api' | 'at'>;
    switch (body.msgtype) {
      case 'text': {
        const content = isObject(body.text) ? body.text.content : undefined;
        if (!nonEmpty(content)) return fail(44004, 'empty content');
        payload = { msgtype: 'text', content };
        break;
      }
      case 'image':
      case 'voice':
      case 'mpnews': {
        const part = body[body.msgtype];
        const mediaId = isObject(part) ? part.media_id : undefined;
        if (!nonEmpty(mediaId)) return fail(40007, 'invalid media_id');
        payload = { msgtype: body.msgtype, mediaId };
        break;
      }
      case 'news': {
        const articles = isObject(body.news) ? body.news.articles : undefined;
        if (!Array.isArray(articles) || articles.length === 0) return fail(44003, 'empty news data');
        if (articles.length > 1) return fail(45008, 'article size out of limit');
        const a: unknown = articles[0];
        if (!isObject(a) || !nonEmpty(a.title) || !nonEmpty(a.url)) return fail(44003, 'empty news data');
        const article: DeliveredArticle = {
          title: a.title,
          url: a.url,
          ...(typeof a.description === 'string' ? { description: a.description } : {}),
          ...(typeof a.picurl === 'string' ? { picurl: a.picurl } : {}),
        };
        payload = { msgtype: 'news', articles: [article] };
        break;
      }
      default:
        return fail(40008, 'invalid message type');
    }
    const refused = consumeAllowance(body.touser, now);
    if (refused === 45015) return fail(45015, 'response out of time limit or subscription is canceled');
    if (refused === 45047) return fail(45047, 'out of response count limit');
    deliver({ touser: body.touser, api: 'custom', ...payload }, now);
    return { errcode: 0, errmsg: 'ok' };
  }

  function massPayload(body: Record<string, unknown>): MassPayload | Refusal {
    switch (body.msgtype) {
      case 'text': {
        const content = isObject(body.text) ? body.text.content : undefined;
        return nonEmpty(content) ? { msgtype: 'text', content } : refuse(44004, 'empty content');
      }
      case 'mpnews':
      case 'image':
      case 'voice': {
        const part = body[body.msgtype];
        const mediaId = isObject(part) ? part.media_id : undefined;
        return nonEmpty(mediaId) ? { msgtype: body.msgtype, mediaId } : refuse(40007, 'invalid media_id');
      }
      default:
        return refuse(40008, 'invalid message type');
    }
  }

  /** The per-minute limit shared by the mass endpoints; records the call when it passes. */
  function withinRate(now: number): boolean {
    massCalls = massCalls.filter((t) => now - t < MINUTE);
    if (massCalls.length >= ratePerMinute) return false;
    massCalls.push(now);
    return true;
  }

  function massJob(
    body: Record<string, unknown>,
    recipients: () => { readonly openids: readonly string[] } | Refusal,
    now: number,
  ): Answer {
    const clientMsgId = body.clientmsgid;
    if (clientMsgId !== undefined) {
      if (typeof clientMsgId !== 'string' || clientMsgId.length > 64) return fail(45067, 'clientmsgid size out of limit');
      const earlier = clientMsgIds.get(clientMsgId);
      if (earlier) {
        return { errcode: 45065, errmsg: 'clientmsgid exist', msg_id: earlier.msgId, msg_data_id: earlier.msgDataId };
      }
    }
    const payload = massPayload(body);
    if (isRefusal(payload)) return payload.refused;
    const audience = recipients();
    if (isRefusal(audience)) return audience.refused;
    const to = audience.openids;
    const day = shanghaiDay(now);
    if (accountType === 'subscription' && (sendallPerDay.get(day) ?? 0) >= 1) {
      return fail(45028, 'has no masssend quota');
    }
    if (accountType === 'subscription') sendallPerDay.set(day, (sendallPerDay.get(day) ?? 0) + 1);
    const msgId = nextMsgId++;
    const msgDataId = 2_247_483_647 + msgId - 1_000_000_000;
    const month = shanghaiMonth(now);
    let sent = 0;
    for (const openid of new Set(to)) {
      if (accountType === 'service') {
        const key = `${openid}|${month}`;
        const received = massPerFollowerMonth.get(key) ?? 0;
        if (received >= MASS_PER_FOLLOWER_PER_MONTH) continue; // filtered: the follower's monthly cap
        massPerFollowerMonth.set(key, received + 1);
      }
      deliver({ touser: openid, api: 'mass', msgId: String(msgId), ...payload }, now);
      sent++;
    }
    if (typeof clientMsgId === 'string') clientMsgIds.set(clientMsgId, { msgId, msgDataId });
    logger.debug({ msgId, recipients: to.length, sent }, 'simulator: mass job');
    return { errcode: 0, errmsg: 'send job submission success', msg_id: msgId, msg_data_id: msgDataId };
  }

  function massSendAll(req: ApiRequest, now: number): Answer {
    if (!withinRate(now)) return fail(45009, 'reach max api minute-quota limit');
    const body: unknown = req.body;
    if (!isObject(body) || Object.keys(body).length === 0) return fail(44002, 'empty post data');
    const filter = body.filter;
    if (!isObject(filter) || typeof filter.is_to_all !== 'boolean') return fail(40097, 'invalid args: filter.is_to_all');
    if (!filter.is_to_all && (typeof filter.tag_id !== 'number' || !Number.isInteger(filter.tag_id))) {
      return fail(40097, 'invalid args: filter.tag_id');
    }
    const tagId = filter.tag_id;
    return massJob(
      body,
      () => ({
        openids: [...followers].filter(([, f]) => filter.is_to_all || f.tags.has(tagId as number)).map(([openid]) => openid),
      }),
      now,
    );
  }

  function massSend(req: ApiRequest, now: number): Answer {
    if (accountType === 'subscription') return fail(48001, 'api unauthorized: openid-list mass send needs a verified service account');
    if (!withinRate(now)) return fail(45009, 'reach max api minute-quota limit');
    const body: unknown = req.body;
    if (!isObject(body) || Object.keys(body).length === 0) return fail(44002, 'empty post data');
    const touser = body.touser;
    return massJob(
      body,
      () => {
        if (!Array.isArray(touser) || touser.length < 2 || touser.length > 10_000) {
          return refuse(40130, 'invalid openid list size, at least two openid');
        }
        if (!touser.every(nonEmpty)) return refuse(40003, 'invalid openid');
        return { openids: touser as string[] };
      },
      now,
    );
  }

  function massPreview(req: ApiRequest, now: number): Answer {
    if (!withinRate(now)) return fail(45009, 'reach max api minute-quota limit');
    const body: unknown = req.body;
    if (!isObject(body) || Object.keys(body).length === 0) return fail(44002, 'empty post data');
    if (!nonEmpty(body.touser)) return fail(40003, 'invalid openid');
    const payload = massPayload(body);
    if (isRefusal(payload)) return payload.refused;
    const msgId = nextMsgId++;
    deliver({ touser: body.touser, api: 'preview', msgId: String(msgId), ...payload }, now);
    return { errcode: 0, errmsg: 'preview success', msg_id: msgId };
  }

  function qrCreate(req: ApiRequest): Answer {
    const body: unknown = req.body;
    if (!isObject(body) || Object.keys(body).length === 0) return fail(44002, 'empty post data');
    const action = body.action_name;
    const scene = isObject(body.action_info) && isObject(body.action_info.scene) ? body.action_info.scene : null;
    if (!scene) return fail(40053, 'invalid action_info');
    const { scene_id: sceneId, scene_str: sceneStr } = scene;
    const validId = (max: number) => typeof sceneId === 'number' && Number.isInteger(sceneId) && sceneId >= 1 && sceneId <= max;
    const validStr = typeof sceneStr === 'string' && sceneStr.length >= 1 && sceneStr.length <= 64;
    const ticket = () => `gQ${randomBytes(45).toString('base64')}`; // like the platform's: base64, with + / =
    const qrUrl = () => `http://weixin.qq.com/q/${randomBytes(16).toString('base64url')}`;
    switch (action) {
      case 'QR_SCENE':
      case 'QR_STR_SCENE': {
        if (action === 'QR_SCENE' ? !validId(0xffff_ffff) : !validStr) return fail(40053, 'invalid action_info scene');
        const given = body.expire_seconds;
        if (given !== undefined && (typeof given !== 'number' || !Number.isInteger(given) || given < 1)) {
          return fail(40097, 'invalid args: expire_seconds');
        }
        const expireSeconds = Math.min(MAX_TEMP_QR_SECONDS, given ?? 60); // the platform's default is 60 s
        return { ticket: ticket(), expire_seconds: expireSeconds, url: qrUrl() };
      }
      case 'QR_LIMIT_SCENE':
      case 'QR_LIMIT_STR_SCENE': {
        if (action === 'QR_LIMIT_SCENE' ? !validId(100_000) : !validStr) return fail(40053, 'invalid action_info scene');
        const key = action === 'QR_LIMIT_SCENE' ? `id:${String(sceneId)}` : `str:${String(sceneStr)}`;
        let code = permanentQr.get(key);
        if (!code) {
          code = { ticket: ticket(), url: qrUrl() };
          permanentQr.set(key, code);
        }
        return { ticket: code.ticket, url: code.url };
      }
      default:
        return fail(40097, 'invalid args: action_name');
    }
  }

  // ── faults and plumbing ────────────────────────────────────────────────────────────────────────────

  function count(route: string): void {
    requests[route] = (requests[route] ?? 0) + 1;
  }

  /** Waits `ms`, or less if the caller hangs up or the simulator is reset. */
  function hang(ms: number, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        res.off('close', done);
        hanging.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      res.once('close', done);
      hanging.add(done);
    });
  }

  /**
   * An API call: token check, injected faults, then the handler. null when the caller hung up meanwhile;
   * else the answer (JSON) or, for injected HTTP errors, the status to answer with an HTML page.
   */
  async function apiCall(route: string, handler: ApiHandler, req: ApiRequest, res: ServerResponse): Promise<{ status: number; answer: Answer } | null> {
    count(route);
    const now = clock.now();
    const delayMs = forcedTimeouts.shift() ?? 0;
    const forced = forcedErrors.shift();
    let status = 200;
    let answer: Answer;
    if (forced !== undefined) {
      if (forced <= -500 && forced >= -599) status = -forced;
      answer = fail(forced, `injected: ${describeWechatError(forced).en}`);
    } else {
      answer = checkToken(req, now) ?? handler(req, now);
    }
    if (debug) logger.debug({ route, errcode: answer.errcode ?? 0, delayMs }, 'simulator: API call');
    // The work is done (and recorded) before the delay: a lost answer, not a lost request.
    if (delayMs > 0) await hang(delayMs, res);
    if (res.writableEnded || res.destroyed) return null;
    return { status, answer };
  }

  /** An API route for the express router; the answer is always JSON, HTTP 200 (but injected HTTP errors). */
  function apiRoute(route: string, handler: ApiHandler) {
    return async (req: Request, res: Response): Promise<void> => {
      const r = await apiCall(route, handler, req, res);
      if (r === null) return;
      if (r.status !== 200) res.status(r.status).type('text/html').send(`<html><body>${r.status}</body></html>`);
      else res.json(r.answer);
    };
  }

  function tokenRoute(route: string, handler: (req: Request) => Answer | null) {
    return (req: Request, res: Response): void => {
      count(route);
      const answer = handler(req);
      if (answer === null) {
        res.status(404).type('text/html').send('<html><body>404 Not Found</body></html>');
        return;
      }
      logger.debug({ route, errcode: answer.errcode ?? 0 }, 'simulator: token call');
      res.json(answer);
    };
  }

  function injectErrors(codes: readonly number[]): void {
    if (!Array.isArray(codes) || !codes.every((c) => Number.isInteger(c))) {
      throw new TypeError('injectErrors: expected an array of integer error codes');
    }
    forcedErrors.push(...codes);
  }

  function injectTimeouts(n: number, ms = 30_000): void {
    if (!Number.isInteger(n) || n < 0 || !Number.isFinite(ms) || ms < 0) {
      throw new TypeError('injectTimeouts: expected a count (integer ≥ 0) and a delay in ms');
    }
    for (let i = 0; i < n; i++) forcedTimeouts.push(ms);
  }

  function reset(): void {
    for (const release of [...hanging]) release();
    issued = new Map();
    apps = new Map();
    followers = new Map();
    delivered = [];
    massCalls = [];
    sendallPerDay = new Map();
    massPerFollowerMonth = new Map();
    clientMsgIds = new Map();
    permanentQr = new Map();
    forcedErrors = [];
    forcedTimeouts = [];
    requests = {};
    nextMsgId = 1_000_000_001;
  }

  const debug = logger.isLevelEnabled('debug');
  const API_ROUTES: Readonly<Record<string, ApiHandler>> = {
    '/cgi-bin/message/custom/send': customSend,
    '/cgi-bin/message/mass/sendall': massSendAll,
    '/cgi-bin/message/mass/send': massSend,
    '/cgi-bin/message/mass/preview': massPreview,
    '/cgi-bin/qrcode/create': qrCreate,
  };

  function serveApi(req: IncomingMessage, res: ServerResponse, prefix: string): boolean {
    const url = req.url ?? '';
    if (req.method !== 'POST' || !url.startsWith(prefix)) return false;
    const q = url.indexOf('?');
    const route = url.slice(prefix.length, q < 0 ? undefined : q);
    const handler = Object.hasOwn(API_ROUTES, route) ? API_ROUTES[route]! : null;
    if (!handler) return false;
    const query: Record<string, string | string[]> = {};
    if (q >= 0) {
      for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
        const had = query[k];
        query[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
      }
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > BODY_LIMIT) return writeRaw(res, 413, null);
      const text = Buffer.concat(chunks).toString('utf8');
      // As express.json (strict): empty → {}, only an object or array is JSON here, anything else → 47001.
      let body: unknown = {};
      if (text.trim() !== '') {
        try {
          body = /^\s*[[{]/.test(text) ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        if (body === undefined) return writeRaw(res, 200, fail(47001, 'data format error'));
      }
      apiCall(route, handler, { query, body }, res).then(
        (r) => r !== null && writeRaw(res, r.status, r.answer),
        (error: unknown) => {
          logger.error({ err: error, route }, 'simulator: API call failed');
          if (!res.headersSent) writeRaw(res, 500, null);
        },
      );
    });
    return true;
  }

  const router = express.Router();
  // Parses bodies when the host app has not (it skips bodies already parsed); any content type is JSON here.
  router.use(express.json({ type: () => true, limit: '2mb' }));

  router.get('/cgi-bin/token', tokenRoute('/cgi-bin/token', (req) => legacyToken(req.query)));
  router.post(
    '/cgi-bin/stable_token',
    tokenRoute('/cgi-bin/stable_token', (req) => (stableTokenEnabled ? stableToken(req.body) : null)),
  );
  router.post('/cgi-bin/message/custom/send', apiRoute('/cgi-bin/message/custom/send', customSend));
  router.post('/cgi-bin/message/mass/sendall', apiRoute('/cgi-bin/message/mass/sendall', massSendAll));
  router.post('/cgi-bin/message/mass/send', apiRoute('/cgi-bin/message/mass/send', massSend));
  router.post('/cgi-bin/message/mass/preview', apiRoute('/cgi-bin/message/mass/preview', massPreview));
  router.post('/cgi-bin/qrcode/create', apiRoute('/cgi-bin/qrcode/create', qrCreate));

  router.post('/interactions', (req, res) => {
    const body: unknown = req.body;
    if (!isObject(body) || !nonEmpty(body.openid)) {
      res.status(400).json({ error: 'expected {openid, kind?, at?}' });
      return;
    }
    const kind = body.kind ?? 'message';
    if (!INTERACTION_KINDS.includes(kind as InteractionKind)) {
      res.status(400).json({ error: `kind: expected one of ${INTERACTION_KINDS.join(', ')}` });
      return;
    }
    const at = body.at === undefined ? clock.now() : typeof body.at === 'number' ? body.at : Date.parse(String(body.at));
    if (!Number.isFinite(at)) {
      res.status(400).json({ error: 'at: expected ms since the epoch or an ISO 8601 time' });
      return;
    }
    recordInteraction(body.openid, kind as InteractionKind, at);
    res.json({ ok: true });
  });
  router.post('/tags', (req, res) => {
    const body: unknown = req.body;
    if (!isObject(body) || !nonEmpty(body.openid) || typeof body.tagId !== 'number' || !Number.isInteger(body.tagId)) {
      res.status(400).json({ error: 'expected {openid, tagId}' });
      return;
    }
    follower(body.openid).tags.add(body.tagId);
    res.json({ ok: true });
  });
  router.post('/errors', (req, res) => {
    const codes: unknown = isObject(req.body) ? req.body.codes : undefined;
    if (!Array.isArray(codes) || !codes.every((c) => Number.isInteger(c))) {
      res.status(400).json({ error: 'expected {codes: number[]}' });
      return;
    }
    injectErrors(codes as number[]);
    res.json({ ok: true, queued: forcedErrors.length });
  });
  router.post('/timeouts', (req, res) => {
    const body: unknown = req.body;
    const n = isObject(body) ? body.count : undefined;
    const ms = isObject(body) && body.ms !== undefined ? body.ms : 30_000;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || typeof ms !== 'number' || !(ms >= 0)) {
      res.status(400).json({ error: 'expected {count, ms?}' });
      return;
    }
    injectTimeouts(n, ms);
    res.json({ ok: true, queued: forcedTimeouts.length });
  });
  router.post('/reset', (_req, res) => {
    reset();
    res.json({ ok: true });
  });
  router.get('/deliveries', (_req, res) => {
    res.json({ deliveries: delivered });
  });
  router.delete('/deliveries', (_req, res) => {
    delivered = [];
    res.json({ ok: true });
  });
  router.get('/stats', (_req, res) => {
    res.json({ requests });
  });
  router.use(malformedJson);

  return {
    router,
    recordInteraction,
    tagFollower(openid, tagId) {
      follower(openid).tags.add(tagId);
    },
    deliveries: () => [...delivered],
    clearDeliveries() {
      delivered = [];
    },
    injectErrors,
    injectTimeouts,
    stats: () => ({ requests: { ...requests } }),
    reset,
    serveApi,
  };
}

type ApiHandler = (req: ApiRequest, now: number) => Answer;
const BODY_LIMIT = 2 * 1024 * 1024;

/** Answers JSON (or, for a non-200 status without an answer, the HTML page express would send). */
function writeRaw(res: ServerResponse, status: number, answer: Answer | null): void {
  if (res.writableEnded || res.destroyed) return;
  const text = answer === null || status !== 200 ? `<html><body>${status}</body></html>` : JSON.stringify(answer);
  res.writeHead(status, {
    'content-type': answer === null || status !== 200 ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export interface StandaloneSimulator {
  /** The API base to give clients, e.g. `http://127.0.0.1:3001/sim`. */
  readonly url: string;
  readonly simulator: Simulator;
  close(): Promise<void>;
}

/**
 * Serves a simulator under `/sim` on its own HTTP server (port 0 picks a free one).
 * @example const sim = await startStandaloneSimulator({ port: 0, accountType: 'service' }); // sim.url → http://127.0.0.1:PORT/sim
 */
export async function startStandaloneSimulator(
  options: { readonly port: number; readonly host?: string } & SimulatorOptions,
): Promise<StandaloneSimulator> {
  const { port, host = '127.0.0.1', ...simulatorOptions } = options;
  const simulator = createSimulator(simulatorOptions);
  const app = express();
  app.use('/sim', express.json({ limit: '2mb' }), simulator.router, malformedJson);
  // The API endpoints take the fast path (no express per call); everything else goes through the app.
  const server = createServer((req, res) => {
    if (!simulator.serveApi(req, res, '/sim')) app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // A wildcard address is not somewhere to send requests: name the loopback instead.
  const shown = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  const hostPart = shown.includes(':') ? `[${shown}]` : shown;
  return {
    url: `http://${hostPart}:${address.port}/sim`,
    simulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
