/**
 * The composition root of the Wechaty bot: a database (SQLite or PostgreSQL), the shop agent and a Wechaty bot with the named
 * puppet, wired through the channel. This is the only module that loads the 'wechaty' package (a dynamic
 * import: ~160 MB with gRPC and LevelDB), so the webhook server never pays for it.
 */
import path from 'node:path';
import type { Wechaty, WechatyOptions } from 'wechaty';
import { createShopAgent, type ShopAgent } from './shop-agent.ts';
import type { AccountId } from '../core/messages.ts';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import { silentLogger } from '../core/log.ts';
import { DEFAULT_ACCOUNT } from '../db/accounts.ts';
import type { Db } from '../db/db.ts';
import { openDatabase } from '../db/open.ts';
import type { Sql } from '../db/sql/sql.ts';
import { createHandledMessageStore } from '../db/handled-messages.ts';
import { wechatyChannel, type WechatyChannel, type WechatyChannelOptions } from '../channels/wechaty/adapter.ts';
import { createNoticeWorker, type NoticeWorker } from '../orders/notices/worker.ts';
import { wechatyDeliverer } from '../orders/notices/deliver-wechaty.ts';

/** As in the server: a day of handled-message records is ample for any re-delivery. */
const HANDLED_RECORD_TTL_MS = 24 * 3600_000;

/** A puppet instance, as Wechaty takes it. */
type PuppetInstance = Exclude<NonNullable<WechatyOptions['puppet']>, string>;
/** Wechaty types the name as one of the puppets it knows; any installed puppet package works at run time. */
type PuppetName = Extract<NonNullable<WechatyOptions['puppet']>, string>;

export interface WechatyBotOptions {
  /** The puppet's npm name (e.g. 'wechaty-puppet-padlocal'), or an instance (tests pass a mock). Required: there is no default. */
  readonly puppet: string | PuppetInstance;
  /** Passed to the puppet's constructor when `puppet` is a name, e.g. `{ token }`. */
  readonly puppetOptions?: Record<string, unknown>;
  /** GUANG_DB: a SQLite file, or a PostgreSQL URL (with GUANG_SECRET_KEY set, as for guang serve). */
  readonly dbPath: string;
  /** The public base URL for links in replies (the mobile pages of `guang serve`). */
  readonly publicBase: () => string;
  readonly account?: AccountId;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /**
   * Where the puppet keeps its login session (a MemoryCard file, `NAME.memory-card.json`), so a restart
   * needs no new scan. Unset: kept in memory only.
   */
  readonly sessionFile?: string;
  /** Wechaty's own log level (brolog: silent, error, warn, info, verbose, silly); default: WECHATY_LOG or warn. */
  readonly wechatyLogLevel?: string;
  /** Rate limits, cards and pacing (see adapter.ts); the defaults suit a real account. */
  readonly channel?: Pick<WechatyChannelOptions, 'limits' | 'maxCards' | 'sendGapMs' | 'maxAgeMs'>;
  /** Called on each bot event worth telling a person about (scan a QR code, logged in, logged out). */
  readonly onStatus?: (status: BotStatus) => void;
  /** How often the bot looks for order notices to say (default 1 s). */
  readonly noticePollMs?: number;
}

type BotStatus =
  | { readonly event: 'scan'; readonly qrcode: string; readonly qrcodeImageUrl: string; readonly status: string }
  | { readonly event: 'login'; readonly name: string }
  | { readonly event: 'logout'; readonly name: string };

export interface RunningBot {
  readonly bot: Wechaty;
  /** SQLite's connection (throws on PostgreSQL: use `sql`). */
  readonly db: Db;
  /** The database, either kind. */
  readonly sql: Sql;
  readonly shop: ShopAgent;
  readonly channel: WechatyChannel;
  /** Order notices for Wechaty contacts (a 团长's new orders, a Wechaty buyer's status changes), said by this bot. */
  readonly notices: NoticeWorker;
  /** Stops listening, finishes the answers under way, stops the bot and the puppet, closes the database. */
  stop(): Promise<void>;
}

/**
 * @example
 * const running = await startWechatyBot({ puppet: 'wechaty-puppet-padlocal', puppetOptions: { token },
 *   dbPath: 'data/guang.db', publicBase: () => 'https://shop.example.com' });
 * … await running.stop();
 */
