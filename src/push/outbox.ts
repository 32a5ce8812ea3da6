/**
 * The push room's tables: broadcasts, their runs (with the sender's lease), the outbox (one row per run and
 * follower), mass jobs, push settings and collected replies; the send ledger is written through ledger.ts and the
 * planner's reads are in audience-reads.ts. Written once against `Sql` (SQLite or PostgreSQL); one
 * instance per adapter (`pushOutbox(sql)`).
 *
 * Each method is one statement or one transaction. Where several writes must commit together — planning a run,
 * taking the lease, claiming rows, recording outcomes, finishing, cancelling — the method is that transaction.
 * Several instances may share one PostgreSQL database (READ COMMITTED), so every read-then-write here either
 * locks the row it read (`SELECT … FOR UPDATE`, PostgreSQL only: SQLite's write lock already serialises the
 * units) or writes conditionally and looks at what changed: the lease goes to one sender, claimed rows are
 * disjoint (`FOR UPDATE SKIP LOCKED`), an occurrence is planned once (the exactly-once protocol: sender.ts).
 */
import { takeNextRevision } from '../db/change-notices.ts';
import type { Param, Sql, Tx } from '../db/sql/sql.ts';
import type { SqliteSql } from '../db/sql/sqlite.ts';
import {
  canMove, movesAfterPlanning, parseFrozenMessage, PushError, recurs, statusAfterRun,
  type Broadcast, type BroadcastDefinition, type BroadcastStatus, type FollowerOutcome, type FrozenMessage, type OutboxCounts, type PushChannel,
  type Run, type RunCounts, type RunOutcome, type RunStatus,
} from './model.ts';
import { clientMsgId, DEFAULT_PUSH_SETTINGS, massBatchOf, type PushSettings, type Recipient } from './policy.ts';
import { bumpBroadcastRevision } from './revision.ts';
import { inChunks, marks, recordSends, rowsOf, type LedgerEntry } from './ledger.ts';
import { pickProducts, readRecipients, type ProductPick, type RecipientQuery } from './audience-reads.ts';

/** Statements, outside a transaction (`Sql`) or inside one (`Tx`). */
type Q = Pick<Sql, 'dialect' | 'all' | 'get' | 'run'>;

// ── rows ─────────────────────────────────────────────────────────────────────────────────────────────

interface BroadcastRow {
  id: number;
  account: string;
  definition: string;
  status: BroadcastStatus;
  last_occurrence: number | null;
  created_at: number;
  updated_at: number;
}
// Definitions are written only after parseBroadcast (model.ts) accepted them.
const definitionOf = (json: string): BroadcastDefinition => JSON.parse(json) as BroadcastDefinition;
const fromRow = (r: BroadcastRow): Broadcast => ({
  id: r.id, account: r.account, status: r.status, definition: definitionOf(r.definition),
  lastOccurrence: r.last_occurrence, createdAt: r.created_at, updatedAt: r.updated_at,
});

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
  id: r.id, broadcastId: r.broadcast_id, account: r.account, occurrence: r.occurrence, channel: r.channel, status: r.status,
  counts: JSON.parse(r.counts) as RunCounts, notBefore: r.not_before, leaseOwner: r.lease_owner, leaseUntil: r.lease_until,
  error: r.error, createdAt: r.created_at, finishedAt: r.finished_at,
});

/** An outbox row as stored, claimed by a sender. */
export interface OutboxRow {
  readonly user_id: string;
  readonly batch: number;
  readonly attempts: number;
  readonly last_message_at: number | null;
}
/** What became of one claimed row: its next state (`pending` again for a retry), code and retry time. */
export interface RowUpdate {
  readonly user: string;
  readonly state: 'pending' | 'sent' | 'failed' | 'unknown' | 'skipped';
  readonly code: number | null;
  readonly nextAt: number;
}
type LeaseClaim = { readonly ok: true } | { readonly ok: false; readonly status: Exclude<RunStatus, 'sending'> | 'busy'; readonly detail?: string };
/** Who sends and until when the lease they take or renew holds. */
export interface Lease {
  readonly owner: string;
  readonly now: number;
  readonly leaseMs: number;
}

