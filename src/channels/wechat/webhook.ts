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
 *
 * This module wires the routes; the checks shared with the URL check are in front-door.ts, the delivery's
 * steps in post.ts.
 *
 * Deliveries, nearly all of the traffic, are taken before express (`serve`, called from the server's request
 * listener): express's router and body parser cost a delivery more than its signature check, its replay record
 * and its parse together. Only the usual form is taken there — `POST /wechat` or `/wechat/<account>` spelled
 * exactly so (no percent-escapes, no trailing slash), with a UTF-8 body that is not compressed; anything else
 * goes on to the same steps through express's route, which decodes it as before. Either way the answer is the
 * same.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Express, RequestHandler } from 'express';
import type { Agent } from '../../agent/agent.ts';
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import { DEFAULT_MAX_CLOCK_SKEW_SECONDS } from '../../core/config.ts';
import type { Logger } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import type { AccountLookup } from '../../db/accounts.ts';
import { answer, PLAIN } from './answer.ts';
import { FOLLOWER_LIMITS, type FollowerLimiterFactory, type FollowerLimits } from './follower-limit.ts';
import { requestBodyHash } from './freshness.ts';
import { createFrontDoor, Rejection } from './front-door.ts';
import { postHandler, type PostOptions } from './post.ts';
import { readsPlainly } from './read-body.ts';
import type { ReplayGuard } from './replay-guard.ts';

export interface WebhookOptions {
  readonly accounts: AccountLookup;
  readonly agent: Agent;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** How long to wait for an answer before the late plan applies (the platform allows 5 s). */
  readonly budgetMs?: number;
  /** The longest a held request (see `hold_for_retry`) stays open. */
  readonly holdMs?: number;
  /** Sends an answer through the customer-service API; null when the account cannot. */
  readonly customerService: PostOptions['customerService'];
  /** Sees every verified inbound (the embedded simulator follows the 48-hour window from it). */
  readonly onInbound?: PostOptions['onInbound'];
  /** The record of signed requests already taken (src/channels/wechat/replay-guard.ts). */
  readonly replay: ReplayGuard;
  /** A request whose `timestamp` is further than this from `clock` is refused (default 300 s). */
  readonly maxClockSkewSeconds?: number;
  /** The per-follower rate limit (default FOLLOWER_LIMITS: a burst of 10, then one a second; null: off). */
  readonly followerLimits?: FollowerLimits | null;
  /** Makes the limiter (default: in memory, per process; the composition root passes the shared one on PostgreSQL). */
  readonly followerLimiter?: FollowerLimiterFactory | undefined;
}

export interface Webhook {
  /** Registers `GET|POST /wechat{/:account}` on the app. */
  install(app: Express): void;
  /**
   * Takes a delivery in its usual form straight from the server's request listener (see the module's comment)
   * and answers it; false, having done nothing, for any other request: the app's to answer. The caller applies
   * what it applies to every request first (the access log, the body deadline: see `takes`).
   * @example createServer((req, res) => { if (!webhook.serve(req, res)) app(req, res); });
   */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  /** Whether `serve` would take the request (for the caller's access log and body deadline, which come first). */
  takes(req: IncomingMessage): boolean;
  /** Resolves when every late answer handed to the customer-service API has been sent (or failed). */
  settle(): Promise<void>;
}

const PATH = '/wechat{/:account}';
const PREFIX = '/wechat/';

/**
 * The account a `POST /wechat` or `/wechat/<account>` names, for the path exactly in that form: no escapes,
 * no further segment, no trailing slash; null for any other request, which express's route answers as it
 * always has (it decodes escapes and ignores case and a trailing slash).
 */
function deliveryAccount(req: IncomingMessage): string | null {
  if (req.method !== 'POST') return null;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path === '/wechat') return 'default';
  if (path.length <= PREFIX.length || !path.startsWith(PREFIX)) return null;
  const account = path.slice(PREFIX.length);
  return account.includes('/') || account.includes('%') ? null : account;
}

/**
 * @example wechatWebhook({ accounts, agent, metrics, logger, customerService: () => null }).install(app);
 */
export function wechatWebhook(options: WebhookOptions): Webhook {
  const { accounts, agent, metrics, logger, replay, clock = systemClock, budgetMs = 4_500, holdMs = 15_000 } = options;
  const maxSkewSeconds = options.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS;
  const followerLimits = options.followerLimits === undefined ? FOLLOWER_LIMITS : options.followerLimits;
  const door = createFrontDoor({ accounts, replay, metrics, logger, clock, maxSkewSeconds });
  const post = postHandler(
    {
      agent, metrics, logger, clock, budgetMs, holdMs, followerLimits, followerLimiter: options.followerLimiter,
      customerService: options.customerService, onInbound: options.onInbound,
    },
    door,
  );

  /** The URL check when the merchant saves the server address: echoes `echostr` to a signed request. */
  const handshake: RequestHandler = async (req, res) => {
    const request = { account: (req.params as { account?: string }).account ?? 'default', query: req.query };
    try {
      const { account, signed } = door.verify(request);
      const echostr = typeof req.query.echostr === 'string' ? req.query.echostr : '';
      // Recorded too: a captured handshake URL would otherwise sign a POST with any body.
      if (!(await door.admitOnce(account, signed, requestBodyHash({ method: 'GET', encryptType: '', msgSignature: '', body: echostr })))) {
        throw new Rejection('replay');
      }
      answer(res, PLAIN, echostr);
    } catch (err) {
      door.reject(request, res, err);
    }
  };

  const takes = (req: IncomingMessage): boolean => deliveryAccount(req) !== null && readsPlainly(req.headers);

  return {
    install(app) {
      // Straight onto the app, not through a sub-router: that would cost every delivery a second dispatch.
      app.get(PATH, handshake);
      app.post(PATH, ...post.handlers);
      app.use('/wechat', post.onBodyError);
    },
    takes,
    serve(req, res) {
      const account = deliveryAccount(req);
      if (account === null || !readsPlainly(req.headers)) return false;
      const url = req.url!;
      const q = url.indexOf('?');
      void post.serve(req, res, { account, query: q === -1 ? {} : parseQuery(url.slice(q + 1)) });
      return true;
    },
    settle: post.settle,
  };
}
