/**
 * `POST /wechat{/:account}`, one delivery, in steps taken in this order:
 * 1. read the body under its limit (`refusedOversize`, then `readBody`, or express's body parser and `onBodyError`);
 * 2. `open` it: the front door's checks (signature, timestamp), the account's encrypt mode, the replay record
 *    (queued, awaited last), `parse`, `decrypt` (msg_signature, then the ciphertext) and the `Inbound`;
 * 3. the follower's rate limit (`overLimit`);
 * 4. hand it to the agent, and `lateAnswer` when the answer misses the reply budget;
 * 5. `render` the answer (encrypted when the delivery was) and `respond`; a turn that threw is `answerFailure`'s;
 * 6. `recordDelivery`: the metrics and the one info line.
 * Any refusal in 1–2 answers the same `400 invalid request` (see webhook.ts).
 *
 * This is the benchmarked hot path: the steps are made once per webhook, and the common path makes no closure
 * per delivery (the late and the failure paths may) besides the body reader's listeners. A delivery comes in
 * one of two ways: `serve`, straight from the server's request listener with the body read here (webhook.ts
 * decides which requests), or `handlers`, express's route with its body parser, for everything else.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Agent } from '../../agent/agent.ts';
import type { Handling } from '../../agent/dedup.ts';
import { sleep, type Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/log.ts';
import { maskId } from '../../core/log.ts';
import type { Inbound, Reply } from '../../core/messages.ts';
import { isUserMessage } from '../../core/messages.ts';
import type { Metrics } from '../../core/metrics.ts';
import type { Account } from '../../db/accounts.ts';
import { isStorageFailure } from '../../db/write-health.ts';
import { answer, INVALID_REQUEST, PLAIN, SUCCESS, XML } from './answer.ts';
import { CryptoError, MessageCrypto, type KeyUsed } from './crypto.ts';
import { countsTowardLimit, createFollowerLimiter, RATE_LIMIT_NOTICE, type FollowerAdmission, type FollowerLimiterFactory, type FollowerLimits } from './follower-limit.ts';
import { requestBodyHash } from './freshness.ts';
import { encryptModeOf, Rejection, type FrontDoor, type Signed, type WebhookRequest } from './front-door.ts';
import { BodyError, readBody } from './read-body.ts';
import { holdUntilDroppedMs, planLateAnswer } from './reply-budget.ts';
import { verifyMsgSignature } from './signature.ts';
import { parseWechatXml, renderReply, toInbound, XmlError } from './xml.ts';

const MAX_BODY_BYTES = 64 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';
const INTERNAL_ERROR = JSON.stringify({ error: { code: 'internal', message: 'something went wrong on the server; it has been logged' } });
const CHANNEL = 'wechat';
/** Besides a follower's message, what opens a customer-service window (a late answer may go out that way). */
const CUSTOMER_SERVICE_OPENERS = new Set(['follow', 'scan', 'menu_click']);

export interface PostOptions {
  readonly agent: Agent;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly clock: Clock;
  /** How long to wait for an answer before the late plan applies (the platform allows 5 s). */
  readonly budgetMs: number;
  /** The longest a held request (see `hold_for_retry`) stays open. */
  readonly holdMs: number;
  /** The per-follower rate limit (null: off). */
  readonly followerLimits: FollowerLimits | null;
  /** Makes the limiter for `followerLimits` (default: in memory, per process; shared-follower-limit.ts on PostgreSQL). */
  readonly followerLimiter?: FollowerLimiterFactory | undefined;
  /** Sends an answer through the customer-service API; null when the account cannot. */
  readonly customerService: (account: Account) => ((inbound: Inbound, reply: Reply) => Promise<void>) | null;
  /** Sees every verified inbound (the embedded simulator follows the 48-hour window from it). */
  readonly onInbound?: ((account: Account, inbound: Inbound) => void) | undefined;
}

