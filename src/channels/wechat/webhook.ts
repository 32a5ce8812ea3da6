/**
 * The official-account webhook: `GET|POST /wechat` (the default account) and `/wechat/:account`.
 * Verifies, decrypts and parses a delivery into an `Inbound`, hands it to the agent, and renders the
 * answer back (encrypted when the request was) within the platform's 5-second budget.
 *
 * The front door, in order: the signature (a decoy token for an unknown account, so both cost the same),
 * a fresh numeric timestamp, the account's encrypt mode, msg_signature, decryption, the replay record, the
 * follower's rate limit. Whatever fails answers the same 400 `invalid request`: a difference between
 * failures would be an oracle (bad padding vs wrong appid was one). The reason goes to a debug line and
 * the `guang_webhook_rejected_total` label only (one label for every decryption failure: /metrics is public).
 */
import { randomBytes } from 'node:crypto';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import type { Agent } from '../../agent/agent.ts';
import type { Inbound, Reply } from '../../core/messages.ts';
import { isUserMessage } from '../../core/messages.ts';
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import type { Logger } from '../../core/log.ts';
import { maskId } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import type { Account, AccountStore } from '../../db/accounts.ts';
import { defaultEncryptMode, DEFAULT_MAX_CLOCK_SKEW_SECONDS, type EncryptMode } from '../../core/config.ts';
import { CryptoError, MessageCrypto, type KeyUsed } from './crypto.ts';
import { countsTowardLimit, createFollowerLimiter, FOLLOWER_LIMITS, RATE_LIMIT_NOTICE, type FollowerLimits } from './follower-limit.ts';
import { freshness, requestBodyHash, requestKey } from './freshness.ts';
import type { ReplayGuard } from './replay-guard.ts';
import { sleep } from '../../core/clock.ts';
import { isStorageFailure, logWriteError } from '../../db/write-health.ts';
import { holdUntilDroppedMs, planLateAnswer } from './reply-budget.ts';
import { staleMessage, staleWarning } from './stale-warning.ts';
import { verifyMsgSignature, verifySignature } from './signature.ts';
import { parseWechatXml, renderReply, toInbound, XmlError } from './xml.ts';

const MAX_BODY_BYTES = 64 * 1024;
/** At most one warn line a minute about deliveries refused as stale (see stale-warning.ts). */
const STALE_WARNING_INTERVAL_MS = 60_000;
const SUCCESS = 'success';
const XML = 'application/xml; charset=utf-8';
const PLAIN = 'text/plain; charset=utf-8';
/** The one answer to every refused request, whatever the reason (see the module comment). */
const INVALID_REQUEST = 'invalid request';
/** Checked in place of an unknown account's token, so that `/wechat/<unknown>` costs what a bad signature costs. */
const DECOY_TOKEN = 'guang-no-such-account';

/**
 * The answer to a delivery, written with Node's own response API: express's res.set/res.send parse and
 * re-format the content type and charset on every call, and a delivery's answer needs none of that.
 * `nosniff`: the GET echo is attacker-chosen text; no browser may read it as anything else.
 */
function answer(res: Response, type: string, body: string, status = 200): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

/** The mode an account's webhook runs in (an account saved without one: safe when it has a key). */
export function encryptModeOf(account: Pick<Account, 'encryptMode' | 'aesKey'>): EncryptMode {
  return account.encryptMode ?? defaultEncryptMode(account.aesKey);
}

export interface WebhookOptions {
  readonly accounts: Pick<AccountStore, 'get'>;
  readonly agent: Agent;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** How long to wait for an answer before the late plan applies (the platform allows 5 s). */
  readonly budgetMs?: number;
  /** The longest a held request (see `hold_for_retry`) stays open. */
  readonly holdMs?: number;
  /** Sends an answer through the customer-service API; null when the account cannot. */
  readonly customerService: (account: Account) => ((inbound: Inbound, reply: Reply) => Promise<void>) | null;
  /** Sees every verified inbound (the embedded simulator follows the 48-hour window from it). */
  readonly onInbound?: (account: Account, inbound: Inbound) => void;
  /** The record of signed requests already taken (src/channels/wechat/replay-guard.ts). */
  readonly replay: ReplayGuard;
  /** A request whose `timestamp` is further than this from `clock` is refused (default 300 s). */
  readonly maxClockSkewSeconds?: number;
  /** The per-follower rate limit (default FOLLOWER_LIMITS: a burst of 10, then one a second; null: off). */
  readonly followerLimits?: FollowerLimits | null;
}

