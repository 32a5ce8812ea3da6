/**
 * Exactly-once handling of deliveries WeChat retries (same MsgId up to 3 times within ~15 s):
 * - the first delivery claims the message in SQLite and runs the handler;
 * - a retry while it is still being handled waits for that answer (in this process: the same promise;
 *   in another process: by watching the record);
 * - a retry of a handled message gets the stored answer and runs nothing;
 * - a claim left pending by a process that died is taken over once it has gone stale.
 */
import type { Clock } from '../clock.ts';
import { sleep } from '../clock.ts';
import type { Delivery, HandledMessageStore } from '../store/handled-messages.ts';
import type { WriteQueue } from '../store/write-queue.ts';
import type { AccountId, Reply } from './types.ts';
import { NO_REPLY } from './types.ts';

export interface Turn {
  /** 1 for the first delivery, 2 and 3 for the platform's retries. */
  readonly attempt: number;
  /** True when this delivery was handled (or is being handled) by an earlier one. */
  readonly duplicate: boolean;
  /** The answer; rejects only for the delivery whose handler threw. */
  readonly answer: Promise<Reply>;
  /** How the answer has left, if it has (a customer-service hand-off makes later retries answer `success`). */
  delivered(): Delivery | null;
  /** Claims delivery of the answer by `how`; false when another delivery already claimed it. */
  deliver(how: Delivery): boolean;
}

export interface DedupOptions {
  readonly store: HandledMessageStore;
  /** Claims and answers are group-committed through this queue. */
  readonly writes: WriteQueue;
  readonly clock: Clock;
  /** Identifies this process in claims. */
  readonly owner: string;
  /** A pending claim not updated for this long belongs to a dead process. */
  readonly staleMs?: number;
  /** How long a retry waits for another process's answer before giving up. */
  readonly waitMs?: number;
  readonly pollMs?: number;
}

/** A Turn whose delivery is recorded in the handled-message store (a class: one is built per delivery). */
class StoredTurn implements Turn {
  constructor(
    private readonly store: HandledMessageStore,
    private readonly account: AccountId,
    private readonly key: string,
    readonly attempt: number,
    readonly duplicate: boolean,
    readonly answer: Promise<Reply>,
  ) {}

  delivered(): Delivery | null {
    return this.store.get(this.account, this.key)?.delivered ?? null;
  }

  deliver(how: Delivery): boolean {
    return this.store.delivered(this.account, this.key, how);
  }
}

export function createDedup(options: DedupOptions) {
  const { store, writes, clock, owner, staleMs = 20_000, waitMs = 15_000, pollMs = 25 } = options;
  const inflight = new Map<string, Promise<Reply>>();
  const mapKey = (account: AccountId, key: string) => `${account}\u0000${key}`;

  function start(account: AccountId, key: string, handler: () => Promise<Reply>): Promise<Reply> {
    const k = mapKey(account, key);
    const answer = (async () => {
      try {
        const reply = await handler();
        await writes.run(() => store.answered(account, key, reply, clock.now()));
        return reply;
      } catch (err) {
        await writes.run(() => store.failed(account, key, clock.now())).catch(() => undefined);
        throw err;
      } finally {
        inflight.delete(k);
      }
    })();
    inflight.set(k, answer);
    return answer;
  }

  /** Waits for another process to answer, taking the claim over if that process has died. */
  async function awaitElsewhere(account: AccountId, key: string, handler: () => Promise<Reply>): Promise<Reply> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const record = store.get(account, key);
      if (!record || record.status === 'failed') return NO_REPLY;
      if (record.status === 'answered') return record.reply;
      const local = inflight.get(mapKey(account, key));
      if (local) return local.catch(() => NO_REPLY);
      if (clock.now() - record.updatedAt >= staleMs && (await writes.run(() => store.takeOver(account, key, record, owner, clock.now())))) {
        return start(account, key, handler);
      }
      if (Date.now() >= deadline) return NO_REPLY;
      await sleep(pollMs);
    }
  }

  return {
    /**
     * Runs `handler` once per (account, key), however many times the delivery arrives.
     * @example const turn = await dedup.run(inbound.account, inbound.dedupKey, () => pipeline(inbound));
     */
    async run(account: AccountId, key: string, handler: () => Promise<Reply>): Promise<Turn> {
      const claim = await writes.run(() => store.claim(account, key, owner, clock.now()));
      if (claim.claimed) return new StoredTurn(store, account, key, 1, false, start(account, key, handler));
      const { record } = claim;
      const attempt = record.attempts;
      switch (record.status) {
        case 'answered':
          return new StoredTurn(store, account, key, attempt, true, Promise.resolve(record.reply));
        case 'failed':
          // The first delivery already answered `success` after the failure; side effects must not run again.
          return new StoredTurn(store, account, key, attempt, true, Promise.resolve(NO_REPLY));
        case 'pending': {
          const local = inflight.get(mapKey(account, key));
          return new StoredTurn(store, account, key, attempt, true, local ? local.catch(() => NO_REPLY) : awaitElsewhere(account, key, handler));
        }
      }
    },
    /** Deliveries still being handled in this process (graceful shutdown waits for them). */
    inflight(): Promise<unknown>[] {
      return [...inflight.values()].map((p) => p.catch(() => undefined));
    },
  };
}
export type Dedup = ReturnType<typeof createDedup>;
