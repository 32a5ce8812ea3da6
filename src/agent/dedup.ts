/**
 * Exactly-once handling of deliveries WeChat retries (same MsgId up to 3 times within ~15 s):
 * - the first delivery claims the message in the database and runs the handler;
 * - a retry while it is still being handled waits for that answer (in this process: the same promise;
 *   in another process: by watching the record), for as long as a delivery could still carry it;
 * - a retry of a handled message gets the stored answer and runs nothing;
 * - a claim whose owner is gone (its process died: see store/liveness.ts) is taken over at once by the
 *   retry that finds it, and orphans no retry came for are closed as failed once no delivery can come.
 *
 * When the database cannot be written (a full disk), the claim falls back to this process's memory: the
 * answer is still computed and given (most answers need no disk), retries reaching this process get the
 * same answer without running the handler again. What is lost is only the cross-process guarantee, for as
 * long as the disk is failing.
 */
import type { Clock } from '../core/clock.ts';
import { sleep } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import { silentLogger } from '../core/log.ts';
import type { Delivery, HandledMessageStore, HandledRecord } from '../db/handled-messages.ts';
import type { Liveness } from '../db/liveness.ts';
import { ignoredHealth, isStorageFailure, type WriteHealth } from '../db/write-health.ts';
import type { AccountId, Reply } from '../core/messages.ts';
import { NO_REPLY } from '../core/messages.ts';

/** One delivery of an inbound as dedup hands it to the channel: its answer, and who delivers it. */
export interface Handling {
  /** 1 for the first delivery, 2 and 3 for the platform's retries. */
  readonly attempt: number;
  /** How long before this delivery arrived the message was first claimed (0 for the first delivery). */
  readonly claimAgeMs: number;
  /** True when this delivery was handled (or is being handled) by an earlier one. */
  readonly duplicate: boolean;
  /** The answer; rejects only for the delivery whose handler threw. */
  readonly answer: Promise<Reply>;
  /** How the answer has left, if it has (a customer-service hand-off makes later retries answer `success`). */
  delivered(): Promise<Delivery | null>;
  /** Claims delivery of the answer by `how`; false when another delivery already claimed it. */
  deliver(how: Delivery): Promise<boolean>;
}

/** The retry schedule of the channel: how long a retry may wait, and when a claim is past every retry. */
export interface RetrySchedule {
  /** How long a retry may wait for another process's answer to a claim made `claimAgeMs` ago. */
  waitMs(claimAgeMs: number): number;
  /** True once no delivery of a claim that old can come any more. */
  outlived(claimAgeMs: number): boolean;
}

/** WeChat's (~0, ~5, ~10 s, each dropped after 5 s; see channels/wechat/reply-budget.ts, which the server injects). */
const DEFAULT_SCHEDULE: RetrySchedule = {
  waitMs: (age) => Math.max(0, 16_000 - age),
  outlived: (age) => age >= 16_000,
};

export interface DedupOptions {
  /** Claims and answers (each one statement: on SQLite they join the group commit of the turn). */
  readonly store: HandledMessageStore;
  readonly clock: Clock;
  /** This process's liveness: its owner id goes into claims; other owners are checked through it. */
  readonly liveness: Liveness;
  readonly schedule?: RetrySchedule;
  /** Told of storage failures met outside the group commit (the customer-service marker). */
  readonly health?: WriteHealth;
  readonly logger?: Logger;
  /**
   * A backstop: also take over a pending claim not updated for this long even though its owner still holds
   * a lease (a process stuck, not dead). Off by default: taking over from a live owner runs the handler twice.
   */
  readonly staleMs?: number;
  readonly pollMs?: number;
  /** How often this process renews its liveness lease once it has claimed something (ms). */
  readonly heartbeatMs?: number;
}

/** A Handling whose delivery is recorded in the handled-message store (a class: one is built per delivery). */
class StoredHandling implements Handling {
  constructor(
    private readonly dedup: { store: HandledMessageStore; health: WriteHealth; memory: Memory },
    private readonly account: AccountId,
    private readonly key: string,
    readonly attempt: number,
    readonly claimAgeMs: number,
    readonly duplicate: boolean,
    readonly answer: Promise<Reply>,
  ) {}

  async delivered(): Promise<Delivery | null> {
    return this.dedup.memory.delivered(this.account, this.key) ?? (await this.dedup.store.get(this.account, this.key))?.delivered ?? null;
  }

  async deliver(how: Delivery): Promise<boolean> {
    try {
      return await this.dedup.store.delivered(this.account, this.key, how);
    } catch (err) {
      if (!this.dedup.health.failed(err)) throw err;
      // The marker cannot be written: keep it in memory, so this process's retries still see it.
      return this.dedup.memory.deliver(this.account, this.key, how);
    }
  }
}

/** A Handling of a delivery whose claim could not be written: known to this process only. */
class MemoryHandling implements Handling {
  readonly claimAgeMs = 0;
  constructor(
    private readonly memory: Memory,
    private readonly account: AccountId,
    private readonly key: string,
    readonly attempt: number,
    readonly duplicate: boolean,
    readonly answer: Promise<Reply>,
  ) {}