export interface Webhook {
  /** Registers `GET|POST /wechat{/:account}` on the app. */
  install(app: Express): void;
  /** Resolves when every late answer handed to the customer-service API has been sent (or failed). */
  settle(): Promise<void>;
}

/**
 * Why a request was refused: `reason`, the label of the rejected metric, and `detail`, for the debug line
 * only. Never shown to the caller — and /metrics is public: a label per decryption failure (bad padding vs a
 * wrong AppID) would be the padding oracle again, one GET after each forged ciphertext.
 */
class Rejection extends Error {
  constructor(
    readonly reason: string,
    readonly detail?: string,
    /** For a stale timestamp: this server's clock minus the request's, in seconds. */
    readonly serverAheadSeconds?: number,
  ) {
    super(reason);
  }
}

/** A verified request's signed parameters. */
interface Signed {
  readonly timestamp: string;
  readonly nonce: string;
  readonly signature: string;
}

/** Answers that reached the follower another way, or never will; the webhook says `success`. */
const CUSTOMER_SERVICE_OPENERS = new Set(['follow', 'scan', 'menu_click']);

/**
 * @example wechatWebhook({ accounts, agent, metrics, logger, customerService: () => null }).install(app);
 */
export function wechatWebhook(options: WebhookOptions): Webhook {
  const { accounts, agent, metrics, logger, replay, clock = systemClock, budgetMs = 4_500, holdMs = 15_000 } = options;
  const maxSkewSeconds = options.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS;
  const limits = options.followerLimits === undefined ? FOLLOWER_LIMITS : options.followerLimits;
  const limiter = limits ? createFollowerLimiter(limits, clock) : null;
  // The routes go straight onto the app (see `install`): a sub-router costs every delivery a second dispatch.
  const router = {
    get: (path: string, ...handlers: RequestHandler[]) => routes.push({ method: 'get', path, handlers }),
    post: (path: string, ...handlers: RequestHandler[]) => routes.push({ method: 'post', path, handlers }),
  };
  const routes: { method: 'get' | 'post'; path: string; handlers: RequestHandler[] }[] = [];
  const cryptos = new Map<string, MessageCrypto>();
  const lateDeliveries = new Set<Promise<void>>();
  const stale = staleWarning(STALE_WARNING_INTERVAL_MS);

  function cryptoFor(account: Account): MessageCrypto | null {
    if (!account.aesKey || !account.appId) return null;
    const key = `${account.aesKey}|${account.previousAesKey ?? ''}|${account.appId}`;
    let crypto = cryptos.get(key);
    if (!crypto) {
      crypto = new MessageCrypto({ aesKey: account.aesKey, previousAesKey: account.previousAesKey, appId: account.appId });
      cryptos.set(key, crypto);
    }
    return crypto;
  }

  /**
   * The account, a valid signature and a fresh timestamp, or a Rejection. An unknown account goes through
   * the same checks against a decoy token: it must not answer sooner (or otherwise) than a bad signature.
   */
  function verify(req: Request): { account: Account; signed: Signed } {
    const id = (req.params as { account?: string }).account ?? 'default';
    const account = accounts.get(id);
    const q = req.query as Record<string, unknown>;
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    const [signature, timestamp, nonce] = [str(q.signature), str(q.timestamp), str(q.nonce)];
    const fresh = freshness(timestamp, clock.now(), maxSkewSeconds);
    const signed = nonce !== '' && verifySignature(account?.token ?? DECOY_TOKEN, timestamp, nonce, signature);
    // Counted as a bad signature, which it also is: a label of its own on the public /metrics would say which
    // accounts exist. The debug line says which.
    if (!account) throw new Rejection('bad signature', 'unknown account');
    if (!signed) throw new Rejection('bad signature');
    if (fresh === 'stale') throw new Rejection('stale timestamp', undefined, Math.round(clock.now() / 1000 - Number(timestamp)));
    if (fresh !== 'fresh') throw new Rejection('timestamp not numeric');
    return { account, signed: { timestamp, nonce, signature } };
  }

  /**
   * Records the request; resolves false for a replay (seen before with another body; the platform's retries
   * repeat the whole request). Never rejects: when the database cannot be written, the signature and the
   * timestamp still hold, and answering matters more.
   */
  function admitOnce(account: Account, signed: Signed, hash: string): Promise<boolean> {
    return replay.admit(account.id, Number(signed.timestamp), requestKey(signed.signature), hash).catch((err: unknown) => {
      // A storage failure is logged once per burst by the write queue's health (src/db/write-health.ts).
      logWriteError(logger, err, 'could not record the request for the replay check; taking it unchecked');
      return true;
    });
  }

  function reject(req: Request, res: Response, err: unknown): void {
    if (err instanceof Rejection) {
      metrics.rejected.inc({ reason: err.reason });
      if (logger.isLevelEnabled('debug')) {
        const account = ((req.params as { account?: string }).account ?? 'default').slice(0, 64);
        logger.debug({ account, reason: err.reason, ...(err.detail ? { detail: err.detail } : {}) }, 'webhook request rejected');
      }
      if (err.serverAheadSeconds !== undefined) {
        // A drifted clock refuses every genuine delivery: say so, once a minute at most, in numbers only.
        const due = stale.note(clock.now(), err.serverAheadSeconds);
        if (due) logger.warn(due, staleMessage(due, maxSkewSeconds));
      }
      answer(res, PLAIN, INVALID_REQUEST, 400);
      return;
    }
    throw err;
  }

  router.get('/wechat{/:account}', async (req, res) => {
    try {
      const { account, signed } = verify(req);
      const echostr = typeof req.query.echostr === 'string' ? req.query.echostr : '';
      // Recorded too: a captured handshake URL would otherwise sign a POST with any body.
      if (!(await admitOnce(account, signed, requestBodyHash({ method: 'GET', encryptType: '', msgSignature: '', body: echostr })))) {
        throw new Rejection('replay');
      }
      answer(res, PLAIN, echostr);
    } catch (err) {
      reject(req, res, err);
    }
  });

  const body = express.text({ type: () => true, limit: MAX_BODY_BYTES });

  /**
   * A body declared larger than the limit is refused on its Content-Length, before a byte of it is read:
   * body-parser would read (and discard) all of it before answering its 413, so a client declaring 50 MB and
   * dripping it would hold the request until the body deadline. `Connection: close` makes Node close the
   * socket once the 413 is out instead of reading the rest. One header compare for a normal delivery.
   */
  const refuseDeclaredOversize: RequestHandler = (req, res, next) => {
    const declared = req.headers['content-length'];
    if (declared === undefined || !(Number(declared) > MAX_BODY_BYTES)) return next();
    metrics.rejected.inc({ reason: 'body too large' });
    res.writeHead(413, { 'Content-Type': PLAIN, 'Content-Length': 14, Connection: 'close', 'X-Content-Type-Options': 'nosniff' });
    res.end('body too large');
  };

  router.post('/wechat{/:account}', refuseDeclaredOversize, body, async (req, res) => {
    const started = performance.now();
    let account: Account;
    let inbound: Inbound;
    let encrypted: { crypto: MessageCrypto; keyUsed: KeyUsed } | null = null;
    let toAccount: string;
    try {
      const verified = verify(req);
      account = verified.account;
      const raw = typeof req.body === 'string' ? req.body : '';
      if (!raw.trim()) throw new Rejection('empty body');
      const encryptType = typeof req.query.encrypt_type === 'string' ? req.query.encrypt_type : '';
      const msgSignature = typeof req.query.msg_signature === 'string' ? req.query.msg_signature : '';
      // The platform in compatible and in safe mode sends encrypt_type=aes: plaintext alone is an impostor's.
      if (encryptType !== 'aes' && encryptModeOf(account) === 'safe') throw new Rejection('plaintext in safe mode');
      // Queued now, awaited after parsing: the record's group commit overlaps the parse and the decryption.
      const admitted = admitOnce(account, verified.signed, requestBodyHash({ method: 'POST', encryptType, msgSignature, body: raw }));
      let fields = await parseOrReject(raw);
      if (encryptType === 'aes') {
        const crypto = cryptoFor(account);
        if (crypto) {
          const opened = await decryptOrReject(verified.signed, msgSignature, account, crypto, fields);
          fields = opened.fields;
          encrypted = { crypto, keyUsed: opened.keyUsed };
        } else if (!fields.MsgType || encryptModeOf(account) === 'safe') {
          throw new Rejection('encrypted message but no EncodingAESKey configured');
        }
        // Plain mode without a key: the platform's compatible form carries the plaintext fields too; answer in plaintext.
      }
      inbound = toInboundOrReject(fields, account);
      toAccount = fields.ToUserName ?? '';
      if (!(await admitted)) throw new Rejection('replay');
    } catch (err) {
      reject(req, res, err);
      return;
    }

    options.onInbound?.(account, inbound);
    // Child loggers only on the rare paths below: the common path writes one line and needs none.
    const who = { account: account.id, user: maskId(inbound.user), kind: inbound.kind };
    const channel = 'wechat';
    let outcome = 'answered';

    /** Writes `reply` (null: `success`) in the form the delivery came in. */
    const respond = (reply: Reply | null): boolean => {
      const xml = reply ? renderReply(reply, {
        toUser: inbound.user,
        fromAccount: toAccount,
        createdAt: Math.floor(clock.now() / 1000),
        toUserMessage: isUserMessage(inbound),
      }) : null;
      if (xml === null) {
        answer(res, PLAIN, SUCCESS);
        return false;
      }
      if (encrypted) {
        const timestamp = String(Math.floor(clock.now() / 1000));
        const nonce = randomBytes(8).toString('hex');
        answer(res, XML, encrypted.crypto.encryptReply(xml, account.token, timestamp, nonce, undefined, encrypted.keyUsed));
      } else {
        answer(res, XML, xml);
      }
      return true;
    };

    // Texts are charged first and asked whether they are an opt-out only when refused: reading the command
    // (normalising the text) on every message cost more than the bucket itself.
    const limited = limiter && (inbound.kind === 'text' || countsTowardLimit(inbound));
    if (limited) {
      const admission = limiter.take(account.id, inbound.user, inbound.dedupKey);
      if (admission !== 'admit' && (inbound.kind !== 'text' || countsTowardLimit(inbound))) {
        // The agent does not run: one short notice, then `success` until the bucket refills. One warn line per
        // episode (the notice); the rest at debug, so a flood does not become a flood of log lines.
        if (admission === 'notice') logger.warn(who, 'follower over the rate limit; told to slow down, not handled');
        else logger.debug(who, 'follower over the rate limit; not handled');
        respond(admission === 'notice' ? { type: 'text', text: RATE_LIMIT_NOTICE } : null);
        metrics.messages.inc({ channel, type: inbound.kind, outcome: 'rate_limited' });
        return;
      }
    }

    try {
      const turn = await agent.receive(inbound);
      if (turn.duplicate) metrics.dedupHits.inc({ channel });
      const reply = await withinBudget(turn.answer, budgetMs);

      let finalReply: Reply | null = reply === LATE ? null : reply;
      if (reply === LATE) {
        const send = options.customerService(account);
        const plan = planLateAnswer({
          attempt: turn.attempt,
          claimAgeMs: turn.claimAgeMs,
          customerService: send !== null,
          opensWindow: isUserMessage(inbound) || CUSTOMER_SERVICE_OPENERS.has(inbound.kind),
        });
        const log = logger.child(who);
        log.warn({ attempt: turn.attempt, plan }, 'answer not ready within the reply budget');
        if (plan === 'customer_service' && send && turn.deliver('customer_service')) {
          track(turn.answer.then((r) => (r.type === 'none' ? undefined : send(inbound, r))), log);
          finalReply = null;
          outcome = 'deferred';
        } else if (plan === 'hold_for_retry') {
          // Stay silent: the platform retries, and the retry gets the stored answer.
          const late = await withinBudget(turn.answer, holdMs - budgetMs);
          finalReply = late === LATE ? null : late;
          outcome = late === LATE ? 'deferred' : 'answered';
        } else {
          finalReply = null;
          outcome = 'deferred';
        }
      } else if (turn.duplicate && turn.delivered() === 'customer_service') {
        finalReply = null; // an earlier delivery handed the answer to the customer-service API
      }

      if (res.writableEnded || req.socket.destroyed) return;
      const replied = respond(finalReply);
      if (!replied && outcome === 'answered') outcome = turn.duplicate ? 'duplicate' : 'no_reply';
      else if (replied && turn.duplicate) outcome = 'duplicate';
    } catch (err) {
      if (isStorageFailure(err)) {
        // The database cannot be written and this answer needed it. `success` would tell the platform the
        // message was handled and lose it for good; a reply it cannot show would show the follower an error.
        // Holding the request until the platform drops it (5 s) makes it retry (its documented behaviour on a
        // timeout), when the disk may be back; the write failure itself is logged once per burst
        // (store/write-health.ts). The 503 comes after the platform has stopped listening: it is for a proxy's
        // logs, or a caller with more patience, to see why.
        outcome = 'storage_unavailable';
        await sleep(holdUntilDroppedMs(performance.now() - started));
        if (!res.headersSent && !req.socket.destroyed) res.status(503).set('Retry-After', '5').type('text/plain').send('database unavailable');
        return;
      }
      outcome = 'error';
      logger.child(who).error({ err }, 'handling failed; answered success');
      if (!res.headersSent) answer(res, PLAIN, SUCCESS);
    } finally {
      metrics.messages.inc({ channel, type: inbound.kind, outcome });
      metrics.replyLatency.observe({ channel }, (performance.now() - started) / 1000);
      logger.info({ ...who, outcome, ms: Math.round(performance.now() - started) }, 'webhook');
    }
  });

  function track(p: Promise<void>, log: Logger): void {
    const tracked = p.catch((err) => log.error({ err }, 'customer-service delivery of a late answer failed'));
    lateDeliveries.add(tracked);
    void tracked.finally(() => lateDeliveries.delete(tracked));
  }

  // Body-parser failures (over 64 KiB, an undecodable charset) become plain status codes, never a crash.
  // 413 stays 413: the size is refused before anything is checked, for every account alike.
  // Body-parser reports a failure only once the rest of the body has been read off the socket; by then the body
  // deadline (src/app/http-timeouts.ts) may have answered 408 and closed the connection: nothing more to write.
  const onError = (err: unknown, req: Request, res: Response, next: (err?: unknown) => void) => {
    const status = (err as { status?: number; type?: string }).status;
    if (status === 413 || status === 400 || status === 415) {
      metrics.rejected.inc({ reason: status === 413 ? 'body too large' : 'unreadable body' });
      if (res.headersSent || req.socket.destroyed) return;
      if (status === 413) answer(res, PLAIN, 'body too large', 413);
      else answer(res, PLAIN, INVALID_REQUEST, 400);
      return;
    }
    next(err);
  };

  return {
    install(app) {
      for (const r of routes) app[r.method](r.path, ...r.handlers);
      app.use('/wechat', onError);
    },
    settle: async () => {
      await Promise.all([...lateDeliveries]);
    },
  };
}

