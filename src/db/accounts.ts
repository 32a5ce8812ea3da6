/** The official accounts this deployment serves. The environment configures `default`; others live here too. */
import type { AccountType, EncryptMode, WechatAccountConfig } from '../core/config.ts';
import { defaultEncryptMode } from '../core/config.ts';
import type { AccountId } from '../core/messages.ts';
import { accountId } from '../core/messages.ts';
import type { Db } from './db.ts';
import { secretsOf } from './db.ts';
import { secretContext, type SecretBox } from './secrets.ts';

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

/** The Token, AppSecret and EncodingAESKeys are stored encrypted (src/db/secrets.ts). */
const SECRET_COLUMNS = { token: 'token', appSecret: 'app_secret', aesKey: 'aes_key', previousAesKey: 'previous_aes_key' } as const;

const fromRow = (secrets: SecretBox, r: Row): Account => ({
  id: accountId(r.id),
  name: r.name,
  token: secrets.open(r.token, secretContext('accounts', 'token', r.id)),
  appId: r.app_id,
  appSecret: r.app_secret === null ? null : secrets.open(r.app_secret, secretContext('accounts', 'app_secret', r.id)),
  aesKey: r.aes_key === null ? null : secrets.open(r.aes_key, secretContext('accounts', 'aes_key', r.id)),
  previousAesKey: r.previous_aes_key === null ? null : secrets.open(r.previous_aes_key, secretContext('accounts', 'previous_aes_key', r.id)),
  accountType: r.account_type,
  apiBase: r.api_base,
  customerService: r.customer_service === 1,
  encryptMode: r.encrypt_mode ?? defaultEncryptMode(r.aes_key),
});

export function createAccountStore(db: Db) {
  const secrets = secretsOf(db);
  const seal = (account: Account) => {
    const sealed: Record<string, string | null> = {};
    for (const [field, column] of Object.entries(SECRET_COLUMNS)) {
      const v = account[field as keyof typeof SECRET_COLUMNS];
      sealed[field] = v === null ? null : secrets.seal(v, secretContext('accounts', column, account.id));
    }
    return sealed;
  };
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
      return row ? fromRow(secrets, row) : null;
    },
    list(): Account[] {
      return all.all().map((r) => fromRow(secrets, r));
    },
    /** Creates or replaces an account's settings (its secrets encrypted). @example accounts.save({ id: accountId('shop2'), … }) */
    save(account: Account, now = Date.now()): void {
      upsert.run({ ...account, ...seal(account), customerService: account.customerService ? 1 : 0, encryptMode: account.encryptMode ?? null, now });
    },
  };
}
export type AccountStore = ReturnType<typeof createAccountStore>;

/**
 * Account lookups for the webhook's hot path, cached for `ttlMs`: a change made by any process takes
 * effect within that time, and the secrets are decrypted once per account per `ttlMs`, not per message.
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
