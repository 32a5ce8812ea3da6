/**
 * The official-account webhook: `GET|POST /wechat` (the default account) and `/wechat/:account`.
 * Verifies, decrypts and parses a delivery into an `Inbound`, hands it to the agent, and renders the
 * answer back (encrypted when the request was) within the platform's 5-second budget.
 */
import { randomBytes } from 'node:crypto';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import type { Agent } from '../../agent/agent.ts';
import type { Inbound, Reply } from '../../agent/types.ts';
import { isUserMessage } from '../../agent/types.ts';
import type { Clock } from '../../clock.ts';
import { systemClock } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import { maskId } from '../../log.ts';
import type { Metrics } from '../../metrics.ts';
import type { Account, AccountStore } from '../../store/accounts.ts';
import { CryptoError, MessageCrypto, type KeyUsed } from './crypto.ts';
import { sleep } from '../../clock.ts';
import { isStorageFailure } from '../../store/write-health.ts';
import { holdUntilDroppedMs, planLateAnswer } from './reply-budget.ts';
import { verifyMsgSignature, verifySignature } from './signature.ts';
import { parseWechatXml, renderReply, toInbound, XmlError } from './xml.ts';

export const MAX_BODY_BYTES = 64 * 1024;
const SUCCESS = 'success';
const XML = 'application/xml; charset=utf-8';
const PLAIN = 'text/plain; charset=utf-8';

/**
 * The answer to a delivery, written with Node's own response API: express's res.set/res.send parse and
 * re-format the content type and charset on every call, and a delivery's answer needs none of that.
 */
function answer(res: Response, type: string, body: string): void {
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
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
}

export interface Webhook {
  /** Registers `GET|POST /wechat{/:account}` on the app. */
  install(app: Express): void;
  /** Resolves when every late answer handed to the customer-service API has been sent (or failed). */
  settle(): Promise<void>;
}

/** Status codes for what the platform (or an impostor) sent wrong. */
class Rejection extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 413,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Answers that reached the follower another way, or never will; the webhook says `success`. */
const CUSTOMER_SERVICE_OPENERS = new Set(['follow', 'scan', 'menu_click']);

/**
 * @example wechatWebhook({ accounts, agent, metrics, logger, customerService: () => null }).install(app);
 */