async function parseOrReject(raw: string): Promise<Record<string, string>> {
  try {
    return await parseWechatXml(raw);
  } catch (err) {
    if (err instanceof XmlError) throw new Rejection(err.code === 'dtd' ? 'DTD or entity declaration' : 'malformed XML');
    throw err;
  }
}

async function decryptOrReject(
  signed: Signed,
  msgSignature: string,
  account: Account,
  crypto: MessageCrypto,
  outer: Record<string, string>,
): Promise<{ fields: Record<string, string>; keyUsed: KeyUsed }> {
  const encrypt = outer.Encrypt;
  if (!encrypt) throw new Rejection('encrypt_type=aes without Encrypt');
  if (!verifyMsgSignature(account.token, signed.timestamp, signed.nonce, encrypt, msgSignature)) {
    throw new Rejection('bad msg_signature');
  }
  let opened: { message: string; keyUsed: KeyUsed };
  try {
    opened = crypto.open(encrypt);
  } catch (err) {
    // The code goes to the debug line only: told to the caller, or as a label of the public /metrics, it is a
    // padding oracle.
    if (err instanceof CryptoError) throw new Rejection('cannot decrypt', err.code);
    throw err;
  }
  return { fields: await parseOrReject(opened.message), keyUsed: opened.keyUsed };
}

function toInboundOrReject(fields: Record<string, string>, account: Account): Inbound {
  try {
    return toInbound(fields, account.id);
  } catch (err) {
    if (err instanceof XmlError) throw new Rejection('malformed message');
    throw err;
  }
}

const LATE = Symbol('late');

function withinBudget<T>(p: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), Math.max(0, ms));
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
