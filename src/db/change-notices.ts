/**
 * Change notices: how an instance learns at once that another one (or the CLI) changed what it holds in memory —
 * accounts, rules, settings and stores (the merchant revision), the catalogue and its synonyms (their revisions),
 * whether a broadcast invites replies (the broadcast revision).
 *
 * On PostgreSQL, the statement that takes the next revision also notifies `guang_changes` with the topic, inside
 * the write's transaction: PostgreSQL delivers it at the commit, so a notice never comes before the rows can be
 * read, nor for a write that rolled back. Each instance listens on one connection of its own
 * (postgres/listen.ts) and wakes the polls of that topic. Polling stays, as the fallback: slower while notices
 * arrive, at its own pace while the listener is down. On SQLite there are no notices: one server writes, and its
 * own writes refresh what they change; the CLI's writes are polled.
 */
import { pollEvery, type Poll } from '../core/poll.ts';
import type { Tx } from './sql/sql.ts';

/**
 * What a write changed: `merchant` (accounts, rules, settings, stores), `catalogue` (products, hotels, deals, synonyms),
 * `broadcasts` (created, edited, moved along their lifecycle, cancelled).
 */
export type ChangeTopic = 'merchant' | 'catalogue' | 'broadcasts';

/** The PostgreSQL channel; the payload is the topic. */
export const CHANGES_CHANNEL = 'guang_changes';

export interface ChangeNotices {
  /**
   * Calls `wake` after each committed change to `topic` (by any instance, this one included), and whenever
   * notices may have been missed or stop coming (the listener connected, or lost its connection). Returns the
   * unsubscribe.
   */
  subscribe(topic: ChangeTopic, wake: () => void): () => void;
  /** True while notices arrive: a poll may slow down. */
  listening(): boolean;
}

/** The polls' pace while notices arrive (ms): the fallback for a notice lost on a connection that has not noticed it is dead. */
const LISTENING_POLL_MS = 2_000;
/**
 * Looks woken by notices are at least this far apart (ms): a burst of writes (stock taken by each order, an
 * import's batches) costs a look per gap, not a look per write.
 */
const WAKE_GAP_MS = 50;

/** The one-row revision counters, and the topic each one's readers follow. */
const COUNTERS = { merchant_rev: 'merchant', catalogue_rev: 'catalogue', synonym_rev: 'catalogue', broadcast_rev: 'broadcasts' } as const satisfies Record<string, ChangeTopic>;

/**
 * Takes the next revision of `counter` (locking its row until the commit) and, on PostgreSQL, notifies its topic
 * in the same statement (no round trip more). Call inside the write's transaction.
 * @example const rev = await takeNextRevision(tx, 'catalogue_rev');
 */
export async function takeNextRevision(tx: Tx, counter: keyof typeof COUNTERS): Promise<number> {
  const notify = tx.dialect === 'postgres' ? `, pg_notify('${CHANGES_CHANNEL}', '${COUNTERS[counter]}')` : '';
  return (await tx.get<{ rev: number }>(`UPDATE ${counter} SET rev = rev + 1 WHERE id = 1 RETURNING rev${notify}`))!.rev;
}

/**
 * `refresh` every `pollMs` (0: only when woken), and at once after a notice of `topic`; while notices arrive,
 * every LISTENING_POLL_MS at most.
 * @example const poll = pollWithNotices({ pollMs: 250, notices, topic: 'merchant' }, refresh, onError); … poll.stop();
 */
export function pollWithNotices(
  options: { readonly pollMs: number; readonly notices: ChangeNotices | undefined; readonly topic: ChangeTopic },
  refresh: () => Promise<unknown>,
  onError: (err: unknown) => void,
): Poll {
  const { pollMs, notices, topic } = options;
  const poll = pollEvery(() => (pollMs > 0 && notices?.listening() ? Math.max(pollMs, LISTENING_POLL_MS) : pollMs), refresh, onError);
  if (!notices) return poll;
  let lastWake = -Infinity;
  let deferred: NodeJS.Timeout | null = null;
  const wakeNow = (): void => {
    deferred = null;
    lastWake = performance.now();
    poll.wake();
  };
  const unsubscribe = notices.subscribe(topic, () => {
    if (deferred) return;
    const wait = lastWake + WAKE_GAP_MS - performance.now();
    if (wait <= 0) wakeNow();
    else deferred = setTimeout(wakeNow, wait).unref();
  });
  return {
    wake: poll.wake,
    stop(): void {
      unsubscribe();
      if (deferred) clearTimeout(deferred);
      poll.stop();
    },
  };
}
