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
 * - Template messages: only with a template added (`addTemplate`, 40037), to a known follower (43004), with the
 *   template's fields (47003), within `templateQuotaPerDay` (45009); shown cut to 20 characters (./template.ts).
 * - Custom menu (./menu.ts): `menu/create` checks the menu with the platform's limits and codes (40016 button
 *   count, 40017 type, 40018 name, 40019 key, 40023 sub-buttons, 40027 URL, 40054/40055 URL domain…) and holds
 *   it; `menu/get` answers it (46003 when there is none); `menu/delete` clears it. `GET /menu` reads it.
 * - Web authorisation (./oauth.ts): `GET /connect/oauth2/authorize` redirects back with a code for the
 *   follower (`openid` in the URL, or the one set by `POST /oauth/user`); `GET /sns/oauth2/access_token`
 *   exchanges it once, within 5 minutes (40029 invalid code, 40163 code used).
 *
 * The rules live by API area: ./tokens.ts, ./customer-service.ts, ./mass.ts, ./qr.ts, over the state in
 * ./state.ts; ./http.ts routes and answers, ./controls.ts holds the test controls.
 *
 * Test controls (relative to where the router is mounted, e.g. `/sim`): `POST /interactions`, `POST /tags`,
 * `GET|POST /templates`, `POST /followers`, `GET /menu`, `POST /errors` (forced errcodes, one per API call, in order; -599…-500 answer that HTTP status instead),
 * `POST /timeouts` (the next N API calls are processed, then answered only after `ms`, like a response lost
 * in transit), `GET|DELETE /deliveries`, `GET /stats`, `POST /reset`. Forced errors and timeouts apply to
 * the message and QR endpoints, not to the token endpoints. These routes have no authentication: mount the
 * simulator only where the real API is not configured.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import { systemClock, type Clock } from '../../core/clock.ts';
import type { AccountType } from '../../core/config.ts';
import { silentLogger, type Logger } from '../../core/log.ts';
import type { Menu } from '../menu.ts';
import { injectErrors, injectTimeouts, mountControls } from './controls.ts';
import { recordInteraction } from './customer-service.ts';
import { addTemplate } from './template.ts';
import { malformedJson, mountApi, serveApi } from './http.ts';
import { createState, follower, resetState, type Delivery, type InteractionKind, type SimConfig } from './state.ts';

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
  /** Template messages a day before 45009 (default 100,000, the platform's default quota). */
  readonly templateQuotaPerDay?: number;
  readonly logger?: Logger;
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
  /** Who the browser is at the authorize endpoint when its URL names no openid (null: the page asks). */
  setOauthUser(openid: string | null): void;
  /** Puts a known follower under a tag, for `sendall` by tag. */
  tagFollower(openid: string, tagId: number): void;
  /** A follower the simulator knows without an interaction (template messages reach followers only). */
  addFollower(openid: string): void;
  /** The account gets a template (模板ID and its field keys; none: any keys). Kept across a reset. */
  addTemplate(templateId: string, fields?: readonly string[]): void;
  deliveries(): Delivery[];
  clearDeliveries(): void;
  /** The custom menu the account holds (null: none). */
  menu(): Menu | null;
  /** The next API calls answer these errcodes, one each, in order. */
  injectErrors(codes: readonly number[]): void;
  /** The next `count` API calls are processed, then answered after `ms` (default 30 s) or never if the caller gave up. */
  injectTimeouts(count: number, ms?: number): void;
  stats(): SimulatorStats;
  /** Forgets everything but the templates: tokens, followers, quotas, deliveries, injected faults, stats. */
  reset(): void;
  /**
   * The fast path for a plain node:http server: answers a POST to an API endpoint under `prefix` (e.g.
   * `/sim/cgi-bin/message/custom/send`) without express, with the same rules and answers; returns false for
   * any other request (hand it to the app that mounts `router`).
   */
  serveApi(req: IncomingMessage, res: ServerResponse, prefix: string): boolean;
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
  const logger = options.logger ?? silentLogger;
  const config: SimConfig = {
    clock: options.clock ?? systemClock,
    logger,
    debug: logger.isLevelEnabled('debug'),
    accountType: options.accountType,
    credentials: options.credentials,
    ttlMs: (options.tokenTtlSeconds ?? 7200) * 1000,
    ratePerMinute: options.rateLimitPerMinute ?? 60,
    stableTokenEnabled: options.stableToken ?? true,
    templateQuotaPerDay: options.templateQuotaPerDay ?? 100_000,
  };
  const s = createState(config);

  const router = express.Router();
  // Parses bodies when the host app has not (it skips bodies already parsed); any content type is JSON here.
  router.use(express.json({ type: () => true, limit: '2mb' }));
  mountApi(router, s);
  mountControls(router, s);
  router.use(malformedJson);

  return {
    router,
    recordInteraction: (openid, kind, at) => recordInteraction(s, openid, kind, at),
    setOauthUser(openid) {
      s.oauthUser = openid;
    },
    tagFollower(openid, tagId) {
      follower(s, openid).tags.add(tagId);
    },
    addFollower(openid) {
      follower(s, openid);
    },
    addTemplate: (templateId, fields) => addTemplate(s, templateId, fields),
    deliveries: () => [...s.delivered],
    clearDeliveries() {
      s.delivered = [];
    },
    menu: () => s.menu,
    injectErrors: (codes) => injectErrors(s, codes),
    injectTimeouts: (count, ms) => injectTimeouts(s, count, ms),
    stats: () => ({ requests: { ...s.requests } }),
    reset: () => resetState(s),
    serveApi: (req, res, prefix) => serveApi(s, req, res, prefix),
  };
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