export async function startWechatyBot(options: WechatyBotOptions): Promise<RunningBot> {
  const { clock = systemClock, logger = silentLogger } = options;
  if (typeof options.puppet === 'string' && options.puppet.trim() === '') {
    // Wechaty would fall back to its default puppet (a web-protocol login); never do that silently.
    throw new Error('Name the Wechaty puppet to use (WECHATY_PUPPET); there is no default puppet.');
  }
  const { WechatyBuilder, log: wechatyLog, qrcodeValueToImageUrl, types } = await import('wechaty');
  wechatyLog.level((options.wechatyLogLevel ?? process.env.WECHATY_LOG ?? 'warn') as Parameters<typeof wechatyLog.level>[0]);

  const database = await openDatabase(options.dbPath);
  const { sql } = database;
  const shop = createShopAgent({ db: sql, clock, logger, publicBase: options.publicBase });
  await shop.ready;
  const handled = createHandledMessageStore(sql);
  const prune = () =>
    void Promise.all([handled.prune(clock.now() - HANDLED_RECORD_TTL_MS), shop.sessions.prune(clock.now())]).then(
      ([removed, expired]) => {
        if (removed + expired > 0) logger.debug({ removed, expired }, 'pruned handled-message records and sessions');
      },
      (err: unknown) => logger.error({ err }, 'pruning handled-message records and sessions failed'),
    );
  prune();
  const pruneTimer = setInterval(prune, 3600_000).unref();

  const name = options.sessionFile ? { name: path.resolve(options.sessionFile) } : {};
  const bot: Wechaty =
    typeof options.puppet === 'string'
      ? WechatyBuilder.build({
          ...name,
          // Always named: Wechaty's own fallback (WECHATY_PUPPET or its default) is never consulted.
          puppet: options.puppet as PuppetName,
          ...(options.puppetOptions ? { puppetOptions: options.puppetOptions } : {}),
        })
      : WechatyBuilder.build({ ...name, puppet: options.puppet });

  const log = logger.child({ component: 'wechaty' });
  bot.on('scan', (qrcode, status) => {
    const s = { event: 'scan' as const, qrcode, qrcodeImageUrl: qrcodeValueToImageUrl(qrcode), status: types.ScanStatus[status] ?? String(status) };
    log.info({ status: s.status }, 'waiting for a QR code scan');
    options.onStatus?.(s);
  });
  bot.on('login', (user) => {
    log.info('logged in');
    options.onStatus?.({ event: 'login', name: user.name() });
  });
  bot.on('logout', (user) => {
    log.warn('logged out');
    options.onStatus?.({ event: 'logout', name: user.name() });
  });
  bot.on('error', (err) => log.error({ err }, 'wechaty error'));

  const channel = wechatyChannel({
    bot,
    agent: shop.agent,
    account: options.account ?? DEFAULT_ACCOUNT,
    clock,
    logger: log,
    ...options.channel,
  });

  // The notices outbox's `wechaty` notices are this process's: the server's worker takes the rest.
  const notices = createNoticeWorker({
    sql, clock, logger: log.child({ component: 'notices' }), vias: ['wechaty'],
    deliver: wechatyDeliverer({ isLoggedIn: () => bot.isLoggedIn, find: (id) => bot.Contact.find({ id }) }),
    ...(options.noticePollMs !== undefined ? { pollMs: options.noticePollMs } : {}),
  });

  try {
    await bot.start();
  } catch (err) {
    channel.detach();
    clearInterval(pruneTimer);
    await shop.stop();
    await bot.stop().catch(() => undefined);
    await sql.close();
    throw err;
  }
  notices.start();

  let stopping: Promise<void> | null = null;
  return {
    bot,
    get db(): Db {
      if (!database.db) throw new Error('bot.db: this bot runs on PostgreSQL; use bot.sql');
      return database.db;
    },
    sql,
    shop,
    channel,
    notices,
    stop() {
      stopping ??= (async () => {
        await notices.stop();
        channel.detach();
        clearInterval(pruneTimer);
        await channel.settle();
        await shop.agent.drain();
        await bot.stop();
        await shop.stop();
        await sql.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}