/** A run as planned, written with its outbox rows (and mass jobs) in one transaction. */
interface PlannedRun {
  readonly broadcast: Pick<Broadcast, 'id' | 'account'>;
  readonly occurrence: string;
  readonly channel: PushChannel;
  readonly message: FrozenMessage;
  readonly counts: RunCounts;
  readonly notBefore: number;
  /** The recipients in order, and each one's last message time (the sender re-checks the 48-hour window). */
  readonly users: readonly string[];
  readonly lastMessageAt: readonly (number | null)[];
  /** Mass batches the recipients split into (customer-service runs: one row per batch number). */
  readonly batches: number;
}

interface CollectedReply {
  readonly broadcast: number;
  readonly user: string;
  readonly text: string;
  readonly reason: string;
  readonly at: number;
}

const outboxes = new WeakMap<Sql, PushOutbox>();

/**
 * The push tables behind one adapter (created on first use, then shared by the service, planner and sender).
 * @example const run = await pushOutbox(sql).openRun(broadcastId);
 */
export function pushOutbox(sql: Sql): PushOutbox {
  let outbox = outboxes.get(sql);
  if (!outbox) outboxes.set(sql, (outbox = createOutbox(sql)));
  return outbox;
}
export type PushOutbox = ReturnType<typeof createOutbox>;

type RunStateRow = { status: RunStatus; lease_owner: string | null; lease_until: number | null; not_before: number };
const OUTBOX_ROW = "(?, ?, ?, 'pending', ?, ?)";
/** Outbox rows per statement on PostgreSQL (insertRows): a 1M-follower run is ~200 statements of one shape. */
const OUTBOX_PART = 5_000;

