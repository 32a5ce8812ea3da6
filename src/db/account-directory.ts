/**
 * Every account, in memory, for the lookups of the webhook's hot path (`get` is synchronous: no message waits on the
 * database for its account). Kept current by polling the merchant revision, which every account write takes
 * (accounts.ts): when it moved, the accounts' stamps are read and only the accounts whose stamp changed are read
 * again (and their secrets decrypted). A change made by any instance takes effect here within `pollMs` (on
 * PostgreSQL with change notices, at once: change-notices.ts); this instance's own admin writes call `refresh()`,
 * so they take effect before the API answers.
 */
import type { Logger } from '../core/log.ts';
import { silentLogger } from '../core/log.ts';
import type { Account, AccountLookup, AccountStore } from './accounts.ts';
import { pollWithNotices, type ChangeNotices } from './change-notices.ts';
import { currentRevision } from './merchant-revision.ts';
import type { Sql } from './sql/sql.ts';

export interface AccountDirectory extends AccountLookup {
  /** Resolves once every account is loaded (a failure is logged; `get` answers null until a later poll loads them). */
  readonly ready: Promise<void>;
  /** Looks for changes now (the poll does this every `pollMs`). */
  refresh(): Promise<void>;
  stop(): void;
}

export interface AccountDirectoryOptions {
  readonly sql: Sql;
  readonly store: Pick<AccountStore, 'get' | 'stamps'>;
  /** How often to look for changes made by any instance (ms); 0: only on `refresh()`. Default 500: a new account answers within a second. */
  readonly pollMs?: number;
  /** PostgreSQL's change notices (postgres/listen.ts): a change is looked for at once, and the poll slows down while they arrive. */
  readonly changes?: ChangeNotices;
  readonly logger?: Logger;
}

/**
 * @example
 * const accounts = createAccountDirectory({ sql, store: createAccountStore(sql) });
 * await accounts.ready;
 * accounts.get('shop2'); // from memory
 */
export function createAccountDirectory(options: AccountDirectoryOptions): AccountDirectory {
  const { sql, store, pollMs = 500, logger = silentLogger } = options;
  let accounts = new Map<string, { readonly account: Account; readonly stamp: number }>();
  let seen = -1;

  async function reload(): Promise<void> {
    // The revision first: revisions commit in order, so the stamps read after it show every write up to it.
    const rev = await currentRevision(sql);
    if (rev === seen) return;
    const stamps = await store.stamps();
    const next = new Map<string, { account: Account; stamp: number }>();
    for (const [id, stamp] of stamps) {
      const known = accounts.get(id);
      if (known && known.stamp === stamp) {
        next.set(id, known);
        continue;
      }
      const account = await store.get(id);
      // Deleted between the two reads: the next revision's reload settles it.
      if (account) next.set(id, { account, stamp });
    }
    accounts = next;
    seen = rev;
  }

  /** One reload at a time; a call during one runs after it. */
  let queue: Promise<void> = Promise.resolve();
  const refresh = (): Promise<void> => (queue = queue.then(reload, reload));

  const ready = refresh().catch((err: unknown) => logger.error({ err }, 'could not load the accounts'));
  const poll = pollWithNotices({ pollMs, notices: options.changes, topic: 'merchant' }, refresh, (err: unknown) => logger.error({ err }, 'could not reload the accounts'));

  return {
    ready,
    get: (id) => accounts.get(id)?.account ?? null,
    refresh,
    stop(): void {
      poll.stop();
    },
  };
}