export function wechatWebhook(options: WebhookOptions): Webhook {
  const { accounts, agent, metrics, logger, clock = systemClock, budgetMs = 4_500, holdMs = 15_000 } = options;
  // The routes go straight onto the app (see `install`): a sub-router costs every delivery a second dispatch.
  const router = {
    get: (path: string, ...handlers: RequestHandler[]) => routes.push({ method: 'get', path, handlers }),
    post: (path: string, ...handlers: RequestHandler[]) => routes.push({ method: 'post', path, handlers }),
  };
  const routes: { method: 'get' | 'post'; path: string; handlers: RequestHandler[] }[] = [];
  const cryptos = new Map<string, MessageCrypto>();
  const lateDeliveries = new Set<Promise<void>>();

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

  function accountOf(req: Request): Account {
    const id = (req.params as { account?: string }).account ?? 'default';
    const account = accounts.get(id);
    if (!account) throw new Rejection(404, 'unknown account');
    return account;
  }

  function checkSignature(req: Request, account: Account): { timestamp: string; nonce: string } {
    const q = req.query as Record<string, unknown>;
    const [signature, timestamp, nonce] = [q.signature, q.timestamp, q.nonce].map((v) => (typeof v === 'string' ? v : ''));
    if (!signature || !timestamp || !nonce || !verifySignature(account.token, timestamp, nonce, signature)) {
      throw new Rejection(401, 'bad signature');
    }
    return { timestamp, nonce };
  }

  function reject(res: Response, err: unknown, account: Account | null): void {
    if (err instanceof Rejection) {
      metrics.rejected.inc({ reason: err.reason });
      logger.warn({ account: account?.id, status: err.status, reason: err.reason }, 'webhook request rejected');
      res.status(err.status).type('text/plain').send(err.reason);
      return;
    }
    throw err;
  }

  router.get('/wechat{/:account}', (req, res) => {
    let account: Account | null = null;
    try {
      account = accountOf(req);
      checkSignature(req, account);
      const echostr = typeof req.query.echostr === 'string' ? req.query.echostr : '';
      res.type('text/plain').send(echostr);
    } catch (err) {
      reject(res, err, account);
    }
  });

  const body = express.text({ type: () => true, limit: MAX_BODY_BYTES });

  router.post('/wechat{/:account}', body, async (req, res) => {
    const started = performance.now();
    let account: Account | null = null;
    let inbound: Inbound;
    let encrypted: { crypto: MessageCrypto; keyUsed: KeyUsed } | null = null;
    let toAccount: string;
    try {
      account = accountOf(req);
      checkSignature(req, account);
      const raw = typeof req.body === 'string' ? req.body : '';
      if (!raw.trim()) throw new Rejection(400, 'empty body');
      let fields = await parseOrReject(raw);
      if (req.query.encrypt_type === 'aes') {
        const crypto = cryptoFor(account);
        if (crypto) {
          const opened = await decryptOrReject(req, account, crypto, fields);
          fields = opened.fields;
          encrypted = { crypto, keyUsed: opened.keyUsed };
        } else if (!fields.MsgType) {
          throw new Rejection(400, 'encrypted message but no EncodingAESKey configured');
        }
        // Compatible mode without a key: the plaintext fields are there too; answer in plaintext.
      }
      inbound = toInboundOrReject(fields, account);
      toAccount = fields.ToUserName ?? '';
    } catch (err) {
      reject(res, err, account);
      return;
    }

    options.onInbound?.(account, inbound);
    // Child loggers only on the rare paths below: the common path writes one line and needs none.
    const who = { account: account.id, user: maskId(inbound.user), kind: inbound.kind };
    const channel = 'wechat';
    let outcome = 'answered';
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
      const xml = finalReply ? renderReply(finalReply, {
        toUser: inbound.user,
        fromAccount: toAccount,
        createdAt: Math.floor(clock.now() / 1000),
        toUserMessage: isUserMessage(inbound),
      }) : null;
      if (xml === null) {
        if (outcome === 'answered') outcome = turn.duplicate ? 'duplicate' : 'no_reply';
        answer(res, PLAIN, SUCCESS);
        return;
      }
      if (turn.duplicate) outcome = 'duplicate';
      if (encrypted) {
        const timestamp = String(Math.floor(clock.now() / 1000));
        const nonce = randomBytes(8).toString('hex');
        answer(res, XML, encrypted.crypto.encryptReply(xml, account.token, timestamp, nonce, undefined, encrypted.keyUsed));
      } else {
        answer(res, XML, xml);
      }
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
      if (!res.headersSent) res.type('text/plain').send(SUCCESS);
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
  const onError = (err: unknown, _req: Request, res: Response, next: (err?: unknown) => void) => {
    const status = (err as { status?: number; type?: string }).status;
    if (status === 413 || status === 400 || status === 415) {
      metrics.rejected.inc({ reason: status === 413 ? 'body too large' : 'unreadable body' });
      res.status(status === 413 ? 413 : 400).type('text/plain').send(status === 413 ? 'body too large' : 'unreadable body');
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
    if (err instanceof XmlError) throw new Rejection(400, err.code === 'dtd' ? 'DTD or entity declaration' : 'malformed XML');
    throw err;
  }
}

async function decryptOrReject(
  req: Request,
  account: Account,
  crypto: MessageCrypto,
  outer: Record<string, string>,
): Promise<{ fields: Record<string, string>; keyUsed: KeyUsed }> {
  const q = req.query as Record<string, unknown>;
  const encrypt = outer.Encrypt;
  const msgSignature = typeof q.msg_signature === 'string' ? q.msg_signature : '';
  if (!encrypt) throw new Rejection(400, 'encrypt_type=aes without Encrypt');
  if (!verifyMsgSignature(account.token, String(q.timestamp), String(q.nonce), encrypt, msgSignature)) {
    throw new Rejection(401, 'bad msg_signature');
  }
  let opened: { message: string; keyUsed: KeyUsed };
  try {
    opened = crypto.open(encrypt);
  } catch (err) {
    if (err instanceof CryptoError) {
      throw new Rejection(err.code === 'appid_mismatch' ? 401 : 400, `cannot decrypt (${err.code})`);
    }
    throw err;
  }
  return { fields: await parseOrReject(opened.message), keyUsed: opened.keyUsed };
}

function toInboundOrReject(fields: Record<string, string>, account: Account): Inbound {
  try {
    return toInbound(fields, account.id);
  } catch (err) {
    if (err instanceof XmlError) throw new Rejection(400, 'malformed message');
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