/** A delivery past the front door: verified, decrypted, parsed, and recorded against replays. */
interface Delivery {
  readonly account: Account;
  readonly inbound: Inbound;
  /** The account's name in the delivery (`ToUserName`): the answer comes from it. */
  readonly toAccount: string;
  /** How the delivery was encrypted, to encrypt the answer alike; null for a plaintext delivery. */
  readonly encrypted: { readonly crypto: MessageCrypto; readonly keyUsed: KeyUsed } | null;
}

/** What became of a delivery: the `outcome` label of `guang_messages_total` and of the info line. */
type Outcome = 'answered' | 'no_reply' | 'duplicate' | 'deferred' | 'rate_limited' | 'error' | 'storage_unavailable';

/** Who a delivery came from, for the log lines (the openid masked). */
interface LogFields {
  readonly account: string;
  readonly user: string;
  readonly kind: Inbound['kind'];
}

/**
 * @example const post = postHandler(options, door); app.post('/wechat', ...post.handlers); app.use('/wechat', post.onBodyError);
 */
export function postHandler(options: PostOptions, door: FrontDoor) {
  const { agent, metrics, logger, clock, budgetMs, holdMs } = options;
  const limiter = options.followerLimits ? (options.followerLimiter ?? createFollowerLimiter)(options.followerLimits, clock, logger) : null;
  const cryptos = new Map<string, MessageCrypto>();
  const lateDeliveries = new Set<Promise<void>>();

  // 1. The body, under its limit.
  /**
   * A body declared larger than the limit is refused on its Content-Length, before a byte of it is read:
   * body-parser would read (and discard) all of it before answering its 413, so a client declaring 50 MB and
   * dripping it would hold the request until the body deadline. `Connection: close` makes Node close the
   * socket once the 413 is out instead of reading the rest. One header compare for a normal delivery.
   * True when it answered.
   */
  function refusedOversize(req: IncomingMessage, res: ServerResponse): boolean {
    const declared = req.headers['content-length'];
    if (declared === undefined || !(Number(declared) > MAX_BODY_BYTES)) return false;
    metrics.rejected.inc({ reason: 'body too large' });
    res.writeHead(413, { 'Content-Type': PLAIN, 'Content-Length': 14, Connection: 'close', 'X-Content-Type-Options': 'nosniff' });
    res.end('body too large');
    return true;
  }
  const refuseDeclaredOversize: RequestHandler = (req, res, next) => {
    if (!refusedOversize(req, res)) next();
  };
  const body = express.text({ type: () => true, limit: MAX_BODY_BYTES });

  // Body-parser failures (over 64 KiB, an undecodable charset) become plain status codes, never a crash.
  // 413 stays 413: the size is refused before anything is checked, for every account alike.
  // Body-parser reports a failure only once the rest of the body has been read off the socket; by then the body
  // deadline (src/app/http-timeouts.ts) may have answered 408 and closed the connection: nothing more to write.
  const onBodyError = (err: unknown, req: Request, res: Response, next: (err?: unknown) => void) => {
    const status = (err as { status?: number; type?: string }).status;
    if (status === 413 || status === 400 || status === 415) {
      refuseBody(req, res, status);
      return;
    }
    next(err);
  };
  function refuseBody(req: IncomingMessage, res: ServerResponse, status: number): void {
    metrics.rejected.inc({ reason: status === 413 ? 'body too large' : 'unreadable body' });
    if (res.headersSent || req.socket.destroyed) return;
    if (status === 413) answer(res, PLAIN, 'body too large', 413);
    else answer(res, PLAIN, INVALID_REQUEST, 400);
  }

  // 2. Opening the delivery.
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

  /** The delivery, past every check of the way in; rejects with a Rejection for whatever fails. */
  async function open(req: WebhookRequest, raw: string): Promise<Delivery> {
    const verified = door.verify(req);
    const account = verified.account;
    if (!raw.trim()) throw new Rejection('empty body');
    const encryptType = typeof req.query.encrypt_type === 'string' ? req.query.encrypt_type : '';
    const msgSignature = typeof req.query.msg_signature === 'string' ? req.query.msg_signature : '';
    // The platform in compatible and in safe mode sends encrypt_type=aes: plaintext alone is an impostor's.
    if (encryptType !== 'aes' && encryptModeOf(account) === 'safe') throw new Rejection('plaintext in safe mode');
    // Queued now, awaited after parsing: the record's group commit overlaps the parse and the decryption.
    const admitted = door.admitOnce(account, verified.signed, requestBodyHash({ method: 'POST', encryptType, msgSignature, body: raw }));
    let fields = await parse(raw);
    let encrypted: Delivery['encrypted'] = null;
    if (encryptType === 'aes') {
      const crypto = cryptoFor(account);
      if (crypto) {
        const opened = await decrypt(verified.signed, msgSignature, account, crypto, fields);
        fields = opened.fields;
        encrypted = { crypto, keyUsed: opened.keyUsed };
      } else if (!fields.MsgType || encryptModeOf(account) === 'safe') {
        throw new Rejection('encrypted message but no EncodingAESKey configured');
      }
      // Plain mode without a key: the platform's compatible form carries the plaintext fields too; answer in plaintext.
    }
    const inbound = toInboundOrReject(fields, account);
    const toAccount = fields.ToUserName ?? '';
    if (!(await admitted)) throw new Rejection('replay');
    return { account, inbound, toAccount, encrypted };
  }

  // 3. The follower's rate limit.
  /**
   * What the follower's bucket says of the delivery ('admit' when there is no limit or it does not count). A
   * promise only from the shared limiter (PostgreSQL): the in-memory one answers at once, and costs no await.
   * Texts are charged first and asked whether they are an opt-out only when refused (`overLimit`): reading the
   * command (normalising the text) on every message cost more than the bucket itself.
   */
  function charge(delivery: Delivery): FollowerAdmission | Promise<FollowerAdmission> {
    const { account, inbound } = delivery;
    const limited = limiter && (inbound.kind === 'text' || countsTowardLimit(inbound));
    return limited ? limiter.take(account.id, inbound.user, inbound.dedupKey) : 'admit';
  }

  /** True when `admission` refuses the delivery and it has been answered here: the agent does not run. */
  function overLimit(res: ServerResponse, delivery: Delivery, who: LogFields, admission: FollowerAdmission): boolean {
    const { inbound } = delivery;
    // Over the limit, a text that does not count after all (TD, 退订, 订阅) still goes through.
    if (admission === 'admit' || (inbound.kind === 'text' && !countsTowardLimit(inbound))) return false;
    // One short notice, then `success` until the bucket refills. One warn line per episode (the notice); the
    // rest at debug, so a flood does not become a flood of log lines.
    if (admission === 'notice') logger.warn(who, 'follower over the rate limit; told to slow down, not handled');
    else logger.debug(who, 'follower over the rate limit; not handled');
    respond(res, delivery, admission === 'notice' ? { type: 'text', text: RATE_LIMIT_NOTICE } : null);
    metrics.messages.inc({ channel: CHANNEL, type: inbound.kind, outcome: 'rate_limited' });
    return true;
  }

  // 4. The answer missed the reply budget.
  /**
   * Hands the answer to the customer-service API, holds the request for the platform's retry, or gives up, as
   * `planLateAnswer` says; resolves to what to answer now (null: `success`).
   */
  async function lateAnswer(turn: Handling, delivery: Delivery, who: LogFields): Promise<Reply | null> {
    const { account, inbound } = delivery;
    const send = options.customerService(account);
    const plan = planLateAnswer({
      attempt: turn.attempt,
      claimAgeMs: turn.claimAgeMs,
      customerService: send !== null,
      opensWindow: isUserMessage(inbound) || CUSTOMER_SERVICE_OPENERS.has(inbound.kind),
    });
    const log = logger.child(who);
    log.warn({ attempt: turn.attempt, plan }, 'answer not ready within the reply budget');
    if (plan === 'customer_service' && send && (await turn.deliver('customer_service'))) {
      track(turn.answer.then((r) => (r.type === 'none' ? undefined : send(inbound, r))), log);
      return null;
    }
    if (plan === 'hold_for_retry') {
      // Stay silent: the platform retries, and the retry gets the stored answer.
      const late = await withinBudget(turn.answer, holdMs - budgetMs);
      return late === LATE ? null : late;
    }
    return null;
  }

  function track(p: Promise<void>, log: Logger): void {
    const tracked = p.catch((err) => log.error({ err }, 'customer-service delivery of a late answer failed'));
    lateDeliveries.add(tracked);
    void tracked.finally(() => lateDeliveries.delete(tracked));
  }

  // 5. The answer.
  /** The answer's body in the form the delivery came in (encrypted when it was); null when there is none. */
  function render(delivery: Delivery, reply: Reply): string | null {
    const { inbound, encrypted } = delivery;
    const xml = renderReply(reply, {
      toUser: inbound.user,
      fromAccount: delivery.toAccount,
      createdAt: Math.floor(clock.now() / 1000),
      toUserMessage: isUserMessage(inbound),
    });
    if (xml === null || !encrypted) return xml;
    const timestamp = String(Math.floor(clock.now() / 1000));
    const nonce = randomBytes(8).toString('hex');
    return encrypted.crypto.encryptReply(xml, delivery.account.token, timestamp, nonce, undefined, encrypted.keyUsed);
  }

  /** Writes `reply` (null: `success`) in the form the delivery came in; false when that was `success`. */
  function respond(res: ServerResponse, delivery: Delivery, reply: Reply | null): boolean {
    const xml = reply ? render(delivery, reply) : null;
    if (xml === null) {
      answer(res, PLAIN, SUCCESS);
      return false;
    }
    answer(res, XML, xml);
    return true;
  }

  /** Answers for a turn that threw; resolves to the outcome. */
  async function answerFailure(req: IncomingMessage, res: ServerResponse, err: unknown, who: LogFields, started: number): Promise<Outcome> {
    if (isStorageFailure(err)) {
      // The database cannot be written and this answer needed it. `success` would tell the platform the
      // message was handled and lose it for good; a reply it cannot show would show the follower an error.
      // Holding the request until the platform drops it (5 s) makes it retry (its documented behaviour on a
      // timeout), when the disk may be back; the write failure itself is logged once per burst
      // (store/write-health.ts). The 503 comes after the platform has stopped listening: it is for a proxy's
      // logs, or a caller with more patience, to see why.
      await sleep(holdUntilDroppedMs(performance.now() - started));
      if (!res.headersSent && !req.socket.destroyed) {
        res.writeHead(503, { 'Retry-After': '5', 'Content-Type': PLAIN, 'Content-Length': 20 });
        res.end('database unavailable');
      }
      return 'storage_unavailable';
    }
    logger.child(who).error({ err }, 'handling failed; answered success');
    if (!res.headersSent) answer(res, PLAIN, SUCCESS);
    return 'error';
  }

  // 6. The record.
  function recordDelivery(inbound: Inbound, who: LogFields, outcome: Outcome, started: number): void {
    metrics.messages.inc({ channel: CHANNEL, type: inbound.kind, outcome });
    metrics.replyLatency.observe({ channel: CHANNEL }, (performance.now() - started) / 1000);
    // Written out rather than spread from `who`: a spread of a small object into a bigger literal costs
    // microseconds here (as it did in toInbound), the field copies nanoseconds.
    logger.info({ account: who.account, user: who.user, kind: who.kind, outcome, ms: Math.round(performance.now() - started) }, 'webhook');
  }

  /** One delivery, its body read: steps 2 to 6. */
  async function deliver(req: IncomingMessage, res: ServerResponse, request: WebhookRequest, raw: string): Promise<void> {
    const started = performance.now();
    let delivery: Delivery;
    try {
      delivery = await open(request, raw);
    } catch (err) {
      door.reject(request, res, err);
      return;
    }
    const { account, inbound } = delivery;
    options.onInbound?.(account, inbound);
    // Child loggers only on the rare paths: the common path writes one line and needs none.
    const who: LogFields = { account: account.id, user: maskId(inbound.user), kind: inbound.kind };
    let admission = charge(delivery);
    if (typeof admission !== 'string') admission = await admission;
    if (admission !== 'admit' && overLimit(res, delivery, who, admission)) return;

    let outcome: Outcome = 'answered';
    try {
      const turn = await agent.receive(inbound);
      if (turn.duplicate) metrics.dedupHits.inc({ channel: CHANNEL });
      const ready = await withinBudget(turn.answer, budgetMs);
      let reply: Reply | null;
      if (ready === LATE) {
        reply = await lateAnswer(turn, delivery, who);
        if (reply === null) outcome = 'deferred';
      } else {
        // An earlier delivery may have handed the answer to the customer-service API: this one says `success`.
        reply = turn.duplicate && (await turn.delivered()) === 'customer_service' ? null : ready;
      }
      if (res.writableEnded || req.socket.destroyed) return;
      const replied = respond(res, delivery, reply);
      if (!replied && outcome === 'answered') outcome = turn.duplicate ? 'duplicate' : 'no_reply';
      else if (replied && turn.duplicate) outcome = 'duplicate';
    } catch (err) {
      outcome = await answerFailure(req, res, err, who, started);
    } finally {
      recordDelivery(inbound, who, outcome, started);
    }
  }

  /** The route's last handler: the body as express's parser left it. */
  const handle: RequestHandler = (req, res) =>
    deliver(req, res, { account: (req.params as { account?: string }).account ?? 'default', query: req.query }, typeof req.body === 'string' ? req.body : '');

  /**
   * What `serve` does with an error: a body that could not be read gets the parser's 413 or 400; anything else
   * escaped a step (a bug) and gets what express's last handler (src/core/http-errors.ts) would give it.
   */
  function failed(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    if (err instanceof BodyError) {
      refuseBody(req, res, err.status);
      return;
    }
    logger.error({ err, method: req.method, path: '/wechat' }, 'unhandled error');
    if (res.headersSent) req.socket.destroy();
    else answer(res, JSON_TYPE, INTERNAL_ERROR, 500);
  }

  return {
    /**
     * A delivery straight from the server's request listener, `request` parsed from its URL by the caller: the
     * same steps as `handlers`, with the body read by read-body.ts (only for bodies it reads as express would;
     * see `readsPlainly`). Never rejects.
     */
    serve(req: IncomingMessage, res: ServerResponse, request: WebhookRequest): Promise<void> {
      if (refusedOversize(req, res)) return Promise.resolve();
      return readBody(req, MAX_BODY_BYTES)
        .then((raw) => deliver(req, res, request, raw))
        .catch((err: unknown) => failed(req, res, err));
    },
    /** The route's handlers, in order. */
    handlers: [refuseDeclaredOversize, body, handle] as const,
    /** Mounted after the routes: a body the parser refused. */
    onBodyError,
    /** Resolves when every late answer handed to the customer-service API has been sent (or failed). */
    async settle(): Promise<void> {
      await Promise.all([...lateDeliveries]);
    },
  };
}

async function parse(raw: string): Promise<Record<string, string>> {
  try {
    return await parseWechatXml(raw);
  } catch (err) {
    if (err instanceof XmlError) throw new Rejection(err.code === 'dtd' ? 'DTD or entity declaration' : 'malformed XML');
    throw err;
  }
}

/** The inner fields of an encrypted delivery, and which key opened it; rejects for a bad msg_signature or ciphertext. */
async function decrypt(
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
  return { fields: await parse(opened.message), keyUsed: opened.keyUsed };
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

/**
 * `p`, or LATE when it has not settled within `ms`. One promise and one timer per delivery, where
 * `Promise.race(…).finally(…)` made five promises. The timer stays one per delivery: Node already keeps every
 * timer of the same duration on one list under one native timer, so a shared timer of our own saves nothing.
 */
function withinBudget<T>(p: Promise<T>, ms: number): Promise<T | typeof LATE> {
  return new Promise<T | typeof LATE>((resolve, reject) => {
    const timer = setTimeout(resolve, Math.max(0, ms), LATE);
    p.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
