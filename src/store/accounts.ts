/** The official accounts this deployment serves. The environment configures `default`; others live here too. */
import type { AccountType, EncryptMode, WechatAccountConfig } from '../config.ts';
import { defaultEncryptMode } from '../config.ts';
import type { AccountId } from '../agent/types.ts';
import { accountId } from '../agent/types.ts';
import type { Db } from './db.ts';

/** An account's settings: what the environment gives the default one, plus its id and name. */
export interface Account extends WechatAccountConfig {
  readonly id: AccountId;
  readonly name: string;
}

export const DEFAULT_ACCOUNT = accountId('default');

interface Row {
  id: string;
  name: string;
  token: string;
  app_id: string | null;
  app_secret: string | null;
  aes_key: string | null;
  previous_aes_key: string | null;
  account_type: AccountType;
  api_base: string | null;
  customer_service: number;
  encrypt_mode: EncryptMode | null;
}

const fromRow = (r: Row): Account => ({
  id: accountId(r.id),
  name: r.name,
  token: r.token,
  appId: r.app_id,
  appSecret: r.app_secret,
  aesKey: r.aes_key,
  previousAesKey: r.previous_aes_key,
  accountType: r.account_type,
  apiBase: r.api_base,
  customerService: r.customer_service === 1,
  encryptMode: r.encrypt_mode ?? defaultEncryptMode(r.aes_key),
});

export function createAccountStore(db: Db) {
  const get = db.prepare<[string], Row>('SELECT * FROM accounts WHERE id = ?');
  const all = db.prepare<[], Row>('SELECT * FROM accounts ORDER BY id');
  const upsert = db.prepare(`
    INSERT INTO accounts (id, name, token, app_id, app_secret, aes_key, previous_aes_key, account_type, api_base,
                          customer_service, encrypt_mode, created_at, updated_at)
    VALUES (@id, @name, @token, @appId, @appSecret, @aesKey, @previousAesKey, @accountType, @apiBase,
            @customerService, @encryptMode, @now, @now)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, token = excluded.token, app_id = excluded.app_id,
      app_secret = excluded.app_secret, aes_key = excluded.aes_key, previous_aes_key = excluded.previous_aes_key,
      account_type = excluded.account_type, api_base = excluded.api_base,
      customer_service = excluded.customer_service, encrypt_mode = excluded.encrypt_mode, updated_at = excluded.updated_at`);
  return {
    get(id: string): Account | null {
      const row = get.get(id);
      return row ? fromRow(row) : null;
    },
    list(): Account[] {
      return all.all().map(fromRow);
    },
    /** Creates or replaces an account's settings. @example accounts.save({ id: accountId('shop2'), … }) */
    save(account: Account, now = Date.now()): void {
      upsert.run({ ...account, customerService: account.customerService ? 1 : 0, encryptMode: account.encryptMode ?? null, now });
    },
  };
}
export type AccountStore = ReturnType<typeof createAccountStore>;

/**
 * Account lookups for the webhook's hot path, cached for `ttlMs`: a change made by any process takes
 * effect within that time.
 */
export function cachedAccountLookup(store: Pick<AccountStore, 'get'>, ttlMs = 1000, now: () => number = Date.now) {
  const cache = new Map<string, { account: Account | null; until: number }>();
  return {
    get(id: string): Account | null {
      const t = now();
      const hit = cache.get(id);
      if (hit && hit.until > t) return hit.account;
      const account = store.get(id);
      if (cache.size > 1000) cache.clear(); // unknown ids probing /wechat/:account must not grow it forever
      cache.set(id, { account, until: t + ttlMs });
      return account;
    },
  };
}
