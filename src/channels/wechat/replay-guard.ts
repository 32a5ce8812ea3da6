/**
 * The webhook's replay check over SQLite, group-committed: the record of a request joins the transaction of
 * whatever else is queued in the same turn of the event loop (under load, the dedup claims and answers of
 * the deliveries before it), so it costs one statement in a shared commit rather than a commit of its own.
 */
import type { AccountId } from '../../core/messages.ts';
import type { Clock } from '../../core/clock.ts';
import type { WebhookRequestStore } from '../../db/webhook-requests.ts';
import type { WriteQueue } from '../../db/write-queue.ts';
import { REPLAY_MARGIN_SECONDS } from './freshness.ts';

export interface ReplayGuard {
  /** Records a signed request; resolves false when it is a replay (seen before with another body). */
  admit(account: AccountId, timestamp: number, requestKey: string, bodyHash: string): Promise<boolean>;
}

/** Often, in small steps: each prune removes about a second's worth of the oldest rows, a range at one end. */
const PRUNE_EVERY_MS = 1_000;

/** @example const replay = createReplayGuard({ store: createWebhookRequestStore(db), writes, clock, maxSkewSeconds: 300 }); */
export function createReplayGuard(options: {
  store: WebhookRequestStore;
  writes: WriteQueue;
  clock: Clock;
  maxSkewSeconds: number;
  onPruneError?: (err: unknown) => void;
}): ReplayGuard {
  const { store, writes, clock } = options;
  let nextPrune = 0;
  return {
    admit(account, timestamp, requestKey, bodyHash) {
      const now = clock.now();
      if (now >= nextPrune) {
        // A request timestamped before this is refused as stale before it reaches the record.
        nextPrune = now + PRUNE_EVERY_MS;
        const before = Math.floor(now / 1000) - options.maxSkewSeconds - REPLAY_MARGIN_SECONDS;
        writes.run(() => store.prune(before)).catch((err: unknown) => options.onPruneError?.(err));
      }
      return writes.run(() => store.admit(account, timestamp, requestKey, bodyHash));
    },
  };
}
