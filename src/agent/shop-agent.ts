/**
 * The conversational core as every channel uses it: the agent pipeline with the shopping skills over the
 * catalogue of one database. The webhook server and the Wechaty bot both start from here.
 */
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import { createCatalogueSearch } from '../search/catalogue-search.ts';
import type { Db } from '../store/db.ts';
import { createSessionStore } from '../store/sessions.ts';
import { createLinks } from '../web/links.ts';
import { createAgent, type AgentOptions } from './agent.ts';
import type { Step } from './pipeline.ts';
import { SESSION_TTL_MS, type ConversationState } from './skills/conversation.ts';
import { createShoppingSkills } from './skills/shopping.ts';

export interface ShopAgentOptions {
  readonly db: Db;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** The public base URL for links in replies (mobile pages), read when a reply is built. */
  readonly publicBase: () => string;
  /** Skills run before the shopping skills (tests, merchant rules). */
  readonly skills?: readonly Step[];
  /** How often the catalogue looks for changes made by other processes (ms). */
  readonly pollMs?: number;
  readonly onHandled?: AgentOptions['onHandled'];
}

/**
 * @example const { agent, stop } = createShopAgent({ db, publicBase: () => 'https://shop.example.com' });
 */
export function createShopAgent(options: ShopAgentOptions) {
  const { db, clock = systemClock, logger = silentLogger } = options;
  const search = createCatalogueSearch({ db, clock, logger: logger.child({ component: 'catalogue' }), pollMs: options.pollMs ?? 500 });
  const sessions = createSessionStore<ConversationState>(db, SESSION_TTL_MS);
  const shopping = createShoppingSkills({ search, sessions, links: (account) => createLinks(options.publicBase(), account) });
  const agent = createAgent({
    db,
    clock,
    logger: logger.child({ component: 'agent' }),
    skills: [...(options.skills ?? []), ...shopping],
    ...(options.onHandled ? { onHandled: options.onHandled } : {}),
  });
  return {
    agent,
    search,
    sessions,
    /** Stops polling the catalogue (the database stays open: it is the caller's). */
    stop: () => search.stop(),
  };
}
export type ShopAgent = ReturnType<typeof createShopAgent>;