  delivered(): Promise<Delivery | null> {
    return Promise.resolve(this.memory.delivered(this.account, this.key));
  }

  deliver(how: Delivery): Promise<boolean> {
    return Promise.resolve(this.memory.deliver(this.account, this.key, how));
  }
}

/** Answers and delivery markers the database could not take, kept for as long as a retry may come. */
class Memory {
  private readonly entries = new Map<string, { reply?: Reply; delivered?: Delivery; attempts: number; expires: number }>();
  constructor(private readonly ttlMs: number) {}

  get size(): number {
    return this.entries.size;
  }

  private entry(account: AccountId, key: string, create: boolean) {
    const k = `${account}\u0000${key}`;
    let e = this.entries.get(k);
    if (e && e.expires <= Date.now()) {
      this.entries.delete(k);
      e = undefined;
    }
    if (!e && create) {
      this.sweep();
      this.entries.set(k, (e = { attempts: 0, expires: Date.now() + this.ttlMs }));
    }
    return e;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, e] of this.entries) if (e.expires <= now) this.entries.delete(k);
  }

  /** Counts a delivery; returns its attempt number. */
  arrive(account: AccountId, key: string): number {
    return ++this.entry(account, key, true)!.attempts;
  }
  reply(account: AccountId, key: string): Reply | undefined {
    return this.entries.size === 0 ? undefined : this.entry(account, key, false)?.reply;
  }
  remember(account: AccountId, key: string, reply: Reply): void {
    this.entry(account, key, true)!.reply = reply;
  }
  delivered(account: AccountId, key: string): Delivery | null {
    return this.entries.size === 0 ? null : (this.entry(account, key, false)?.delivered ?? null);
  }
  deliver(account: AccountId, key: string, how: Delivery): boolean {
    const e = this.entry(account, key, true)!;
    if (e.delivered) return false;
    e.delivered = how;
    return true;
  }
}