function createOutbox(sql: Sql) {
  const postgres = sql.dialect === 'postgres';
  /** Locks the row read for the rest of the transaction (PostgreSQL; SQLite's write lock already does). */
  const FOR_UPDATE = postgres ? ' FOR UPDATE' : '';
  /** Claims rows no other transaction is claiming, skipping those that are (PostgreSQL). */
  const SKIP_LOCKED = postgres ? ' FOR UPDATE SKIP LOCKED' : '';

  /**
   * The last statement of every transaction that changes broadcasts: takes the next broadcast revision and, on
   * PostgreSQL, notifies every instance's reply collection (invitations.ts) in the same statement. Last, because it
   * locks the revision row until the commit: a planning transaction writing a million outbox rows holds it for
   * its commit only, and no transaction waits for another lock while holding it.
   */
  const revised = (tx: Tx): Promise<number> => takeNextRevision(tx, 'broadcast_rev');
  /** Broadcasts changed (committed): tell this process's reply collection at once on SQLite (revision.ts). */
  function changed(): void {
    if (sql.dialect === 'sqlite') bumpBroadcastRevision((sql as SqliteSql).db);
  }

  const pushed = (run: Run, user: string, channel: PushChannel, outcome: 'sent' | 'unknown', at: number): LedgerEntry =>
    ({ kind: 'push', account: run.account, user, broadcast: run.broadcastId, run: run.id, channel, outcome, at });

  async function broadcastOf(q: Q, id: number, lock = ''): Promise<Broadcast | null> {
    const r = await q.get<BroadcastRow>(`SELECT * FROM broadcasts WHERE id = ?${lock}`, [id]);
    return r ? fromRow(r) : null;
  }
  async function required(q: Q, id: number, account?: string, lock = ''): Promise<Broadcast> {
    const b = await broadcastOf(q, id, lock);
    if (!b || (account !== undefined && b.account !== account)) throw new PushError('not_found', `no broadcast ${id}${account ? ` in account ${account}` : ''}: see guang broadcast list`);
    return b;
  }
  async function runOf(q: Q, id: number): Promise<Run | null> {
    const r = await q.get<RunRow>('SELECT * FROM broadcast_runs WHERE id = ?', [id]);
    return r ? runFromRow(r) : null;
  }
  async function openRunOf(q: Q, broadcastId: number): Promise<Run | null> {
    const r = await q.get<RunRow>("SELECT * FROM broadcast_runs WHERE broadcast_id = ? AND status = 'sending' ORDER BY id LIMIT 1", [broadcastId]);
    return r ? runFromRow(r) : null;
  }
  const runsOf = async (q: Q, broadcastId: number): Promise<Run[]> =>
    (await q.all<RunRow>('SELECT * FROM broadcast_runs WHERE broadcast_id = ? ORDER BY id', [broadcastId])).map(runFromRow);

  /**
   * Moves a broadcast read in this same transaction along the lifecycle. The UPDATE is conditional on the status
   * read: a broadcast another instance moved meanwhile is a conflict, never overwritten.
   */
  async function moveFrom(tx: Tx, b: Broadcast, to: BroadcastStatus, now: number): Promise<Broadcast> {
    if (!canMove(b.status, to)) throw new PushError('conflict', `broadcast ${b.id} is ${b.status}; it cannot become ${to}`);
    const { changes } = await tx.run('UPDATE broadcasts SET status = ?, updated_at = ? WHERE id = ? AND status = ?', [to, now, b.id, b.status]);
    if (changes !== 1) throw new PushError('conflict', `broadcast ${b.id} changed meanwhile; try again`);
    return { ...b, status: to, updatedAt: now };
  }

  /** The outbox rows of a planned run, many per statement. */
  async function insertRows(tx: Tx, runId: number, p: PlannedRun, now: number): Promise<void> {
    const total = p.users.length;
    const mass = p.channel === 'mass';
    const batchOf = (i: number) => (mass ? massBatchOf(i, p.batches, total) : i);
    if (postgres) {
      // A round trip and 1,280 parameters per 256 rows cost PostgreSQL's planning of a 1M-follower run a third of its
      // time, most of it the client's: the columns go as three JSON arrays instead, OUTBOX_PART rows a statement.
      for (let from = 0; from < total; from += OUTBOX_PART) {
        const to = Math.min(total, from + OUTBOX_PART);
        await tx.run(
          `INSERT INTO push_outbox (run_id, user_id, batch, state, last_message_at, updated_at)
           SELECT ?, r.user_id, CAST(r.batch AS integer), 'pending', CAST(r.last_message_at AS bigint), ?
           FROM ROWS FROM (json_array_elements_text(CAST(? AS json)), json_array_elements_text(CAST(? AS json)), json_array_elements_text(CAST(? AS json)))
             AS r(user_id, batch, last_message_at)`,
          [runId, now, JSON.stringify(p.users.slice(from, to)), JSON.stringify(Array.from({ length: to - from }, (_, k) => batchOf(from + k))),
            JSON.stringify(p.lastMessageAt.slice(from, to))],
        );
      }
      return;
    }
    const indexes = Array.from({ length: total }, (_, i) => i);
    await inChunks(indexes, async (part) => {
      const params: Param[] = [];
      for (const i of part) params.push(runId, p.users[i]!, batchOf(i), p.lastMessageAt[i] ?? null, now);
      await tx.run(`INSERT INTO push_outbox (run_id, user_id, batch, state, last_message_at, updated_at) VALUES ${rowsOf(OUTBOX_ROW, part.length)}`, params);
    });
  }

  /** The claimed rows' outcome, one UPDATE per chunk of rows with the same outcome; the users it changed. */
  async function settleRows(tx: Tx, runId: number, updates: readonly RowUpdate[], now: number): Promise<Set<string>> {
    const groups = new Map<string, RowUpdate[]>();
    for (const u of updates) {
      const key = `${u.state}\n${u.code}\n${u.nextAt}`;
      const g = groups.get(key);
      if (g) g.push(u);
      else groups.set(key, [u]);
    }
    const changed = new Set<string>();
    for (const g of groups.values()) {
      const { state, code, nextAt } = g[0]!;
      await inChunks(g, async (part) => {
        // Only rows still `sending`: a row whose lease was taken over meanwhile (it became unknown or pending
        // again under the new holder) keeps the new holder's state, and gets no second ledger entry.
        const rows = await tx.all<{ user_id: string }>(
          `UPDATE push_outbox SET state = ?, code = ?, next_at = ?, updated_at = ? WHERE run_id = ? AND state = 'sending' AND user_id IN (${marks(part.length)}) RETURNING user_id`,
          [state, code, nextAt, now, runId, ...part.map((u) => u.user)],
        );
        for (const r of rows) changed.add(r.user_id);
      });
    }
    return changed;
  }

  const self = {
    // ── broadcasts ──
    /** Stores a validated definition: `scheduled` when it has a schedule, `draft` otherwise. */
    async create(account: string, def: BroadcastDefinition, now: number): Promise<Broadcast> {
      const row = await sql.transaction(async (tx) => {
        const inserted = await tx.get<BroadcastRow>(
          `INSERT INTO broadcasts (account, name, definition, channel, status, reply_keyword, last_occurrence, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
          [
            account, def.name, JSON.stringify(def), def.channel, def.schedule ? 'scheduled' : 'draft', def.replies?.keyword ?? null,
            // Cron occurrences before the broadcast existed are not "missed"; a one-shot `at` has one occurrence.
            def.schedule && 'cron' in def.schedule ? now : null, now, now,
          ],
        );
        await revised(tx);
        return inserted;
      });
      changed();
      return fromRow(row!);
    },
    broadcast: (id: number): Promise<Broadcast | null> => broadcastOf(sql, id),
    require: (id: number, account?: string): Promise<Broadcast> => required(sql, id, account),
    list: async (account: string): Promise<Broadcast[]> =>
      (await sql.all<BroadcastRow>('SELECT * FROM broadcasts WHERE account = ? ORDER BY id', [account])).map(fromRow),
    scheduled: async (): Promise<Broadcast[]> =>
      (await sql.all<BroadcastRow>("SELECT * FROM broadcasts WHERE status = 'scheduled' ORDER BY id")).map(fromRow),
    /** Moves along the lifecycle; an illegal move throws PushError('conflict'). */
    async move(id: number, to: BroadcastStatus, now: number): Promise<void> {
      await sql.transaction(async (tx) => {
        await moveFrom(tx, await required(tx, id, undefined, FOR_UPDATE), to, now);
        await revised(tx);
      });
      changed();
    },
    /**
     * Records the occurrence handled; false when another scheduler already did. One conditional UPDATE: on
     * PostgreSQL a second instance's UPDATE waits for the first to commit and then finds the condition false.
     */
    async markOccurrence(id: number, occurrence: number, now: number): Promise<boolean> {
      const { changes } = await sql.run(
        'UPDATE broadcasts SET last_occurrence = ?, updated_at = ? WHERE id = ? AND (last_occurrence IS NULL OR last_occurrence < ?)',
        [occurrence, now, id, occurrence],
      );
      return changes === 1;
    },
    /**
     * Replaces the definition of a broadcast that is not sending: a draft, or a scheduled one between runs. It
     * becomes `scheduled` or `draft` as `create` would make it, and a cron schedule counts from now (its
     * occurrences before the edit are not "missed"). The runs it made so far stay as they were sent.
     * PushError('conflict') for one sending, finished, failed or cancelled.
     */
    async update(id: number, def: BroadcastDefinition, now: number): Promise<Broadcast> {
      await sql.transaction(async (tx) => {
        // Locked: a run planned meanwhile by another instance (recordRun locks the broadcast too) waits or is seen.
        const b = await required(tx, id, undefined, FOR_UPDATE);
        if ((b.status !== 'draft' && b.status !== 'scheduled') || (await openRunOf(tx, id)) !== null) {
          throw new PushError('conflict', `broadcast ${id} is ${b.status === 'scheduled' ? 'sending a run' : b.status}; only a draft or a scheduled broadcast between runs can be edited`);
        }
        await tx.run(
          `UPDATE broadcasts SET name = ?, definition = ?, channel = ?, status = ?, reply_keyword = ?, last_occurrence = ?, updated_at = ?
           WHERE id = ? AND status IN ('draft', 'scheduled')`,
          [def.name, JSON.stringify(def), def.channel, def.schedule ? 'scheduled' : 'draft', def.replies?.keyword ?? null, def.schedule && 'cron' in def.schedule ? now : null, now, id],
        );
        await revised(tx);
      });
      changed();
      return self.require(id);
    },
    /** Cancels the broadcast, its unfinished runs and every row not yet sent, in one transaction. */
    async cancel(id: number, now: number): Promise<void> {
      await sql.transaction(async (tx) => {
        await moveFrom(tx, await required(tx, id, undefined, FOR_UPDATE), 'cancelled', now);
        for (const r of (await runsOf(tx, id)).filter((x) => x.status === 'sending')) {
          await tx.run("UPDATE broadcast_runs SET status = 'cancelled', finished_at = ?, updated_at = ? WHERE id = ? AND status = 'sending'", [now, now, r.id]);
          await tx.run("UPDATE push_outbox SET state = 'cancelled', updated_at = ? WHERE run_id = ? AND state = 'pending'", [now, r.id]);
        }
        await revised(tx);
      });
      changed();
    },
    /**
     * `send --retry-unknown` after the run finished: the run (done) and its broadcast go back to `sending`.
     * done → sending is no lifecycle move an operator may make; it is this retry's alone (the run ends it again).
     */
    async reopen(run: Run, now: number): Promise<void> {
      await sql.transaction(async (tx) => {
        await tx.run("UPDATE broadcast_runs SET status = 'sending', finished_at = NULL, updated_at = ? WHERE id = ? AND status = 'done'", [now, run.id]);
        await tx.run("UPDATE broadcasts SET status = 'sending', updated_at = ? WHERE id = ? AND status = 'done'", [now, run.broadcastId]);
        await revised(tx);
      });
      changed();
    },

    // ── runs ──
    run: (id: number): Promise<Run | null> => runOf(sql, id),
    runs: (broadcastId: number): Promise<Run[]> => runsOf(sql, broadcastId),
    openRun: (broadcastId: number): Promise<Run | null> => openRunOf(sql, broadcastId),
    openRuns: async (): Promise<Run[]> => (await sql.all<RunRow>("SELECT * FROM broadcast_runs WHERE status = 'sending' ORDER BY id")).map(runFromRow),
    /**
     * Writes a planned run and one outbox row per recipient (and a mass job per batch) in ONE transaction — a
     * crash leaves either no run or all of it — and moves the broadcast as planning a run does (sending, or on
     * to done/scheduled for a run with nobody to send to: movesAfterPlanning).
     *
     * The broadcast row is locked first, so two instances planning the same occurrence (two schedulers) take
     * turns: the second finds the first's run and returns it, moving nothing. So does a manual send (`manual:…`)
     * that finds the broadcast's run still sending, whichever instance planned it.
     */
    async recordRun(p: PlannedRun, now: number): Promise<Run> {
      const run = await sql.transaction(async (tx): Promise<Run> => {
        const b = await required(tx, p.broadcast.id, undefined, FOR_UPDATE);
        const existing = await tx.get<{ id: number }>('SELECT id FROM broadcast_runs WHERE broadcast_id = ? AND occurrence = ?', [b.id, p.occurrence]);
        if (existing) return (await runOf(tx, existing.id))!;
        if (p.occurrence.startsWith('manual:')) {
          const open = await openRunOf(tx, b.id);
          if (open) return open;
        }
        const total = p.users.length;
        const status = total === 0 ? 'done' : 'sending';
        const row = (await tx.get<RunRow>(
          `INSERT INTO broadcast_runs (account, broadcast_id, occurrence, channel, status, message, counts, not_before, created_at, updated_at, finished_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
          [b.account, b.id, p.occurrence, p.channel, status, JSON.stringify(p.message), JSON.stringify(p.counts), p.notBefore, now, now, status === 'done' ? now : null],
        ))!;
        await insertRows(tx, row.id, p, now);
        if (p.channel === 'mass') {
          for (let k = 0; k < (total === 0 ? 0 : p.batches); k++) {
            await tx.run('INSERT INTO push_mass_jobs (run_id, batch, client_msg_id, updated_at) VALUES (?, ?, ?, ?)', [row.id, k, clientMsgId(row.id, k), now]);
          }
        }
        let current = b;
        for (const to of movesAfterPlanning(b.status, status, recurs(b.definition))) current = await moveFrom(tx, current, to, now);
        await revised(tx);
        return runFromRow(row);
      });
      changed();
      return run;
    },
    async outboxCounts(runId: number): Promise<OutboxCounts> {
      const c: OutboxCounts = { pending: 0, sending: 0, sent: 0, failed: 0, unknown: 0, skipped: 0, cancelled: 0 };
      const rows = await sql.all<{ state: keyof OutboxCounts; n: number }>('SELECT state, COUNT(*) AS n FROM push_outbox WHERE run_id = ? GROUP BY state', [runId]);
      for (const r of rows) c[r.state] = r.n;
      return c;
    },
    async runOutcome(runId: number): Promise<RunOutcome> {
      const o = { sent: 0, failed: 0, failedByCode: {} as Record<string, number>, unknown: 0, pending: 0, cancelled: 0, skippedAtSend: 0 };
      const rows = await sql.all<{ state: keyof OutboxCounts; code: number | null; n: number }>(
        'SELECT state, code, COUNT(*) AS n FROM push_outbox WHERE run_id = ? GROUP BY state, code', [runId]);
      for (const r of rows) {
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
    undecidedFollowers: async (runId: number): Promise<FollowerOutcome[]> =>
      (await sql.all<{ user_id: string; state: 'unknown' | 'failed'; code: number | null }>(
        "SELECT user_id, state, code FROM push_outbox WHERE run_id = ? AND state IN ('unknown', 'failed') ORDER BY state DESC, user_id", [runId],
      )).map((r) => ({ user: r.user_id, state: r.state, code: r.code })),

    // ── sending (the protocol: sender.ts) ──
    /** The run a sender is about to send, read once, with its frozen message checked against its schema. */
    async runToSend(runId: number): Promise<{ run: Run; message: FrozenMessage } | null> {
      const r = await sql.get<RunRow>('SELECT * FROM broadcast_runs WHERE id = ?', [runId]);
      return r ? { run: runFromRow(r), message: parseFrozenMessage(r.id, r.message) } : null;
    },
    /** The run's status and the time before which it may not send. */
    async runState(runId: number): Promise<{ status: RunStatus; notBefore: number }> {
      const r = (await sql.get<RunStateRow>('SELECT status, not_before FROM broadcast_runs WHERE id = ?', [runId]))!;
      return { status: r.status, notBefore: r.not_before };
    },
    /**
     * Takes the run's lease, unless another live sender holds it (`canTakeOver`: its owner is known dead), and
     * settles the rows a previous holder left mid-call: mass rows go back to pending (re-sent with the same
     * clientmsgid), customer-service rows become unknown and go in the ledger. One transaction, with the run's
     * row locked from the read on: of two instances racing for it, the second sees the first's lease.
     */
    async claimLease(run: Run, lease: Lease, opts: { retryUnknown: boolean; canTakeOver: (holder: string) => boolean }): Promise<LeaseClaim> {
      return sql.transaction(async (tx): Promise<LeaseClaim> => {
        const r = (await tx.get<RunStateRow>(`SELECT status, lease_owner, lease_until, not_before FROM broadcast_runs WHERE id = ?${FOR_UPDATE}`, [run.id]))!;
        if (r.status !== 'sending') return { ok: false, status: r.status };
        const { owner, now } = lease;
        if (r.lease_owner && r.lease_owner !== owner && r.lease_until !== null && r.lease_until > now && !opts.canTakeOver(r.lease_owner)) {
          return { ok: false, status: 'busy', detail: `sent by ${r.lease_owner} (lease until ${new Date(r.lease_until).toISOString()})` };
        }
        await tx.run('UPDATE broadcast_runs SET lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?', [owner, now + lease.leaseMs, now, run.id]);
        const orphans = await tx.all<{ user_id: string }>(
          `UPDATE push_outbox SET state = ?, code = NULL, next_at = 0, updated_at = ? WHERE run_id = ? AND state = 'sending' RETURNING user_id`,
          [run.channel === 'mass' ? 'pending' : 'unknown', now, run.id],
        );
        if (run.channel !== 'mass') await recordSends(tx, orphans.map((row) => pushed(run, row.user_id, 'custom', 'unknown', now)));
        if (opts.retryUnknown) await tx.run("UPDATE push_outbox SET state = 'pending', next_at = 0, updated_at = ? WHERE run_id = ? AND state = 'unknown'", [now, run.id]);
        return { ok: true };
      });
    },
    /**
     * Renews the lease and marks the next rows `sending` (committed before their call): the next mass batch,
     * or up to `limit` customer-service rows due now. Null when the lease is lost or the run cancelled.
     * The rows returned are those this UPDATE changed; on PostgreSQL rows another transaction is claiming are
     * skipped (SKIP LOCKED), so claims from several workers never overlap.
     */
    async claimRows(run: Run, lease: Lease, limit: number): Promise<OutboxRow[] | null> {
      return sql.transaction(async (tx): Promise<OutboxRow[] | null> => {
        const { now } = lease;
        const renewed = await tx.run("UPDATE broadcast_runs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND status = 'sending'", [now + lease.leaseMs, run.id, lease.owner]);
        if (renewed.changes !== 1) return null;
        let rows: OutboxRow[];
        if (run.channel === 'mass') {
          // A batch is claimed whole, by its mass job's row: the lock on it keeps another worker off the batch.
          const b = await tx.get<{ batch: number }>(
            `SELECT j.batch FROM push_mass_jobs j WHERE j.run_id = ? AND EXISTS (
               SELECT 1 FROM push_outbox o WHERE o.run_id = j.run_id AND o.batch = j.batch AND o.state = 'pending' AND o.next_at <= ?)
             ORDER BY j.batch LIMIT 1${SKIP_LOCKED}`,
            [run.id, now],
          );
          rows = b
            ? await tx.all<OutboxRow>(
              `UPDATE push_outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE run_id = ? AND batch = ? AND state = 'pending'
               RETURNING user_id, batch, attempts - 1 AS attempts, last_message_at`,
              [now, run.id, b.batch],
            )
            : [];
        } else {
          // The rows picked once, in a CTE: PostgreSQL may run an `IN (SELECT … LIMIT)` again per row updated,
          // each time past the rows just marked, and so claim the whole outbox.
          rows = await tx.all<OutboxRow>(
            `WITH picked AS MATERIALIZED (
               SELECT user_id AS picked_user FROM push_outbox WHERE run_id = ? AND state = 'pending' AND next_at <= ? ORDER BY batch LIMIT ?${SKIP_LOCKED})
             UPDATE push_outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? FROM picked
             WHERE run_id = ? AND user_id = picked.picked_user AND state = 'pending'
             RETURNING user_id, batch, attempts - 1 AS attempts, last_message_at`,
            [run.id, now, limit, now, run.id],
          );
        }
        return rows.sort((a, b) => a.batch - b.batch || (a.user_id < b.user_id ? -1 : 1));
      });
    },
    /**
     * Commits claimed rows' outcomes, the ledger entry of each sent or unknown one, and a mass batch's msg_id.
     * A row no longer `sending` (its lease was taken over meanwhile) keeps what the new holder made of it.
     */
    async recordOutcomes(run: Run, updates: readonly RowUpdate[], massJob: { readonly batch: number; readonly msgId: string } | null, now: number): Promise<void> {
      await sql.transaction(async (tx) => {
        const settled = await settleRows(tx, run.id, updates, now);
        const entries = updates
          .filter((u) => (u.state === 'sent' || u.state === 'unknown') && settled.has(u.user))
          .map((u) => pushed(run, u.user, run.channel, u.state as 'sent' | 'unknown', now));
        await recordSends(tx, entries);
        if (massJob) await tx.run('UPDATE push_mass_jobs SET msg_id = ?, updated_at = ? WHERE run_id = ? AND batch = ?', [massJob.msgId, now, run.id, massJob.batch]);
      });
    },
    /** When the earliest pending row (a retry waiting out its back-off) is due; null when none is pending. */
    nextDueAt: async (runId: number): Promise<number | null> =>
      (await sql.get<{ at: number | null }>("SELECT MIN(next_at) AS at FROM push_outbox WHERE run_id = ? AND state = 'pending'", [runId]))?.at ?? null,
    /** Holds the run until `at` (quiet hours); the scheduler resumes it then. */
    async holdUntil(runId: number, at: number): Promise<void> {
      await sql.run('UPDATE broadcast_runs SET not_before = ? WHERE id = ?', [at, runId]);
    },
    /** Ends a drained run and moves its broadcast on (statusAfterRun), in one transaction. */
    async finishRun(run: Run, status: 'done' | 'failed', now: number): Promise<void> {
      await sql.transaction(async (tx) => {
        // The broadcast first, locked, as recordRun, update and cancel lock it: the same order everywhere.
        const b = await required(tx, run.broadcastId, undefined, FOR_UPDATE);
        const finished = await tx.run(
          "UPDATE broadcast_runs SET status = ?, finished_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'sending'",
          [status, now, now, run.id],
        );
        if (finished.changes !== 1) return;
        const next = statusAfterRun(b, status);
        if (next) await moveFrom(tx, b, next, now);
        await revised(tx);
      });
      changed();
    },
    async releaseLease(runId: number, owner: string): Promise<void> {
      await sql.run('UPDATE broadcast_runs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?', [runId, owner]);
    },

    // ── mass jobs ──
    /** Records a job's final counts (MASSSENDJOBFINISH); the run and batch it belongs to, or null for a job sent elsewhere. */
    async massJobFinished(msgId: string, r: { status: string; totalCount: number; filterCount: number; sentCount: number; errorCount: number }, now: number): Promise<{ run: number; batch: number } | null> {
      // A write that returns rows: a unit of its own (`get` outside a transaction is for reads).
      const job = await sql.transaction((tx) => tx.get<{ run_id: number; batch: number }>(
        `UPDATE push_mass_jobs SET status = ?, total_count = ?, filter_count = ?, sent_count = ?, error_count = ?, updated_at = ?
         WHERE msg_id = ? RETURNING run_id, batch`,
        [r.status, r.totalCount, r.filterCount, r.sentCount, r.errorCount, now, msgId],
      ));
      return job ? { run: job.run_id, batch: job.batch } : null;
    },
    /** The platform's counts over a run's jobs (null fields: no MASSSENDJOBFINISH yet for some batch). */
    massJobTotals: async (runId: number) =>
      (await sql.get<{ jobs: number; finished: number; total: number | null; filtered: number | null; sent: number | null; errors: number | null }>(`
        SELECT COUNT(*) AS jobs, COUNT(status) AS finished, SUM(total_count) AS total, SUM(filter_count) AS filtered,
          SUM(sent_count) AS sent, SUM(error_count) AS errors FROM push_mass_jobs WHERE run_id = ?`, [runId]))!,

    // ── planning reads ──
    /** Mass runs the account sent since `since`, from the ledger. */
    massRunsSince: async (account: string, since: number): Promise<number> =>
      (await sql.get<{ n: number }>("SELECT COUNT(DISTINCT run_id) AS n FROM push_ledger WHERE account = ? AND channel = 'mass' AND sent_at >= ?", [account, since]))?.n ?? 0,
    /** Streams the facts the audience needs about every WeChat follower of the account, a page at a time (audience-reads.ts). */
    recipients: (q: RecipientQuery): AsyncGenerator<Recipient[]> => readRecipients(sql, q),
    /** The newest products of a product pick, for the planner to freeze as text (audience-reads.ts). */
    pickProducts: (account: string, pick: ProductPick) => pickProducts(sql, account, pick),

    // ── settings ──
    async settings(account: string): Promise<PushSettings> {
      const r = await sql.get<{ weekly_cap: number; quiet_start: string; quiet_end: string; tz: string }>('SELECT * FROM push_settings WHERE account = ?', [account]);
      return r ? { weeklyCap: r.weekly_cap, quietStart: r.quiet_start, quietEnd: r.quiet_end, tz: r.tz } : DEFAULT_PUSH_SETTINGS;
    },
    async saveSettings(account: string, s: PushSettings, now: number): Promise<PushSettings> {
      await sql.run(
        `INSERT INTO push_settings (account, weekly_cap, quiet_start, quiet_end, tz, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (account) DO UPDATE SET weekly_cap = excluded.weekly_cap, quiet_start = excluded.quiet_start,
           quiet_end = excluded.quiet_end, tz = excluded.tz, updated_at = excluded.updated_at`,
        [account, s.weeklyCap, s.quietStart, s.quietEnd, s.tz, now],
      );
      return self.settings(account);
    },

    // ── replies ──
    /** The broadcast revision: it moves with every committed change to broadcasts (`revised`). */
    revision: async (): Promise<number> => (await sql.get<{ rev: number }>('SELECT rev FROM broadcast_rev WHERE id = 1'))!.rev,
    /** Whether any broadcast not cancelled invites replies. */
    anyInvitation: async (): Promise<boolean> =>
      ((await sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM broadcasts WHERE reply_keyword IS NOT NULL AND status != 'cancelled'"))?.n ?? 0) > 0,
    /** The inviting broadcasts the follower received since `since`, the latest first, with when they received each. */
    invitationsReceived: async (q: Q, account: string, user: string, since: number) =>
      (await q.all<{ broadcast_id: number; definition: string; sent_at: number }>(`
        SELECT b.id AS broadcast_id, b.definition, MAX(l.sent_at) AS sent_at FROM push_ledger l JOIN broadcasts b ON b.id = l.broadcast_id
        WHERE l.account = ? AND l.user_id = ? AND l.sent_at >= ? AND b.reply_keyword IS NOT NULL
        GROUP BY b.id ORDER BY sent_at DESC`, [account, user, since]))
        .map((c) => ({ broadcast: c.broadcast_id, replies: definitionOf(c.definition).replies, sentAt: c.sent_at })),
    /** Records a collected reply once per inbound (a retried delivery shares the dedup key). */
    async saveReply(q: Q, r: CollectedReply & { readonly account: string; readonly dedupKey: string }): Promise<void> {
      await q.run('INSERT INTO broadcast_replies (broadcast_id, account, user_id, dedup_key, text, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [r.broadcast, r.account, r.user, r.dedupKey, r.text, r.reason, r.at]);
    },
    replies: async (broadcastId: number): Promise<CollectedReply[]> =>
      (await sql.all<{ broadcast_id: number; user_id: string; text: string; reason: string; at: number }>(
        'SELECT broadcast_id, user_id, text, reason, at FROM broadcast_replies WHERE broadcast_id = ? ORDER BY at, user_id', [broadcastId],
      )).map((x) => ({ broadcast: x.broadcast_id, user: x.user_id, text: x.text, reason: x.reason, at: x.at })),
  };
  return self;
}
