/**
 * The server's WeChat API clients, one per account and API, made on first use and kept: late answers, a rule's
 * further replies, broadcasts and QR codes of one account all go through the same client.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { Account, AccountLookup } from '../db/accounts.ts';
import type { Db } from '../db/db.ts';
import type { Sql } from '../db/sql/sql.ts';
import { apiAccess } from '../wechat-api/access.ts';
import { createWechatClient, type WechatClient } from '../wechat-api/client.ts';

export interface WechatClientsOptions {
  /** Where the access tokens are shared (src/wechat-api/token-store.ts). */
  readonly db: Db | Sql;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly accounts: AccountLookup;
  /** The embedded simulator's URL (known once the server listens), or null when there is none. */
  readonly simulatorBase: () => string | null;
}

export interface WechatClients {
  /** The account's client, or null when the account has no API access (see `apiAccess`). */
  forAccount(account: Account): WechatClient | null;
  /** The same by account id; null for an unknown account too. */
  forId(id: string): WechatClient | null;
}

/**
 * @example const clients = createWechatClients({ db, clock, logger, metrics, accounts, simulatorBase: () => null });
 * clients.forId('default')?.sendCustomerMessage(openid, { type: 'text', content: '您好' });
 */
export function createWechatClients(options: WechatClientsOptions): WechatClients {
  const { db, clock, logger, metrics, accounts } = options;
  const clients = new Map<string, WechatClient>();

  function forAccount(account: Account): WechatClient | null {
    const access = apiAccess(account, options.simulatorBase());
    if (access.kind === 'none') return null;
    const { apiBase, appId, appSecret } = access;
    // Keyed by what the client is made of too: an account edited to another AppID or API gets a new one.
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

  return {
    forAccount,
    forId(id) {
      const account = accounts.get(id);
      return account ? forAccount(account) : null;
    },
  };
}
