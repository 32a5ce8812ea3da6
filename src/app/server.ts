/**
 * The composition root: configuration in, a running HTTP server out. Every side effect (SQLite, HTTP,
 * timers, the outbound API) is created here and injected into the pure parts.
 */
import type { Server } from 'node:http';
import express from 'express';
import type { Agent } from '../agent/agent.ts';
import { createShopAgent } from './shop-agent.ts';
import { wechatWebhook } from '../channels/wechat/webhook.ts';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import { createLogger } from '../core/log.ts';
import { createMetrics, type Metrics } from '../core/metrics.ts';
import { createAccountStore, DEFAULT_ACCOUNT, type Account } from '../db/accounts.ts';
import { createAccountDirectory, type AccountDirectory } from '../db/account-directory.ts';
import type { Db } from '../db/db.ts';
import { openDatabase } from '../db/open.ts';
import { listenForChanges } from '../db/postgres/listen.ts';
import type { Sql } from '../db/sql/sql.ts';
import { createWebhookRequestStore } from '../db/webhook-requests.ts';
import { sqliteSql } from '../db/sql/sqlite.ts';
import { createReplayGuard } from '../channels/wechat/replay-guard.ts';
import { FOLLOWER_LIMITS } from '../channels/wechat/follower-limit.ts';
import { createSharedFollowerLimiter } from '../channels/wechat/shared-follower-limit.ts';
import { createWriteHealth } from '../db/write-health.ts';
import { claimOutlivedWindow, retryWaitMs } from '../channels/wechat/reply-budget.ts';
import type { Simulator } from '../wechat-api/simulator/simulator.ts';
import type { Step } from '../agent/pipeline.ts';
import { seedDemoData } from '../catalogue/demo.ts';
import type { createCatalogueSearch } from '../search/catalogue-search.ts';
import { createOffers } from '../search/offer.ts';
import { accountId, userId } from '../core/messages.ts';
import { createLinks } from '../core/page-links.ts';
import { mobilePages } from '../web/mobile.ts';
import { consolePages } from '../web/console.ts';
import { adminApi } from '../admin/api.ts';
import { randomPassword } from '../db/passwords.ts';
import { createStaffSessions } from '../db/staff-sessions.ts';
import { createStaffUsers, ensureDemoOwner } from '../db/staff-users.ts';
import { finalErrorHandler, notFoundJson } from '../core/http-errors.ts';
import { createBroadcastScheduler } from '../push/scheduler.ts';
import { createBroadcastService } from '../push/service.ts';
import type { MerchantBook } from '../merchant/book.ts';
import { bodyDeadline, createHttpServer, DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from './http-timeouts.ts';
import { createCustomerService } from './customer-service.ts';
import { installProbes, type ProbeOptions } from './probes.ts';
import { accessLog } from './access-log.ts';
import { listen } from './listen.ts';
import { startMetricsListener, type MetricsListener } from './metrics-listener.ts';
import { checkAccounts, warnAboutKeyFile } from './startup-checks.ts';
import { startMaintenance } from './maintenance.ts';
import { embeddedSimulator, followInteractions, mountSimulator } from './simulator-mount.ts';
import { createWechatClients } from './wechat-clients.ts';
import { createConsoleChat } from './console-chat.ts';
import { serverDryRun } from './dry-run.ts';
import { seedNoticeDemo } from '../orders/notices/demo.ts';
import { createServerNoticeWorker } from '../orders/notices/server-worker.ts';
import type { NoticeWorker } from '../orders/notices/worker.ts';
import { createMobileCheckout, followerTokensOf } from './mobile-checkout.ts';
import { databaseFacts, schemaVersionOf } from './database-facts.ts';
import { dutiesOf, schedulerBeat, type ServeRole } from './roles.ts';

export interface ServerOptions {
  readonly config: Config;
  /** What this process does (src/app/roles.ts); default `all`. */
  readonly role?: ServeRole;
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
  readonly role: ServeRole;
  /** Where /metrics is served (http://host:port, GUANG_METRICS_PORT); null: not served. */
  readonly metricsUrl: string | null;
  /** SQLite's connection (throws on PostgreSQL: use `sql`). */
  readonly db: Db;
  /** The database, either kind. */
  readonly sql: Sql;
  readonly agent: Agent;
  readonly metrics: Metrics;
  readonly search: ReturnType<typeof createCatalogueSearch>;
  readonly simulator: Simulator | null;
  /** The merchant's rules, settings and stores as this process sees them. */
  readonly book: MerchantBook;
  /** The accounts as this process sees them (current within half a second). */
  readonly accounts: AccountDirectory;
  /** True when the admin API is served (a usable GUANG_ADMIN_TOKEN, or a staff user). */
  readonly adminApi: boolean;
  /** Demo mode: the console's demo owner and its password (current: false once it has been changed); else null. */
  readonly demoOwner: { readonly username: string; readonly password: string; readonly current: boolean } | null;
  /** Order notices: the account's messages and the webhook (src/orders/notices). */
  readonly notices: NoticeWorker;
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
  const { config, clock = systemClock, role = 'all' } = options;
  const duties = dutiesOf(role);
  const logger = options.logger ?? createLogger(config.logLevel);
  // GUANG_DB: a SQLite file (the default) or a PostgreSQL URL (several instances on one database).
  const database = await openDatabase(config.dbPath, { secretKey: config.secretKey });
  const health = createWriteHealth({ clock, logger: logger.child({ component: 'database' }), ...(options.readyWindowMs !== undefined ? { windowMs: options.readyWindowMs } : {}) });
  // Every store takes this adapter. On SQLite it is the connection's one adapter: the agent's writes, the webhook's
  // replay record and the rest share its group commits, and a failing disk shows in /readyz.
  const sql: Sql = database.kind === 'sqlite' ? sqliteSql(database.db, health) : database.sql;
  /** SQLite's connection, for what only a file has (background checkpoints); null on PostgreSQL. */
  const db = database.db;
  warnAboutKeyFile(sql, logger);
  const accounts = createAccountStore(sql);
  await accounts.save(accountFromConfig(config), clock.now());
  checkAccounts(await accounts.list(), logger);
  const metrics = createMetrics();

  const simulator = embeddedSimulator(config, clock, logger);
  // The server's own loopback address, known once listening (the embedded simulator lives there).
  let selfUrl = '';
  let demoOwner: RunningServer['demoOwner'] = null;
  if (config.demo) {
    const seeded = await seedDemoData(sql, DEFAULT_ACCOUNT);
    logger.info({ seeded }, 'demo catalogue');
    demoOwner = await ensureDemoOwner(sql, createStaffUsers(sql), clock.now(), randomPassword);
    await seedNoticeDemo(sql, DEFAULT_ACCOUNT, simulator);
  }
  // Links point at the public URL, or at this server once its port is known.
  const publicBase = () => config.publicUrl ?? selfUrl.replace('127.0.0.1', 'localhost');
  // PostgreSQL: one connection of this instance's listens for every instance's changes (src/db/postgres/listen.ts).
  const changes = database.kind === 'postgres' ? listenForChanges(database.sql.pool, { logger: logger.child({ component: 'changes' }) }) : undefined;
  const accountLookup = createAccountDirectory({ sql, store: accounts, changes, logger: logger.child({ component: 'accounts' }) });
  await accountLookup.ready;
  const clients = createWechatClients({ db: sql, clock, logger, metrics, accounts: accountLookup, simulatorBase: () => (simulator ? `${selfUrl}/sim` : null) });
  // Late answers and a rule's further replies, when the account may send customer-service messages.
  const customerService = createCustomerService({ sql, clock, logger, accounts: accountLookup, clients });

  // The console's 对话 screen talks to this very agent as a test follower (its further replies come back to it).
  const consoleChat = createConsoleChat(clock);
  // Links sent to one follower carry their signed token (the mobile checkout knows who buys).
  const followerTokens = followerTokensOf(sql, clock);
  // Order notices from the outbox: template / customer-service messages and the merchant's webhook. Tapping a
  // template message opens the follower's order page (signed for them), or the order in the console for staff
  // (a referrer has neither: no link).
  const notices = createServerNoticeWorker({
    sql, clock, logger, client: clients.forId,
    linkOf: (n) =>
      n.audience === 'follower'
        ? createLinks(publicBase(), accountId(n.account), followerTokens.sign).order(n.orderId, userId(n.target))
        : n.audience === 'staff' || n.audience === 'store' ? `${publicBase().replace(/\/$/, '')}/admin/orders/${n.orderId}` : null,
  });
  const shop = createShopAgent({
    signer: followerTokens.sign,
    db: sql,
    clock,
    logger,
    changes,
    publicBase,
    followUps: consoleChat.takeFollowUps(customerService.followUps),
    onHandled: consoleChat.onHandled,
    budget: { ms: config.turnBudgetMs },
    ...(options.random ? { random: options.random } : {}),
    ...(options.skills ? { skills: options.skills } : {}),
    health,
    // Retries wait, and orphaned claims are closed, on WeChat's delivery schedule.
    dedup: { schedule: { waitMs: retryWaitMs, outlived: claimOutlivedWindow } },
  });
  const { agent, search, sessions, book } = shop;
  await shop.ready;
  consoleChat.bind(agent, sessions);

  const webhook = wechatWebhook({
    accounts: accountLookup,
    agent,
    metrics,
    logger: logger.child({ component: 'webhook' }),
    clock,
    maxClockSkewSeconds: config.maxClockSkewSeconds,
    followerLimits: config.followerLimit ? { ...FOLLOWER_LIMITS, ...config.followerLimit } : null,
    // On PostgreSQL the instances draw from the same buckets: the burst is the fleet's, not each instance's.
    followerLimiter: sql.dialect === 'postgres' ? (limits, c, log) => createSharedFollowerLimiter(sql, limits, c, log) : undefined,
    replay: createReplayGuard({
      store: createWebhookRequestStore(sql),
      clock,
      maxSkewSeconds: config.maxClockSkewSeconds,
      onPruneError: (err) => logger.error({ err }, 'could not prune the webhook replay record'),
    }),
    ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}),
    ...(options.holdMs !== undefined ? { holdMs: options.holdMs } : {}),
    customerService: customerService.lateAnswers,
    // The embedded simulator follows what followers actually did, so its 48-hour window is real.
    onInbound: followInteractions(simulator, clock),
  });

  const app = express();
  // First, so its time covers every handler; installed only at debug level (see access-log.ts).
  const requests = accessLog(logger);
  if (requests) app.use(requests);
  app.disable('x-powered-by');
  // Who may name the client in X-Forwarded-For: the admin API's rate limit and lock-out are keyed by the result.
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false); // nothing here is cached by ETag; WeChat never sends If-None-Match
  const timeouts: HttpTimeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.timeouts };
  // Before everything: a body still trickling in after requestMs is cut (uploads get the server's longer limit).
  let uploadPaths: ReadonlySet<string> = new Set();
  const deadline = bodyDeadline(timeouts.requestMs, (req) => req.method === 'POST' && uploadPaths.has(req.path ?? ''));
  app.use(deadline);
  // A worker's port answers the probes only (below): no webhook, API, console or pages on it.
  // First: it carries nearly all the traffic (and sets nosniff on its own answers). Deliveries in the usual form
  // do not even come here: the request listener below hands them to the webhook before express.
  if (duties.answers) webhook.install(app);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff'); // no browser may read an answer as another type than declared
    next();
  });
  let closing: Promise<void> | null = null;
  const facts = { ...databaseFacts(config.dbPath), schemaVersion: () => schemaVersionOf(sql) };
  const probes: ProbeOptions = { sql, agent, health, clock, logger, draining: () => closing !== null, role, database: facts };
  installProbes(app, probes, 'public');
  // Broadcasts: a service shared by the API and the scheduler; the CLI uses the same one (src/push/service.ts).
  const pushClient = clients.forId;
  const sender = { leaseMs: config.pushLeaseMs };
  const broadcasts = createBroadcastService({ sql, clock, accountType: config.wechat.accountType, client: pushClient, logger: logger.child({ component: 'push' }), sender });
  const scheduler = createBroadcastScheduler({
    service: broadcasts, client: pushClient, accountType: config.wechat.accountType, clock, logger: logger.child({ component: 'scheduler' }), every: schedulerBeat(role), sender,
  });
  const offers = createOffers(search);
  const api = adminApi({
    sql,
    clock,
    logger: logger.child({ component: 'admin-api' }),
    accounts: accountLookup,
    qrClient: clients.forId,
    menuClient: clients.forId,
    token: config.adminToken,
    demo: config.demo,
    baseUrl: publicBase,
    rate: config.adminRate,
    onChange: () => Promise.all([search.reloadSynonyms(), book.refresh(), accountLookup.refresh()]),
    // A web instance plans the run and leaves the sending to the worker (whose scheduler finds it within seconds).
    broadcasts: duties.sends ? { service: broadcasts, kick: () => void scheduler.tick() } : { service: broadcasts },
    offers: (account) => offers.of(accountId(account), clock.now()),
    ...(options.uploadDir ? { uploadDir: options.uploadDir } : {}),
    // The dry run: on an in-memory copy of a SQLite file, on a rolled-back connection of its own on PostgreSQL.
    dryRun: serverDryRun({ sql, clock, publicBase, search, ...(options.random ? { random: options.random } : {}) }),
    chat: consoleChat.chat,
  });
  uploadPaths = new Set(api.uploadPaths.map((p) => `/api${p}`));
  const apiEnabled = await api.enabled;
  if (duties.answers) app.use('/api', api.router);
  if (!duties.answers) logger.info('worker: this port answers /healthz and /readyz only; the webhook, /api, the console and the pages are the web instances\'');
  else if (apiEnabled) logger.info('admin API at /api (Authorization: Bearer GUANG_ADMIN_TOKEN, or a staff sign-in; document at /api/openapi.json, reference at /api/docs)');
  else logger.warn('admin API off: GUANG_ADMIN_TOKEN is not set (at least 16 characters) and there is no staff user (guang users add); /api answers 503');
  const shopName = (account: string) => book.view(accountId(account)).settings.accountName;
  const checkout = createMobileCheckout({
    sql, clock, logger, search, tokens: followerTokens, accounts: accountLookup, clients, publicBase, shopName,
    simulatorBase: () => (simulator ? `${selfUrl}/sim` : null),
  });
  if (duties.answers) {
    app.use(checkout.router); // first: a link's follower token becomes a cookie before any page reads it
    app.use(mobilePages({ search, baseUrl: publicBase, shopName, clock, ordering: checkout.ordering }));
    app.use('/admin', consolePages()); // the merchant console (web/console), talking to /api
    mountSimulator(app, simulator, config, logger);
  }
  // Last: whatever no router answered, and any error that escaped one, as JSON without a stack trace —
  // express's own pages print the stack (with source paths) unless NODE_ENV is 'production'.
  app.use(notFoundJson);
  app.use(finalErrorHandler(logger));

  // Staff sessions are pruned with the followers' conversation sessions (an abandoned one is never found again).
  const staffSessions = createStaffSessions(sql);
  const allSessions = { prune: async (now: number) => (await sessions.prune(now)) + (await staffSessions.prune(now)) };
  // The housekeeping of what answering writes: a web instance's (a worker answers nothing, so leaves nothing).
  const maintenance = duties.answers ? await startMaintenance({ sql, db, clock, logger, health, sessions: allSessions, sweep: agent.sweep }) : null;

  // Deliveries (nearly all the traffic) skip express's router and body parser: see webhook.ts. They get what
  // every request gets from the app's first middleware, in the same order.
  const noop = () => {};
  const server: Server = createHttpServer((req, res) => {
    if (!duties.answers || !webhook.takes(req)) return void app(req, res);
    requests?.(req, res, noop);
    deadline(req, res, noop);
    webhook.serve(req, res);
  }, timeouts);
  let metricsListener: MetricsListener | null = null;
  const close = () => {
    // From here /readyz answers 503 (on both listeners), while what is under way finishes.
    closing ??= (async () => {
      maintenance?.stop();
      accountLookup.stop();
      await scheduler.stop();
      await notices.stop();
      // Answers still being worked on and late customer-service deliveries go out first: the embedded
      // simulator they may go to lives on this very server. Then this process gives up its liveness lease
      // (in shop.stop), with nothing of it pending.
      await agent.drain();
      await shop.stop();
      await webhook.settle();
      await customerService.settle();
      const stopped = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
      server.closeIdleConnections();
      await stopped;
      // Last: a scrape during the drain still sees it.
      await metricsListener?.close();
      await changes?.close();
      await sql.close();
      logger.info('stopped');
      logger.flush?.();
    })();
    return closing;
  };

  let port: number;
  try {
    port = await listen(server, config.port, options.host ?? '0.0.0.0', 'PORT');
    selfUrl = `http://127.0.0.1:${port}`;
    if (duties.sends) {
      scheduler.start(); // after listen: sends may go to the embedded simulator on this server
      notices.start(); // likewise
    }
    if (config.metrics) metricsListener = await startMetricsListener({ ...config.metrics, metrics, probes, logger });
  } catch (err) {
    // Nothing of this server may outlive a failed start: the database, the timers, a port already listened on.
    await close();
    throw err;
  }

  return {
    url: selfUrl,
    port,
    role,
    metricsUrl: metricsListener?.url ?? null,
    get db(): Db {
      if (!db) throw new Error('server.db: this server runs on PostgreSQL; use server.sql');
      return db;
    },
    sql,
    agent,
    metrics,
    search,
    simulator,
    book,
    accounts: accountLookup,
    adminApi: apiEnabled,
    demoOwner,
    notices,
    close,
  };
}
