/**
 * The webhook's replay check over the database. On SQLite the record of a request is one statement in the group
 * commit of whatever else is queued in the same turn of the event loop (under load, the dedup claims and answers
 * of the deliveries before it), so it costs no commit of its own.
 */
import type { AccountId } from '../../core/messages.ts';
import type { Clock } from '../../core/clock.ts';
import type { WebhookRequestStore } from '../../db/webhook-requests.ts';
import { REPLAY_MARGIN_SECONDS } from './freshness.ts';

export interface ReplayGuard {
  /** Records a signed request; resolves false when it is a replay (seen before with another body). */
  admit(account: AccountId, timestamp: number, requestKey: string, bodyHash: string): Promise<boolean>;
}

/** Often, in small steps: each prune removes about a second's worth of the oldest rows, a range at one end. */
const PRUNE_EVERY_MS = 1_000;

/** @example const replay = createReplayGuard({ store: createWebhookRequestStore(sql), clock, maxSkewSeconds: 300 }); */
export function createReplayGuard(options: {
  store: WebhookRequestStore;
  clock: Clock;
  maxSkewSeconds: number;
  onPruneError?: (err: unknown) => void;
}): ReplayGuard {
  const { store, clock } = options;
  let nextPrune = 0;
  return {
    admit(account, timestamp, requestKey, bodyHash) {
      const now = clock.now();
      if (now >= nextPrune) {
        // A request timestamped before this is refused as stale before it reaches the record.
        nextPrune = now + PRUNE_EVERY_MS;
        const before = Math.floor(now / 1000) - options.maxSkewSeconds - REPLAY_MARGIN_SECONDS;
        store.prune(before).catch((err: unknown) => options.onPruneError?.(err));
      }
      return store.admit(account, timestamp, requestKey, bodyHash);
    },
  };
}
