/**
 * The mobile checkout as the server composes it: the follower token (its key derived from the database's
 * secret key), web authorisation through the account's API client (service accounts with API access, the
 * simulator included), the order desk, page views through the group commit, and the routers in order —
 * the follower's arrival first (a link's `t` becomes a cookie), then the checkout pages.
 */
import express, { type Router } from 'express';
import type { Clock } from '../core/clock.ts';
import { createFollowerTokens, type FollowerTokens } from '../core/follower-token.ts';
import type { Logger } from '../core/log.ts';
import type { AccountId } from '../core/messages.ts';
import type { Account } from '../db/accounts.ts';
import { secretsOf, type Db } from '../db/db.ts';
import type { Sql } from '../db/sql/sql.ts';
import { createStoreRegistry } from '../merchant/shops/registry.ts';
import { createOrderDesk } from '../orders/desk.ts';
import type { CatalogueSearch } from '../search/catalogue-search.ts';
import { apiAccess } from '../wechat-api/access.ts';
import { authorizeBase, authorizeUrl } from '../wechat-api/web-auth.ts';
import { checkoutPages } from '../web/checkout.ts';
import { followerRoutes, type WebAuth } from '../web/follower-routes.ts';
import { createPageViews } from '../web/page-views.ts';
import { productOrdering, type ProductOrdering } from '../web/product-ordering.ts';
import type { WechatClients } from './wechat-clients.ts';

/** The follower tokens of a database: the same key in every process that opens it. */
export const followerTokensOf = (of: Db | Sql, clock?: Clock): FollowerTokens =>
  createFollowerTokens(secretsOf(of).derive('follower-token'), clock ? { clock } : {});

export interface MobileCheckoutOptions {
  /** The orders, the stores and the page views. */
  readonly sql: Sql;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly search: CatalogueSearch;
  readonly tokens: FollowerTokens;
  readonly accounts: { get(id: string): Account | null };
  readonly clients: WechatClients;
  /** The embedded simulator's URL, or null. */
  readonly simulatorBase: () => string | null;
  readonly publicBase: () => string;
  readonly shopName: (account: AccountId) => string;
}

export function createMobileCheckout(options: MobileCheckoutOptions): { router: Router; ordering: ProductOrdering } {
  const { sql, clock, logger, tokens } = options;
  const desk = createOrderDesk(sql, { clock });
  const stores = createStoreRegistry(sql, clock);

  /** snsapi_base needs a service account; without API access there is nothing to exchange a code with. */
  const webAuth = (id: AccountId): WebAuth | null => {
    const account = options.accounts.get(id);
    if (!account || account.accountType !== 'service') return null;
    const access = apiAccess(account, options.simulatorBase());
    const client = options.clients.forAccount(account);
    if (access.kind === 'none' || !client) return null;
    const base = authorizeBase(access);
    return {
      authorizeUrl: (redirectUri, state) => authorizeUrl(base, { appId: access.appId, redirectUri, state }),
      openid: async (code) => (await client.oauthOpenid(code)).openid,
    };
  };

  const follower = followerRoutes({ tokens, shopName: options.shopName, baseUrl: options.publicBase, webAuth, clock, logger: logger.child({ component: 'pages' }) });
  const router = express.Router();
  router.use(follower.router);
  router.use(checkoutPages({ desk, search: options.search, tokens, shopName: options.shopName, needFollower: follower.needFollower }));
  const ordering = productOrdering({
    tokens,
    record: createPageViews(sql, { logger }),
    storeOf: (account, user) => stores.storeOf(account, user),
    liveReferrer: async (account, ref) => (await desk.referrers.active(account, ref))?.code ?? null,
    clock,
  });
  return { router, ordering };
}
