/**
 * The server's housekeeping on timers: old rows are deleted at start and every hour (handled-message records,
 * expired sessions, dead processes' liveness leases, idle follower buckets), orphaned dedup claims are closed every
 * few seconds, and the write-ahead log is checkpointed on a worker thread rather than by the commit of a follower's
 * answer.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import { startBackgroundCheckpoints } from '../db/checkpointer.ts';
import type { Db } from '../db/db.ts';
import type { Sql } from '../db/sql/sql.ts';
import { createHandledMessageStore } from '../db/handled-messages.ts';
import { pruneFollowerBuckets } from '../channels/wechat/shared-follower-limit.ts';
import { pruneProcessLeases } from '../db/liveness.ts';
import type { WriteHealth } from '../db/write-health.ts';

/** WeChat stops retrying a delivery after ~15 s; a day of records is ample for any retry and for debugging. */
const HANDLED_RECORD_TTL_MS = 24 * 3600_000;
/** Deleting old rows is housekeeping (no reader depends on their being gone): once an hour is enough. */
const PRUNE_INTERVAL_MS = 3600_000;
/** Sweeping reads the few pending rows (a partial index): cheap enough to run this often. */
const SWEEP_INTERVAL_MS = 5_000;

export interface MaintenanceOptions {
  /** The conversation sessions (their expired rows are deleted). */
  readonly sessions: { prune(now: number): Promise<number> };
  /** Closes pending claims nobody will answer any more (the agent's `sweep`). */
  readonly sweep: () => Promise<number>;
  /** Told of a sweep that failed on storage (it logs such failures once per burst). */
  readonly health: WriteHealth;
  readonly sql: Sql;
  /** SQLite's connection, whose write-ahead log is checkpointed in the background (null on PostgreSQL). */
  readonly db: Db | null;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Prunes once now, then starts the timers (unref'd: they never keep the process alive).
 * @example const maintenance = await startMaintenance({ sql, db, clock, logger, health, sessions, sweep: agent.sweep }); … maintenance.stop();
 */
export async function startMaintenance(options: MaintenanceOptions): Promise<{ stop(): void }> {
  const { sql, db, clock, logger, health, sessions } = options;
  const handled = createHandledMessageStore(sql);
  const prune = async () => {
    const removed = await handled.prune(clock.now() - HANDLED_RECORD_TTL_MS);
    const expired = await sessions.prune(clock.now());
    const leases = await pruneProcessLeases(sql, clock.now());
    // The shared rate limit's idle buckets (PostgreSQL only: on SQLite the buckets are in memory).
    const buckets = sql.dialect === 'postgres' ? await pruneFollowerBuckets(sql, clock.now()) : 0;
    if (removed + expired + leases + buckets > 0) {
      logger.debug({ removed, expired, leases, buckets }, 'pruned handled-message records, sessions, process leases and follower buckets');
    }
  };
  const pruned = () =>
    prune().catch((err: unknown) => {
      if (!health.failed(err)) logger.error({ err }, 'pruning old rows failed');
    });
  // The first prune is over before the server answers: nothing expired is ever read back.
  await pruned();
  const pruneTimer = setInterval(() => void pruned(), PRUNE_INTERVAL_MS).unref();
  // Claims left pending by a process that died with no retry coming are closed (and logged) once no delivery
  // can come.
  const sweep = () =>
    void options.sweep().catch((err: unknown) => {
      if (!health.failed(err)) logger.error({ err }, 'sweeping orphaned claims failed');
    });
  const sweepTimer = setInterval(sweep, SWEEP_INTERVAL_MS).unref();
  const checkpoints = db
    ? startBackgroundCheckpoints(db, { onError: (err) => logger.warn({ err }, 'the write-ahead log could not be checkpointed in the background') })
    : null;
  return {
    stop() {
      checkpoints?.stop();
      clearInterval(pruneTimer);
      clearInterval(sweepTimer);
    },
  };
}