export function createDedup(options: DedupOptions) {
  const { store, clock, liveness, schedule = DEFAULT_SCHEDULE, health = ignoredHealth, logger = silentLogger, staleMs, pollMs = 50, heartbeatMs = 1_000 } = options;
  const owner = liveness.owner;
  let heartbeat: NodeJS.Timeout | null = null;
  /**
   * Before this process's first claim: its lease, committed before the claim, so no claim of a live process ever
   * looks orphaned to another instance (on PostgreSQL two statements may commit in either order). Then renewed
   * every `heartbeatMs`. A process that never claims (a CLI) writes no lease.
   */
  let lease: Promise<void> | null = null;
  let leased = false;
  function announce(): Promise<void> | null {
    if (leased) return null;
    if (!lease) {
      // A failed beat (a failing disk) is the claim's problem too, and the claim has a fallback: go on either way.
      lease = liveness.beat().catch(() => undefined).then(() => {
        leased = true;
      });
      heartbeat = setInterval(() => {
        liveness.beat().catch(() => undefined);
      }, heartbeatMs).unref();
    }
    return lease;
  }
  const inflight = new Map<string, Promise<Reply>>();
  // Longer than any retry, and than the sweep takes to record an answer it could not write (see sweep).
  const memory = new Memory(schedule.waitMs(0) + 30_000);
  const shared = { store, health, memory };
  const mapKey = (account: AccountId, key: string) => `${account}\u0000${key}`;

  /** Runs the handler; `recorded`: the claim is in the database, so the outcome goes there too. */
  function start(account: AccountId, key: string, handler: () => Promise<Reply>, recorded: boolean): Promise<Reply> {
    const k = mapKey(account, key);
    const answer = (async () => {
      try {
        let reply: Reply;
        try {
          reply = await handler();
        } catch (err) {
          // A handler that failed for want of the disk stays pending: its retry (held for by the webhook) takes
          // it over and runs it again, since nothing of it landed. Any other failure is final.
          if (recorded && !isStorageFailure(err)) await store.failed(account, key, clock.now()).catch(() => undefined);
          throw err;
        }
        if (!recorded) {
          memory.remember(account, key, reply);
          return reply;
        }
        try {
          await store.answered(account, key, reply, clock.now());
        } catch (err) {
          if (!health.failed(err)) throw err;
          // The answer exists; only its record could not be written. Give it, and keep it for retries here.
          memory.remember(account, key, reply);
        }
        return reply;
      } finally {
        inflight.delete(k);
      }
    })();
    inflight.set(k, answer);
    return answer;
  }

  /** Nobody is working on a pending claim: its owner is gone, or it is this process and the handling ended. */
  async function orphaned(account: AccountId, key: string, record: { owner: string; updatedAt: number }): Promise<boolean> {
    if (record.owner === owner) return !inflight.has(mapKey(account, key));
    if (staleMs !== undefined && clock.now() - record.updatedAt >= staleMs) return true;
    return liveness.isGone(record.owner);
  }

  async function takeOver(account: AccountId, key: string, record: { owner: string; updatedAt: number }): Promise<boolean> {
    try {
      return await store.takeOver(account, key, record, owner, clock.now());
    } catch (err) {
      if (!health.failed(err)) throw err;
      return false;
    }
  }

  /** Waits for another process to answer, taking the claim over as soon as nobody is working on it. */
  async function awaitElsewhere(account: AccountId, key: string, handler: () => Promise<Reply>, claimAgeMs: number): Promise<Reply> {
    const deadline = Date.now() + schedule.waitMs(claimAgeMs);
    for (;;) {
      const record = await store.get(account, key);
      if (!record || record.status === 'failed') return NO_REPLY;
      if (record.status === 'answered') return record.reply;
      const local = inflight.get(mapKey(account, key));
      if (local) return local.catch(() => NO_REPLY);
      if ((await orphaned(account, key, record)) && (await takeOver(account, key, record))) {
        logger.warn({ account, previousOwner: record.owner, claimAgeMs: clock.now() - record.createdAt }, 'took over a message whose handler is gone');
        return start(account, key, handler, true);
      }
      if (Date.now() >= deadline) return NO_REPLY;
      await sleep(pollMs);
    }
  }

  function fromRecord(account: AccountId, key: string, record: HandledRecord, handler: () => Promise<Reply>): Handling {
    const attempt = record.attempts;
    const age = Math.max(0, clock.now() - record.createdAt);
    const handling = (answer: Promise<Reply>) => new StoredHandling(shared, account, key, attempt, age, true, answer);
    switch (record.status) {
      case 'answered':
        return handling(Promise.resolve(record.reply));
      case 'failed':
        // The first delivery already answered `success` after the failure; side effects must not run again.
        return handling(Promise.resolve(NO_REPLY));
      case 'pending': {
        const remembered = memory.reply(account, key);
        if (remembered) return handling(Promise.resolve(remembered));
        const local = inflight.get(mapKey(account, key));
        return handling(local ? local.catch(() => NO_REPLY) : awaitElsewhere(account, key, handler, age));
      }
    }
  }

  return {
    /**
     * Runs `handler` once per (account, key), however many times the delivery arrives.
     * @example const turn = await dedup.run(inbound.account, inbound.dedupKey, () => pipeline(inbound));
     */
    async run(account: AccountId, key: string, handler: () => Promise<Reply>): Promise<Handling> {
      // Only while the disk fails (or just after) does memory hold anything: otherwise one size check.
      if (memory.size > 0) {
        const remembered = memory.reply(account, key);
        if (remembered) return new MemoryHandling(memory, account, key, memory.arrive(account, key), true, Promise.resolve(remembered));
      }
      let claim: Awaited<ReturnType<HandledMessageStore['claim']>>;
      const announcing = announce();
      if (announcing) await announcing;
      try {
        claim = await store.claim(account, key, owner, clock.now());
      } catch (err) {
        if (!health.failed(err)) throw err;
        // Degraded: the claim cannot be written. Answer from memory, once per process (see the header).
        const attempt = memory.arrive(account, key);
        const local = inflight.get(mapKey(account, key));
        if (local) return new MemoryHandling(memory, account, key, attempt, true, local.catch(() => NO_REPLY));
        return new MemoryHandling(memory, account, key, attempt, false, start(account, key, handler, false));
      }
      if (claim.claimed) return new StoredHandling(shared, account, key, 1, 0, false, start(account, key, handler, true));
      return fromRecord(account, key, claim.record, handler);
    },
    /**
     * Closes pending claims nobody will answer any more: past every delivery's window, and their owner gone
     * (or this process, no longer working on them). Logged loudly: each is an answer the follower never got.
     */
    async sweep(): Promise<number> {
      let closed = 0;
      const now = clock.now();
      for (const r of await store.pending()) {
        if (!schedule.outlived(now - r.createdAt) || !(await orphaned(r.account, r.key, r))) continue;
        // Answered by this process while its record could not be written: record it now, it was not lost.
        const remembered = r.owner === owner ? memory.reply(r.account, r.key) : undefined;
        if (remembered) {
          await store.answered(r.account, r.key, remembered, now);
          continue;
        }
        if (await store.abandon(r.account, r.key, r.owner, now)) {
          closed++;
          logger.error({ account: r.account, owner: r.owner, delivered: r.delivered, claimAgeMs: now - r.createdAt },
            'a message was never answered: its handler died and no retry came (closed as failed)');
        }
      }
      return closed;
    },
    /** Stops the heartbeat and gives up the lease (after the in-flight deliveries are done). */
    async stop(): Promise<void> {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      // The database closed or cannot be written: the lease lapses by itself.
      await liveness.forget().catch(() => undefined);
    },
    /** Deliveries still being handled in this process (graceful shutdown waits for them). */
    inflight(): Promise<unknown>[] {
      return [...inflight.values()].map((p) => p.catch(() => undefined));
    },
  };
}
