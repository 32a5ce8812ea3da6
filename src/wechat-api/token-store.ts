/**
 * The access token, shared through the database by every process serving an account, with a single refresher.
 *
 * The platform keeps one valid token per account: when each process fetches its own, they invalidate each
 * other (`40001 not latest`). So the token lives in the `access_tokens` row of the account:
 * - A caller reads the row; a token that is still valid (with a safety margin) is used as is.
 * - Otherwise it takes the row's lease atomically (the row locked, then `UPDATE … WHERE lease is free or
 *   expired`: one winner, whichever instance, on SQLite and on PostgreSQL).
 *   The winner fetches a token, writes it and clears the lease; the others poll the row until the token
 *   appears, or the lease is released or expires (a crashed refresher), and then try again.
 * - `invalidate(token)` marks a token the platform rejected as stale, only if it is still the current one:
 *   two processes that both saw 40001 refresh once, not twice.
 * - Within one process, concurrent callers share one in-flight refresh, and a usable token is kept in memory
 *   and re-read from the row at most every `recheckMs` (real time; default 1 s), so a busy sender does not
 *   read SQLite once per message. A token the platform rejects is dropped from memory at once
 *   (`invalidate`), so another process's refresh is picked up after at most one rejected call.
 *
 * Row conventions (times in ms since the epoch): `updated_at` is when the token was written (lease changes
 * leave it alone, so `expires_at - updated_at` is the token's lifetime); `expires_at = 0` marks a token the
 * platform rejected, kept so the refresher can tell when a stable-token fetch hands the same one back.
 */
import { randomUUID } from 'node:crypto';
import type { AccountId } from '../core/messages.ts';
import { sleep as realSleep, systemClock, type Clock } from '../core/clock.ts';
import { silentLogger, type Logger } from '../core/log.ts';
import type { Db } from '../db/db.ts';
import { secretsOf } from '../db/db.ts';
import { secretContext } from '../db/secrets.ts';
import { asSql } from '../db/sql/sqlite.ts';
import type { Sql, Tx } from '../db/sql/sql.ts';

export interface FetchedToken {
  readonly token: string;
  /** Remaining lifetime as the platform reported it (`expires_in`). */
  readonly expiresInSeconds: number;
}

/**
 * Fetches a token from the platform. `forceRefresh` asks for a new token even if the current one is
 * still valid for the platform (used when the platform rejected the token it keeps handing back).
 */
type TokenFetcher = (options: { readonly forceRefresh: boolean }) => Promise<FetchedToken>;

