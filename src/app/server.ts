/**
 * The composition root: configuration in, a running HTTP server out. Every side effect (SQLite, HTTP,
 * timers, the outbound API) is created here and injected into the pure parts.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Agent } from '../agent/agent.ts';
import { createShopAgent } from './shop-agent.ts';
import type { Inbound, Reply } from '../core/messages.ts';
import { isUserMessage } from '../core/messages.ts';
import { encryptModeOf, wechatWebhook } from '../channels/wechat/webhook.ts';
import type { Clock } from '../core/clock.ts';
import { sleep, systemClock } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import { createLogger } from '../core/log.ts';
import { createMetrics, type Metrics } from '../core/metrics.ts';
import { cachedAccountLookup, createAccountStore, DEFAULT_ACCOUNT, type Account } from '../db/accounts.ts';
import { openDb, secretsOf, type Db } from '../db/db.ts';
import { createHandledMessageStore } from '../db/handled-messages.ts';
import { createWebhookRequestStore } from '../db/webhook-requests.ts';
import { createWriteQueue } from '../db/write-queue.ts';
import { createReplayGuard } from '../channels/wechat/replay-guard.ts';
import { FOLLOWER_LIMITS } from '../channels/wechat/follower-limit.ts';
import { pruneProcessLeases } from '../db/liveness.ts';
import { createWriteHealth } from '../db/write-health.ts';
import { claimOutlivedWindow, retryWaitMs } from '../channels/wechat/reply-budget.ts';
import { createWechatClient, type CustomerMessage, type WechatClient } from '../wechat-api/client.ts';
import { WechatTimeoutError } from '../wechat-api/errors.ts';
import { recordCustomerServiceSend } from '../push/ledger.ts';
import { toCustomerMessage } from '../channels/wechat/customer-message.ts';
import { createSimulator } from '../wechat-api/simulator.ts';
import { API_FEATURES, API_HOW, apiAccess } from '../wechat-api/access.ts';
import type { Step } from '../agent/pipeline.ts';
import { seedDemoData } from '../catalogue/demo.ts';
import type { createCatalogueSearch } from '../search/catalogue-search.ts';
import { mobilePages } from '../web/mobile.ts';
import { adminApi } from '../admin/api.ts';
import { finalErrorHandler, notFoundJson } from '../core/http-errors.ts';
import { createBroadcastScheduler } from '../push/scheduler.ts';
import { createBroadcastService } from '../push/service.ts';
import type { MerchantBook } from '../merchant/book.ts';
import { bodyDeadline, createHttpServer, DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from './http-timeouts.ts';

;
/** A rule's further replies go out after the passive one has had time to reach the follower. */
const FOLLOW_UP_DELAY_MS = 300;
/** WeChat stops retrying a delivery after ~15 s; a day of records is ample for any retry and for debugging. */
const HANDLED_RECORD_TTL_MS = 24 * 3600_000;

export interface ServerOptions {
  readonly config: Config;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Listen address (default all interfaces). */
  readonly host?: string;
  readonly skills?: readonly Step[];
  /** Picks the reply of `random` rules (default Math.random; tests inject their own). */
  readonly random?: () => number;
  /** Overrides for tests: the reply budget and how long a held request stays open. */
  readonly budgetMs?: number;
  readonly holdMs?: number;
  /** How long clients may take to send a request (default DEFAULT_HTTP_TIMEOUTS; tests inject small ones). */
  readonly timeouts?: Partial<HttpTimeouts>;
  /** Where uploads are written while they are imported (default the system's temporary directory). */
  readonly uploadDir?: string;
  /** How long after the last failed write /readyz keeps answering 503 (default 10 s). */
  readonly readyWindowMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly db: Db;
  readonly agent: Agent;
  readonly metrics: Metrics;
  readonly search: ReturnType<typeof createCatalogueSearch>;
  readonly simulator: ReturnType<typeof createSimulator> | null;
  /** The merchant's rules, settings and stores as this process sees them. */
  readonly book: MerchantBook;
  /** True when the admin API is served (a usable GUANG_ADMIN_TOKEN). */
  readonly adminApi: boolean;
  /** Stops accepting, finishes in-flight requests and late deliveries, closes the database. */
  close(): Promise<void>;
}

/** The default account as the environment describes it. */
export function accountFromConfig(config: Config): Account {
  return { id: DEFAULT_ACCOUNT, name: 'default', ...config.wechat };
}

