/**
 * The conversational core as every channel uses it: the agent pipeline with the merchant's rules, settings
 * and stores (kept current from SQLite) and the shopping skills over the catalogue of one database. The
 * webhook server and the Wechaty bot both start from here.
 */
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import { silentLogger } from '../core/log.ts';
import { createMerchantBook } from '../merchant/book.ts';
import { massSendFinishedStep } from '../push/mass-finished.ts';
import { replyCollection } from '../push/reply-collection.ts';
import { createMerchantSteps } from '../merchant/steps.ts';
import { createRuleStore } from '../merchant/rules/rule-store.ts';
import { createCatalogueSearch } from '../search/catalogue-search.ts';
import type { Db } from '../db/db.ts';
import type { Sql } from '../db/sql/sql.ts';
import type { ChangeNotices } from '../db/change-notices.ts';
import { createSessionStore } from '../db/sessions.ts';
import { asSql } from '../db/sql/sqlite.ts';
import { createStoreRegistry } from '../merchant/shops/registry.ts';
import { createLinks, type FollowerSigner, type Links } from '../core/page-links.ts';
import { createAgent, type AgentOptions } from '../agent/agent.ts';
import type { Step } from '../agent/pipeline.ts';
import { SESSION_TTL_MS, type ConversationState } from '../agent/skills/conversation.ts';
import { shoppingSkills } from '../agent/skills/shopping.ts';
import type { AccountId, Inbound, Reply } from '../core/messages.ts';
import { createOrderDesk } from '../orders/desk.ts';
import { orderSteps } from '../orders/chat/steps.ts';
import { createServiceSettingsStore } from '../merchant/service/answers.ts';

export interface ShopAgentOptions {
  /** The database: its adapter, or SQLite's connection (whose one adapter is then used). */
  readonly db: Db | Sql;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** The public base URL for links in replies (mobile pages), read when a reply is built. */
  readonly publicBase: () => string;
  /** Skills run before the shopping skills (tests); they answer as `custom:<name>`. */
  readonly skills?: readonly Step[];
  /** How often the catalogue looks for changes made by other processes (ms; 0: never, call `search.refresh()`). */
  readonly pollMs?: number;
  /**
   * How often the merchant's rules, settings and stores (and on PostgreSQL, whether broadcasts invite replies) are
   * checked for changes (ms, default 250; 0: never — on PostgreSQL without `changes`, broadcasts are then read on
   * every text message).
   */
  readonly merchantPollMs?: number;
  /** PostgreSQL's change notices: the book, the search and reply collection look at once after another instance's change. */
  readonly changes?: ChangeNotices;
  /** Picks the reply of `random` rules (default Math.random). */
  readonly random?: () => number;
  /** Sends a rule's further replies after the passive one (`reply_mode: all`); see merchant/steps.ts. */
  readonly followUps?: (inbound: Inbound, replies: readonly Reply[]) => void;
  readonly onHandled?: AgentOptions['onHandled'];
  /** The time budget of one turn (see AgentOptions.budget). */
  readonly budget?: AgentOptions['budget'];
  readonly health?: AgentOptions['health'];
  readonly dedup?: AgentOptions['dedup'];
  /**
   * The catalogue search to use (default: one of its own over `db`, indexed at creation). The dry run lends the
   * live server's, which reads the same catalogue: indexing it again would cost seconds per dry run. Not stopped by `stop`.
   */
  readonly search?: ReturnType<typeof createCatalogueSearch>;
  /** Signs a follower into the links sent to them alone (a card, their orders): see src/core/follower-token.ts. */
  readonly signer?: FollowerSigner;
}

/**
 * @example const { agent, stop } = createShopAgent({ db, publicBase: () => 'https://shop.example.com' });
 */
export function createShopAgent(options: ShopAgentOptions) {
  const { clock = systemClock, logger = silentLogger } = options;
  const db: Sql = asSql(options.db, options.health);
  const search = options.search ?? createCatalogueSearch({ db, clock, logger: logger.child({ component: 'catalogue' }), pollMs: options.pollMs ?? 500, changes: options.changes });
  const sessions = createSessionStore<ConversationState>(db, SESSION_TTL_MS);
  // One Links per base URL and account, not one per message (the base is read each time: it may change).
  const links = new Map<string, Links>();
  const linksOf = (account: AccountId): Links => {
    const base = options.publicBase();
    const key = `${base}\u0000${account}`;
    let l = links.get(key);
    if (!l) links.set(key, (l = createLinks(base, account, options.signer)));
    return l;
  };
  const book = createMerchantBook({ db, clock, logger: logger.child({ component: 'rules' }), pollMs: options.merchantPollMs ?? 250, changes: options.changes });
  // Broadcasts are the merchant's too: followed at the book's pace (PostgreSQL; SQLite reads its revision per message).
  const replies = replyCollection(db, { pollMs: options.merchantPollMs ?? 250, changes: options.changes, logger: logger.child({ component: 'broadcast-replies' }) });
  const merchant = createMerchantSteps({
    book,
    rules: createRuleStore(db, clock),
    stores: createStoreRegistry(db, clock),
    random: options.random ?? Math.random,
    followUps: options.followUps,
  });
  const agent = createAgent({
    db,
    clock,
    logger: logger.child({ component: 'agent' }),
    search,
    linksOf,
    sessions,
    // Checkout in the conversation, 我的订单, 取消订单, service questions (the desk's hooks enqueue the notices).
    orders: orderSteps(createOrderDesk(db, { clock }), { settings: createServiceSettingsStore(db, clock), stores: createStoreRegistry(db, clock) }),
    skills: [...(options.skills ?? []), ...shoppingSkills],
    merchant: {
      // MASSSENDJOBFINISH reconciles a broadcast; replies carrying a broadcast's keyword are collected
      // before any rule or skill could take them.
      events: [massSendFinishedStep(db), merchant.attribution, merchant.events],
      messages: [replies.step, merchant.keywords],
      fallback: [merchant.fallback],
    },
    persona: merchant.persona,
    ...(options.onHandled ? { onHandled: options.onHandled } : {}),
    ...(options.budget ? { budget: options.budget } : {}),
    ...(options.health ? { health: options.health } : {}),
    ...(options.dedup ? { dedup: options.dedup } : {}),
  });
  return {
    agent,
    search,
    sessions,
    /** The merchant's rules, settings and stores as this process sees them. */
    book,
    /** Resolves once the merchant's rules and settings and the catalogue are loaded: answer nothing before. */
    ready: Promise.all([book.ready, search.ready]).then(() => undefined),
    /** Stops polling the catalogue and the rules (the database stays open: it is the caller's). */
    stop: async (): Promise<void> => {
      if (!options.search) search.stop();
      book.stop();
      replies.stop();
      await agent.stop();
    },
  };
}
export type ShopAgent = ReturnType<typeof createShopAgent>;