export interface TokenStoreOptions {
  /** The database (a better-sqlite3 connection is taken through its adapter). */
  readonly db: Db | Sql;
  readonly account: AccountId;
  readonly fetchToken: TokenFetcher;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** A token closer than this to its expiry is refreshed (default 5 min, at most half its lifetime). */
  readonly marginMs?: number;
  /** How long a refresher may hold the lease before others take over (default 30 s). */
  readonly leaseMs?: number;
  /** How often a waiting process re-reads the row (default 50 ms). */
  readonly pollMs?: number;
  /** How long to wait for another process's refresh before giving up (default lease + 5 s, real time). */
  readonly maxWaitMs?: number;
  /** How long (real ms) a usable token is served from memory before the row is read again (default 1000; 0: every call). */
  readonly recheckMs?: number;
  /** Identifies this holder in `lease_owner` (default: pid and a random id). */
  readonly owner?: string;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface TokenStore {
  /** A valid token: the shared one, or a freshly fetched one if it is missing, stale or rejected. */
  get(): Promise<string>;
  /** The platform rejected `token`: mark it stale, unless another holder already replaced it. */
  invalidate(token: string): Promise<void>;
}

interface TokenRow {
  readonly token: string | null;
  readonly expires_at: number | null;
  readonly lease_owner: string | null;
  readonly lease_until: number | null;
  readonly updated_at: number;
}

/** `expires_at` of a token the platform rejected. */
const REJECTED = 0;

/**
 * @example
 * const tokens = createTokenStore({ db, account, fetchToken: ({ forceRefresh }) => fetchFromWechat(forceRefresh) });
 * const token = await tokens.get();
 */
export function createTokenStore(options: TokenStoreOptions): TokenStore {
  const { account, fetchToken } = options;
  const sql = asSql(options.db);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const marginMs = options.marginMs ?? 5 * 60_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 50;
  const maxWaitMs = options.maxWaitMs ?? leaseMs + 5_000;
  const owner = options.owner ?? `${process.pid}:${randomUUID()}`;
  const sleep = options.sleep ?? realSleep;
  const recheckMs = options.recheckMs ?? 1_000;

  // The token is stored encrypted (src/db/secrets.ts); the row is read at most every recheckMs, so it is
  // decrypted at that rate, not per call.
  const secrets = secretsOf(sql);
  const context = secretContext('access_tokens', 'token', account);
  // Read then written by one unit: PostgreSQL locks the row (other instances wait for the unit), SQLite's write
  // lock already serialises every unit.
  const forUpdate = sql.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const SELECT = 'SELECT token, expires_at, lease_owner, lease_until, updated_at FROM access_tokens WHERE account = ?';
  const opened = (row: TokenRow | undefined): TokenRow | undefined =>
    row && row.token !== null ? { ...row, token: secrets.open(row.token, context) } : row;
  const selectRow = async (on: Sql | Tx = sql): Promise<TokenRow | undefined> => opened(await on.get<TokenRow>(SELECT, [account]));

  /** Marks `token` rejected if it is still the stored one (compared decrypted: each encryption differs). */
  const markRejected = (token: string): Promise<boolean> =>
    sql.transaction(async (tx) => {
      const stored = (await tx.get<TokenRow>(SELECT + forUpdate, [account]))?.token ?? null;
      if (stored === null || secrets.open(stored, context) !== token) return false;
      return (await tx.run('UPDATE access_tokens SET expires_at = ? WHERE account = ? AND token = ?', [REJECTED, account, stored])).changes === 1;
    });

  /** Until when (injected clock) a token is used; a token handed out with little life left (a stable token
   * near its renewal) is still used for half of it, rather than refetched on every call. */
  const usableUntil = (expiresAt: number, updatedAt: number): number =>
    expiresAt - Math.min(marginMs, Math.max(0, (expiresAt - updatedAt) / 2));
  const usable = (row: TokenRow | undefined, now: number): row is TokenRow & { token: string } => {
    if (!row || row.token === null || row.expires_at === null || row.expires_at === REJECTED) return false;
    return usableUntil(row.expires_at, row.updated_at) > now;
  };

  /** The token last seen usable, with when to stop using it (clock) and when to re-read the row (real time). */
  let cached: { token: string; until: number; recheckAt: number } | null = null;
  const remember = (token: string, expiresAt: number, updatedAt: number): void => {
    cached = recheckMs > 0 ? { token, until: usableUntil(expiresAt, updatedAt), recheckAt: performance.now() + recheckMs } : null;
  };

  /** Atomically: a usable token if one appeared meanwhile, else the lease if it is free ('won'). */
  const tryLease = (now: number): Promise<{ token: string } | 'won' | 'busy'> =>
    sql.transaction(async (tx) => {
      await tx.run('INSERT INTO access_tokens (account, updated_at) VALUES (?, ?) ON CONFLICT (account) DO NOTHING', [account, now]);
      const row = opened(await tx.get<TokenRow>(SELECT + forUpdate, [account]));
      if (usable(row, now)) return { token: row.token };
      const taken = await tx.run(
        'UPDATE access_tokens SET lease_owner = ?, lease_until = ? WHERE account = ? AND (lease_until IS NULL OR lease_until < ?)',
        [owner, now + leaseMs, account, now],
      );
      return taken.changes === 1 ? 'won' : 'busy';
    });
  const releaseLease = () => sql.run('UPDATE access_tokens SET lease_owner = NULL, lease_until = NULL WHERE account = ? AND lease_owner = ?', [account, owner]);

  let inflight: Promise<string> | null = null;

  async function refreshAsLeaseHolder(): Promise<string> {
    const before = await selectRow();
    const rejected = before?.expires_at === REJECTED ? before.token : null;
    try {
      let fetched = await fetchToken({ forceRefresh: false });
      if (rejected !== null && fetched.token === rejected) {
        // A stable token is handed back while the platform thinks it valid; it was rejected, so force a new one.
        logger.info({ account }, 'the platform handed back the rejected access token; forcing a refresh');
        fetched = await fetchToken({ forceRefresh: true });
      }
      const now = clock.now();
      const expiresAt = now + Math.max(1, fetched.expiresInSeconds) * 1000;
      const written = await sql.run(
        `UPDATE access_tokens SET token = ?, expires_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL
          WHERE account = ? AND lease_owner = ?`,
        [secrets.seal(fetched.token, context), expiresAt, now, account, owner],
      );
      if (written.changes !== 1) {
        cached = null;
        logger.warn({ account }, 'access token lease expired during the fetch; using the token without storing it');
      } else {
        remember(fetched.token, expiresAt, now);
        logger.info({ account, expiresInSeconds: fetched.expiresInSeconds }, 'access token refreshed');
      }
      return fetched.token;
    } catch (error) {
      await releaseLease().catch((err: unknown) => logger.warn({ err, account }, 'could not release the access-token lease; it expires by itself'));
      throw error;
    }
  }

  async function refreshShared(): Promise<string> {
    let waitedMs = 0;
    for (;;) {
      const outcome = await tryLease(clock.now());
      if (outcome === 'won') return refreshAsLeaseHolder();
      if (outcome !== 'busy') return outcome.token;
      if (waitedMs >= maxWaitMs) {
        throw new Error(
          `Waited ${waitedMs} ms for another process to refresh the access token of account ${account}; ` +
            'it holds the lease but wrote no token. Check that process, or clear access_tokens.lease_owner.',
        );
      }
      await sleep(pollMs);
      waitedMs += pollMs;
    }
  }

  return {
    async get() {
      const now = clock.now();
      if (cached !== null && cached.until > now && performance.now() < cached.recheckAt) return cached.token;
      const row = await selectRow();
      if (usable(row, now)) {
        remember(row.token, row.expires_at!, row.updated_at);
        return row.token;
      }
      cached = null;
      if (!inflight) {
        inflight = refreshShared().finally(() => {
          inflight = null;
        });
      }
      return inflight;
    },
    async invalidate(token) {
      if (cached?.token === token) cached = null;
      if (await markRejected(token)) logger.info({ account }, 'access token rejected by the platform; marked stale');
    },
  };
}