/**
 * @example const server = await startServer({ config: loadConfig(process.env) }); … await server.close();
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config, clock = systemClock } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = openDb(config.dbPath, { secretKey: config.secretKey });
  const { source: keySource, keyFile } = secretsOf(db);
  if (keySource === 'generated' || keySource === 'file') {
    logger.warn(
      { keyFile },
      `GUANG_SECRET_KEY is not set: the secrets in the database are encrypted with the key in ${keyFile}${keySource === 'generated' ? ' (just generated)' : ''}; ` +
        'move it to the environment (GUANG_SECRET_KEY=<its content>) and delete the file, so a copy of the data directory does not carry its own key',
    );
  }
  const accounts = createAccountStore(db);
  accounts.save(accountFromConfig(config), clock.now());
  // The environment's account is validated by loadConfig; the others come from the database and are checked here.
  for (const account of accounts.list()) {
    const mode = encryptModeOf(account);
    if (mode !== 'plain' && !(account.aesKey && account.appId)) {
      logger.error({ account: account.id, mode }, `account in ${mode} mode without an EncodingAESKey and AppID: its deliveries will be refused`);
    }
  }
  const metrics = createMetrics();
  const health = createWriteHealth({ clock, logger: logger.child({ component: 'database' }), ...(options.readyWindowMs !== undefined ? { windowMs: options.readyWindowMs } : {}) });

  const simulator = config.embedSimulator
    ? createSimulator({ clock, accountType: config.wechat.accountType, logger: logger.child({ component: 'simulator' }) })
    : null;

  // The server's own loopback address, known once listening (the embedded simulator lives there).
  let selfUrl = '';
  const clients = new Map<string, WechatClient>();
  function clientFor(account: Account): WechatClient | null {
    const access = apiAccess(account, simulator ? `${selfUrl}/sim` : null);
    if (access.kind === 'none') return null;
    const { apiBase, appId, appSecret } = access;
    const key = `${account.id}|${apiBase}|${appId}`;
    let client = clients.get(key);
    if (!client) {
      client = createWechatClient({
        db,
        account: account.id,
        appId,
        appSecret,
        apiBase,
        clock,
        logger: logger.child({ component: 'wechat-api', account: account.id }),
        onError: (api, code) => metrics.apiErrors.inc({ api, code: String(code) }),
      });
      clients.set(key, client);
    }
    return client;
  }

  /**
   * A customer-service answer (a late answer, a rule's further replies): sent, then written to the send ledger,
   * because the platform's 5-per-48-hours quota counts every customer-service message, not only broadcasts.
   * A timed-out send may have arrived, so it is recorded as `unknown` (and counted) too.
   */
  async function sendAnswer(client: WechatClient, inbound: Inbound, message: CustomerMessage, source: 'late_answer' | 'rule_reply') {
    const record = (outcome: 'sent' | 'unknown') =>
      recordCustomerServiceSend(db, { account: inbound.account, user: inbound.user, at: clock.now(), source, outcome });
    try {
      await client.sendCustomerMessage(inbound.user, message);
    } catch (err) {
      if (err instanceof WechatTimeoutError) record('unknown');
      throw err;
    }
    record('sent');
  }

  if (config.demo) {
    const seeded = await seedDemoData(db, DEFAULT_ACCOUNT);
    logger.info({ seeded }, 'demo catalogue');
  }
  // Links point at the public URL, or at this server once its port is known.
  const publicBase = () => config.publicUrl ?? selfUrl.replace('127.0.0.1', 'localhost');
  const accountLookup = cachedAccountLookup(accounts, 1000, () => clock.now());

  // A rule's replies after the first (reply_mode all) go through the customer-service API, when the account
  // may use it; otherwise only the first (passive) reply reaches the follower.
  const followUpsInFlight = new Set<Promise<void>>();
  const followUps = (inbound: Inbound, replies: readonly Reply[]) => {
    const account = accountLookup.get(inbound.account);
    const client = account?.customerService ? clientFor(account) : null;
    if (!client) {
      logger.debug({ account: inbound.account, dropped: replies.length }, 'no customer-service API: only the first reply of the rule was sent');
      return;
    }
    const sending: Promise<void> = (async () => {
      await sleep(FOLLOW_UP_DELAY_MS);
      for (const reply of replies) {
        const message = toCustomerMessage(reply);
        if (message) await sendAnswer(client, inbound, message, 'rule_reply');
      }
    })()
      .catch((err: unknown) => logger.warn({ err, account: inbound.account }, 'could not send the further replies of a rule'))
      .finally(() => followUpsInFlight.delete(sending));
    followUpsInFlight.add(sending);
  };

  // One group-commit queue for the agent's writes and the webhook's replay record: under load they share commits.
  const writes = createWriteQueue(db, health);
  const shop = createShopAgent({
    db,
    clock,
    logger,
    writes,
    publicBase,
    followUps,
    budget: { ms: config.turnBudgetMs },
    ...(options.random ? { random: options.random } : {}),
    ...(options.skills ? { skills: options.skills } : {}),
    health,
    // Retries wait, and orphaned claims are closed, on WeChat's delivery schedule.
    dedup: { schedule: { waitMs: retryWaitMs, outlived: claimOutlivedWindow } },
  });
  const { agent, search, sessions, book } = shop;

  const webhook = wechatWebhook({
    accounts: accountLookup,
    agent,
    metrics,
    logger: logger.child({ component: 'webhook' }),
    clock,
    maxClockSkewSeconds: config.maxClockSkewSeconds,
    followerLimits: config.followerLimit ? { ...FOLLOWER_LIMITS, ...config.followerLimit } : null,
    replay: createReplayGuard({
      store: createWebhookRequestStore(db),
      writes,
      clock,
      maxSkewSeconds: config.maxClockSkewSeconds,
      onPruneError: (err) => logger.error({ err }, 'could not prune the webhook replay record'),
    }),
    ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}),
    ...(options.holdMs !== undefined ? { holdMs: options.holdMs } : {}),
    customerService: (account) => {
      if (!account.customerService) return null;
      const client = clientFor(account);
      if (!client) return null;
      return async (inbound: Inbound, reply: Reply) => {
        const message = toCustomerMessage(reply);
        if (message) await sendAnswer(client, inbound, message, 'late_answer');
      };
    },
    onInbound: (account, inbound) => {
      // The embedded simulator follows what followers actually did, so its 48-hour window is real.
      if (!simulator || account.apiBase) return;
      const kind = isUserMessage(inbound) ? 'message' : SIMULATOR_KINDS[inbound.kind];
      if (kind) simulator.recordInteraction(inbound.user, kind, clock.now());
    },
  });

  const app = express();
  app.disable('x-powered-by');
  // Who may name the client in X-Forwarded-For: the admin API's rate limit and lock-out are keyed by the result.
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false); // nothing here is cached by ETag; WeChat never sends If-None-Match
  const timeouts: HttpTimeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.timeouts };
  // Before everything: a body still trickling in after requestMs is cut (uploads get the server's longer limit).
  let uploadPaths: ReadonlySet<string> = new Set();
  app.use(bodyDeadline(timeouts.requestMs, (req) => req.method === 'POST' && uploadPaths.has(req.path ?? '')));
  webhook.install(app); // first: it carries nearly all the traffic (and sets nosniff on its own answers)
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff'); // no browser may read an answer as another type than declared
    next();
  });
  app.get('/healthz', (_req, res) => {
    try {
      db.prepare('SELECT 1').get();
      res.json({ status: 'ok' });
    } catch (err) {
      logger.error({ err }, 'health check: database does not answer');
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  // Readiness, unlike liveness above: can this process take messages without losing them? Not while database
  // writes fail (a full disk, a read-only file): a write probe (this process's liveness lease) and any
  // storage failure within the last few seconds answer 503, so a load balancer can route around it.
  app.get('/readyz', (_req, res) => {
    try {
      agent.probe();
    } catch (err) {
      if (!health.failed(err)) logger.error({ err }, 'readiness probe failed');
      res.status(503).json({ status: 'database not writable', lastFailure: new Date(health.lastFailure() ?? clock.now()).toISOString() });
      return;
    }
    if (!health.ready()) {
      res.status(503).json({ status: 'database writes failing', lastFailure: new Date(health.lastFailure()!).toISOString() });
      return;
    }
    res.json({ status: 'ready' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  // Broadcasts: a service shared by the API and the scheduler; the CLI uses the same one (src/push/service.ts).
  const pushClient = (id: string) => {
    const account = accountLookup.get(id);
    return account ? clientFor(account) : null;
  };
  const broadcasts = createBroadcastService({ db, clock, accountType: config.wechat.accountType, client: pushClient, logger: logger.child({ component: 'push' }) });
  const scheduler = createBroadcastScheduler({ service: broadcasts, client: pushClient, accountType: config.wechat.accountType, clock, logger: logger.child({ component: 'scheduler' }) });
  const api = adminApi({
    db,
    clock,
    logger: logger.child({ component: 'admin-api' }),
    accounts: accountLookup,
    qrClient: (id) => {
      const account = accountLookup.get(id);
      return account ? clientFor(account) : null;
    },
    token: config.adminToken,
    demo: config.demo,
    baseUrl: publicBase,
    rate: config.adminRate,
    onChange: () => book.refresh(),
    broadcasts: { service: broadcasts, kick: () => void scheduler.tick() },
    ...(options.uploadDir ? { uploadDir: options.uploadDir } : {}),
  });
  uploadPaths = new Set(api.uploadPaths.map((p) => `/api${p}`));
  app.use('/api', api.router);
  if (api.enabled) logger.info('admin API at /api (Authorization: Bearer GUANG_ADMIN_TOKEN; document at /api/openapi.json)');
  else logger.warn('admin API off: GUANG_ADMIN_TOKEN is not set (at least 16 characters); /api answers 503');
  app.use(mobilePages({ search, baseUrl: publicBase, clock }));
  // Only when asked for (demo mode or GUANG_SIMULATOR=on): its control routes (/sim/deliveries, /sim/errors)
  // have no authentication and list every outbound message with openids.
  if (simulator) app.use('/sim', simulator.router); // it parses its own JSON, answering 47001 like the platform
  const access = apiAccess(config.wechat, simulator ? '/sim' : null);
  if (access.kind === 'none') logger.warn({ missing: access.missing }, `WeChat API off (${access.missing} not set): ${API_FEATURES} are off; to turn them on, ${API_HOW}`);
  else if (config.simulatorRequested && !simulator) logger.warn('GUANG_SIMULATOR=on ignored: a real WeChat API is configured (WECHAT_APPSECRET or WECHAT_API_BASE), so /sim is not mounted');
  // Last: whatever no router answered, and any error that escaped one, as JSON without a stack trace —
  // express's own pages print the stack (with source paths) unless NODE_ENV is 'production'.
  app.use(notFoundJson);
  app.use(finalErrorHandler(logger));

  const handled = createHandledMessageStore(db);
  const prune = () => {
    const removed = handled.prune(clock.now() - HANDLED_RECORD_TTL_MS);
    const expired = sessions.prune(clock.now());
    const leases = pruneProcessLeases(db, clock.now());
    if (removed + expired + leases > 0) logger.debug({ removed, expired, leases }, 'pruned handled-message records, sessions and process leases');
  };
  prune();
  const pruneTimer = setInterval(prune, 3600_000).unref();
  // Claims left pending by a process that died with no retry coming are closed (and logged) once no delivery
  // can come; a read of the few pending rows (a partial index), so cheap enough to run every few seconds.
  const sweep = () => {
    try {
      agent.sweep();
    } catch (err) {
      if (!health.failed(err)) logger.error({ err }, 'sweeping orphaned claims failed');
    }
  };
  const sweepTimer = setInterval(sweep, 5_000).unref();

  const server: Server = await new Promise((resolve, reject) => {
    const s = createHttpServer(app, timeouts);
    s.once('error', reject).listen(config.port, options.host ?? '0.0.0.0', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  selfUrl = `http://127.0.0.1:${port}`;
  scheduler.start(); // after listen: sends may go to the embedded simulator on this server

  let closing: Promise<void> | null = null;
  return {
    url: selfUrl,
    port,
    db,
    agent,
    metrics,
    search,
    simulator,
    book,
    adminApi: api.enabled,
    close() {
      closing ??= (async () => {
        clearInterval(pruneTimer);
        clearInterval(sweepTimer);
        await scheduler.stop();
        // Answers still being worked on and late customer-service deliveries go out first: the embedded
        // simulator they may go to lives on this very server. Then this process gives up its liveness lease
        // (in shop.stop), with nothing of it pending.
        await agent.drain();
        shop.stop();
        await webhook.settle();
        await Promise.all(followUpsInFlight);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await stopped;
        db.close();
        logger.info('stopped');
        logger.flush?.();
      })();
      return closing;
    },
  };
}

const SIMULATOR_KINDS: Partial<Record<Inbound['kind'], 'follow' | 'click' | 'scan'>> = {
  follow: 'follow',
  menu_click: 'click',
  scan: 'scan',
};
