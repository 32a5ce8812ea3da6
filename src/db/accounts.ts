/** The official accounts this deployment serves. The environment configures `default`; others live here too. */
import type { AccountType, EncryptMode, WechatAccountConfig } from '../core/config.ts';
import { defaultEncryptMode } from '../core/config.ts';
import type { AccountId } from '../core/messages.ts';
import { accountId } from '../core/messages.ts';
import type { Db } from './db.ts';
import { secretsOf } from './db.ts';
import { nextRevision } from './merchant-revision.ts';
import { secretContext, type SecretBox } from './secrets.ts';
import { asSql } from './sql/sqlite.ts';
import type { Param, Sql, Tx } from './sql/sql.ts';

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

/** A create met an account of that id, made by this instance or another at the same moment. */
export class AccountExistsError extends Error {
  override readonly name = 'AccountExistsError';
  constructor(readonly id: string) {
    super(`account ${id} exists already`);
  }
}

/** The columns a write sets, in the order of `fields`. */
const FIELDS = ['name', 'token', 'app_id', 'app_secret', 'aes_key', 'previous_aes_key', 'account_type', 'api_base', 'customer_service', 'encrypt_mode'];
const INSERT = `INSERT INTO accounts (id, ${FIELDS.join(', ')}, created_at, updated_at) VALUES (?, ${FIELDS.map(() => '?').join(', ')}, ?, ?)`;

/**
 * The account's stamp: every write moves `updated_at` forward, by 1 ms when the clock would not (a write in the same
 * millisecond, or an instance whose clock is behind), so a reader comparing stamps never misses a change.
 */
const STAMP = 'CASE WHEN excluded.updated_at > accounts.updated_at THEN excluded.updated_at ELSE accounts.updated_at + 1 END';

/**
 * @example
 * const accounts = createAccountStore(sql);
 * await accounts.create({ id: accountId('shop2'), … });   // AccountExistsError when the id is taken
 */
export function createAccountStore(db: Db | Sql) {
  const sql = asSql(db);
  const secrets = secretsOf(db);
  /** The values of FIELDS, secrets sealed. */
  const fields = (account: Account): Param[] => {
    const sealed = (field: keyof typeof SECRET_COLUMNS): string | null => {
      const v = account[field];
      return v === null ? null : secrets.seal(v, secretContext('accounts', SECRET_COLUMNS[field], account.id));
    };
    return [
      account.name, sealed('token'), account.appId, sealed('appSecret'), sealed('aesKey'), sealed('previousAesKey'),
      account.accountType, account.apiBase, account.customerService ? 1 : 0, account.encryptMode ?? null,
    ];
  };
  const values = (account: Account, now: number): Param[] => [account.id, ...fields(account), now, now];
  const GET = 'SELECT * FROM accounts WHERE id = ?';
  const get = async (on: Sql | Tx, id: string): Promise<Account | null> => {
    const row = await on.get<Row>(GET, [id]);
    return row ? fromRow(secrets, row) : null;
  };
  // Every write takes the next merchant revision: readers poll it (account-directory.ts), and its row lock
  // serialises account writes across instances.
  const write = <R>(fn: (tx: Tx) => Promise<R>): Promise<R> =>
    sql.transaction(async (tx) => {
      await nextRevision(tx);
      return fn(tx);
    });
  return {
    get: (id: string): Promise<Account | null> => get(sql, id),
    list: async (): Promise<Account[]> => (await sql.all<Row>('SELECT * FROM accounts ORDER BY id')).map((r) => fromRow(secrets, r)),
    /** Each account's id and stamp (`updated_at`, moved by every write): what a reader compares to see what changed. */
    stamps: async (): Promise<Map<string, number>> =>
      new Map((await sql.all<{ id: string; updated_at: number }>('SELECT id, updated_at FROM accounts')).map((r) => [r.id, r.updated_at])),
    /** Creates or replaces an account's settings (its secrets encrypted): the environment's default account at start. */
    async save(account: Account, now = Date.now()): Promise<void> {
      await write((tx) =>
        tx.run(
          `${INSERT} ON CONFLICT (id) DO UPDATE SET name = excluded.name, token = excluded.token, app_id = excluded.app_id,
            app_secret = excluded.app_secret, aes_key = excluded.aes_key, previous_aes_key = excluded.previous_aes_key,
            account_type = excluded.account_type, api_base = excluded.api_base,
            customer_service = excluded.customer_service, encrypt_mode = excluded.encrypt_mode, updated_at = ${STAMP}`,
          values(account, now),
        ),
      );
    },
    /**
     * Adds an account; throws AccountExistsError when the id is taken (two instances creating it at once: one row,
     * the other told so).
     */
    async create(account: Account, now = Date.now()): Promise<void> {
      const made = await write((tx) => tx.get<{ id: string }>(`${INSERT} ON CONFLICT (id) DO NOTHING RETURNING id`, values(account, now)));
      if (!made) throw new AccountExistsError(account.id);
    },
    /**
     * Changes an account: `change` gets the account as stored and returns it changed (it may throw to refuse; it
     * may run twice, so it must only compute). Resolves to the account saved, or null when there is none. Two
     * instances changing one account take turns, each from the other's result, so neither change is lost.
     */
    update(id: string, change: (old: Account) => Account, now = Date.now()): Promise<Account | null> {
      return write(async (tx) => {
        const old = await get(tx, id);
        if (!old) return null;
        const account = { ...change(old), id: old.id };
        await tx.run(
          `UPDATE accounts SET ${FIELDS.map((f) => `${f} = ?`).join(', ')}, updated_at = CASE WHEN ? > updated_at THEN ? ELSE updated_at + 1 END WHERE id = ?`,
          [...fields(account), now, now, id],
        );
        return account;
      });
    },
  };
}
export type AccountStore = ReturnType<typeof createAccountStore>;

/** Reads accounts synchronously, from memory: what the webhook's hot path looks accounts up through (account-directory.ts). */
export interface AccountLookup {
  get(id: string): Account | null;
}
