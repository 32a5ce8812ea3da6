/**
 * The webhook's replay check over SQLite, group-committed: the record of a request joins the transaction of
 * whatever else is queued in the same turn of the event loop (under load, the dedup claims and answers of
 * the deliveries before it), so it costs one statement in a shared commit rather than a commit of its own.
 */
import type { AccountId } from '../../agent/types.ts';
import type { Clock } from '../../clock.ts';
import type { WebhookRequestStore } from '../../store/webhook-requests.ts';
import type { WriteQueue } from '../../store/write-queue.ts';
import { replayRetentionMs } from './freshness.ts';

export interface ReplayGuard {
  /** Records a signed request; resolves false when it is a replay (seen before with another body). */
  admit(account: AccountId, requestKey: string, bodyHash: string): Promise<boolean>;
}

/**
 * Often, in small steps: at 300 deliveries a second a second's worth of rows is ~300 (about a millisecond to
 * delete); a minute's worth at once would hold the event loop for tens of milliseconds.
 */
const PRUNE_EVERY_MS = 1_000;
const PRUNE_AT_MOST = 2_000;

/** @example const replay = createReplayGuard({ store: createWebhookRequestStore(db), writes, clock, maxSkewSeconds: 300 }); */
export function createReplayGuard(options: {
  store: WebhookRequestStore;
  writes: WriteQueue;
  clock: Clock;
  maxSkewSeconds: number;
  onPruneError?: (err: unknown) => void;
}): ReplayGuard {
  const { store, writes, clock } = options;
  const retention = replayRetentionMs(options.maxSkewSeconds);
  let nextPrune = 0;
  return {
    admit(account, requestKey, bodyHash) {
      const now = clock.now();
      if (now >= nextPrune) {
        // Indexed on seen_at, in the same group commit as the admissions.
        nextPrune = now + PRUNE_EVERY_MS;
        writes.run(() => store.prune(now - retention, PRUNE_AT_MOST)).catch((err: unknown) => options.onPruneError?.(err));
      }
      return writes.run(() => store.admit(account, requestKey, bodyHash, now));
    },
  };
}
