/** SQLite storage of broadcasts, their runs and the push settings (the outbox and ledger: run.ts, sender.ts). */
import type { Db } from '../db/db.ts';
import { bumpBroadcastRevision } from './revision.ts';
import { canMove, type Broadcast, type BroadcastDefinition, type BroadcastStatus, type PushChannel, type SkipReason } from './model.ts';
import { DEFAULT_PUSH_SETTINGS, type PushSettings } from './policy.ts';

/** A refused operation, with a code for HTTP status mapping and a message an operator can act on. */
export class PushError extends Error {
  override readonly name = 'PushError';
  constructor(readonly code: 'not_found' | 'conflict' | 'validation' | 'blocked', message: string) {
    super(message);
  }
}

interface BroadcastRow {
  id: number;
  account: string;
  definition: string;
  status: BroadcastStatus;
  last_occurrence: number | null;
  created_at: number;
  updated_at: number;
}
const fromRow = (r: BroadcastRow): Broadcast => ({
  id: r.id,
  account: r.account,
  status: r.status,
  definition: JSON.parse(r.definition) as BroadcastDefinition,
  lastOccurrence: r.last_occurrence,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

type RunStatus = 'sending' | 'done' | 'cancelled' | 'failed';
export interface RunCounts {
  audience: number;
  planned: number;
  skipped: Record<SkipReason, number>;
}
export interface Run {
  readonly id: number;
  readonly broadcastId: number;
  readonly account: string;
  readonly occurrence: string;
  readonly channel: PushChannel;
  readonly status: RunStatus;
  readonly message: unknown;
  readonly counts: RunCounts;
  readonly notBefore: number;
  readonly leaseOwner: string | null;
  readonly leaseUntil: number | null;
  readonly error: string | null;
  readonly createdAt: number;
  readonly finishedAt: number | null;
}
interface RunRow {
  id: number;
  broadcast_id: number;
  account: string;
  occurrence: string;
  channel: PushChannel;
  status: RunStatus;
  message: string;
  counts: string;
  not_before: number;
  lease_owner: string | null;
  lease_until: number | null;
  error: string | null;
  created_at: number;
  finished_at: number | null;
}
const runFromRow = (r: RunRow): Run => ({
  id: r.id,
  broadcastId: r.broadcast_id,
  account: r.account,
  occurrence: r.occurrence,
  channel: r.channel,
  status: r.status,
  message: JSON.parse(r.message) as unknown,
  counts: JSON.parse(r.counts) as RunCounts,
  notBefore: r.not_before,
  leaseOwner: r.lease_owner,
  leaseUntil: r.lease_until,
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

/** Outcome counts of a run's outbox. */
export type OutboxCounts = Record<'pending' | 'sending' | 'sent' | 'failed' | 'unknown' | 'skipped' | 'cancelled', number>;

/**
 * What a run's outbox came to: sent, failed (by the platform's error code), unknown (the call may or may not
 * have reached the follower: a timeout, or a sender killed mid-call), still to send, cancelled, and skipped
 * at send time (the customer-service window lapsed while the run waited).
 */
export interface RunOutcome {
  readonly sent: number;
  readonly failed: number;
  /** errcode → rows, e.g. { '45015': 2, '40003': 1 } (`0`: an error that is not the platform's). */
  readonly failedByCode: Record<string, number>;
  readonly unknown: number;
  /** Not sent yet (pending, or in a call right now). */
  readonly pending: number;
  readonly cancelled: number;
  readonly skippedAtSend: number;
}

/** One follower whose outcome needs the operator: `unknown`, or `failed` with its code. */
export interface FollowerOutcome {
  readonly user: string;
  readonly state: 'unknown' | 'failed';
  readonly code: number | null;
}

export function createBroadcastStore(db: Db) {
  const insert = db.prepare(`
    INSERT INTO broadcasts (account, name, definition, channel, status, reply_keyword, last_occurrence, created_at, updated_at)
    VALUES (@account, @name, @definition, @channel, @status, @replyKeyword, @lastOccurrence, @now, @now)`);
  const get = db.prepare<[number], BroadcastRow>('SELECT * FROM broadcasts WHERE id = ?');
  const list = db.prepare<[string], BroadcastRow>('SELECT * FROM broadcasts WHERE account = ? ORDER BY id');
  const scheduled = db.prepare<[], BroadcastRow>("SELECT * FROM broadcasts WHERE status = 'scheduled' ORDER BY id");
  const setStatus = db.prepare('UPDATE broadcasts SET status = ?, updated_at = ? WHERE id = ?');
  const setOccurrence = db.prepare('UPDATE broadcasts SET last_occurrence = ?, updated_at = ? WHERE id = ? AND (last_occurrence IS NULL OR last_occurrence < ?)');
  const getRun = db.prepare<[number], RunRow>('SELECT * FROM broadcast_runs WHERE id = ?');
  const runs = db.prepare<[number], RunRow>('SELECT * FROM broadcast_runs WHERE broadcast_id = ? ORDER BY id');
  const openRun = db.prepare<[number], RunRow>("SELECT * FROM broadcast_runs WHERE broadcast_id = ? AND status = 'sending' ORDER BY id LIMIT 1");
  const openRuns = db.prepare<[], RunRow>("SELECT * FROM broadcast_runs WHERE status = 'sending' ORDER BY id");
  const outbox = db.prepare<[number], { state: keyof OutboxCounts; n: number }>('SELECT state, COUNT(*) AS n FROM push_outbox WHERE run_id = ? GROUP BY state');
  const outcome = db.prepare<[number], { state: keyof OutboxCounts; code: number | null; n: number }>(
    'SELECT state, code, COUNT(*) AS n FROM push_outbox WHERE run_id = ? GROUP BY state, code');
  const undecided = db.prepare<[number], { user_id: string; state: 'unknown' | 'failed'; code: number | null }>(
    "SELECT user_id, state, code FROM push_outbox WHERE run_id = ? AND state IN ('unknown', 'failed') ORDER BY state DESC, user_id");
  const settingsGet = db.prepare<[string], { weekly_cap: number; quiet_start: string; quiet_end: string; tz: string }>('SELECT * FROM push_settings WHERE account = ?');
  const settingsPut = db.prepare(`
    INSERT INTO push_settings (account, weekly_cap, quiet_start, quiet_end, tz, updated_at) VALUES (@account, @weeklyCap, @quietStart, @quietEnd, @tz, @now)
    ON CONFLICT (account) DO UPDATE SET weekly_cap = excluded.weekly_cap, quiet_start = excluded.quiet_start,
      quiet_end = excluded.quiet_end, tz = excluded.tz, updated_at = excluded.updated_at`);

  const self = {
    /** Stores a validated definition: `scheduled` when it has a schedule, `draft` otherwise. */
    create(account: string, def: BroadcastDefinition, now: number): Broadcast {
      const id = Number(
        insert.run({
          account, name: def.name, definition: JSON.stringify(def), channel: def.channel,
          status: def.schedule ? 'scheduled' : 'draft', replyKeyword: def.replies?.keyword ?? null,
          // Cron occurrences before the broadcast existed are not "missed"; a one-shot `at` has one occurrence.
          lastOccurrence: def.schedule && 'cron' in def.schedule ? now : null, now,
        }).lastInsertRowid,
      );
      bumpBroadcastRevision(db);
      return self.get(id)!;
    },
    get(id: number): Broadcast | null {
      const r = get.get(id);
      return r ? fromRow(r) : null;
    },
    require(id: number, account?: string): Broadcast {
      const b = self.get(id);
      if (!b || (account !== undefined && b.account !== account)) throw new PushError('not_found', `no broadcast ${id}${account ? ` in account ${account}` : ''}: see guang broadcast list`);
      return b;
    },
    list: (account: string): Broadcast[] => list.all(account).map(fromRow),
    scheduled: (): Broadcast[] => scheduled.all().map(fromRow),
    /** Moves along the lifecycle; an illegal move throws PushError('conflict'). */
    move(id: number, to: BroadcastStatus, now: number): void {
      const b = self.require(id);
      if (!canMove(b.status, to)) throw new PushError('conflict', `broadcast ${id} is ${b.status}; it cannot become ${to}`);
      setStatus.run(to, now, id);
      bumpBroadcastRevision(db);
    },
    /** Records the occurrence handled; false when another scheduler already did (compare-and-set). */
    markOccurrence(id: number, occurrence: number, now: number): boolean {
      return setOccurrence.run(occurrence, now, id, occurrence).changes === 1;
    },
    run(id: number): Run | null {
      const r = getRun.get(id);
      return r ? runFromRow(r) : null;
    },
    runs: (broadcastId: number): Run[] => runs.all(broadcastId).map(runFromRow),
    openRun(broadcastId: number): Run | null {
      const r = openRun.get(broadcastId);
      return r ? runFromRow(r) : null;
    },
    openRuns: (): Run[] => openRuns.all().map(runFromRow),
    outboxCounts(runId: number): OutboxCounts {
      const c: OutboxCounts = { pending: 0, sending: 0, sent: 0, failed: 0, unknown: 0, skipped: 0, cancelled: 0 };
      for (const r of outbox.all(runId)) c[r.state] = r.n;
      return c;
    },
    runOutcome(runId: number): RunOutcome {
      const o = { sent: 0, failed: 0, failedByCode: {} as Record<string, number>, unknown: 0, pending: 0, cancelled: 0, skippedAtSend: 0 };
      for (const r of outcome.all(runId)) {
        if (r.state === 'failed') {
          o.failed += r.n;
          const code = String(r.code ?? 0);
          o.failedByCode[code] = (o.failedByCode[code] ?? 0) + r.n;
        } else if (r.state === 'pending' || r.state === 'sending') o.pending += r.n;
        else if (r.state === 'skipped') o.skippedAtSend += r.n;
        else o[r.state] += r.n;
      }
      return o;
    },
    /** The followers of a run whose outcome is unknown (first), then those who failed; full openids. */
    undecidedFollowers: (runId: number): FollowerOutcome[] => undecided.all(runId).map((r) => ({ user: r.user_id, state: r.state, code: r.code })),
    settings(account: string): PushSettings {
      const r = settingsGet.get(account);
      return r ? { weeklyCap: r.weekly_cap, quietStart: r.quiet_start, quietEnd: r.quiet_end, tz: r.tz } : DEFAULT_PUSH_SETTINGS;
    },
    saveSettings(account: string, s: PushSettings, now: number): PushSettings {
      settingsPut.run({ account, ...s, now });
      return self.settings(account);
    },
  };
  return self;
}
