/**
 * Every SQL statement of the push room, over its tables: broadcasts, their runs (with the sender's lease), the
 * outbox (one row per run and follower), mass jobs, THE send ledger, push settings and collected replies — plus
 * the reads of followers and products the planner makes. One instance per connection (`pushOutbox(db)`), its
 * statements prepared once.
 *
 * Each method is one statement or one transaction. Where several writes must commit together — planning a run,
 * taking the lease, claiming rows, recording outcomes, finishing, cancelling — the method is that transaction,
 * IMMEDIATE where two senders or schedulers may race for the same rows (the exactly-once protocol: sender.ts).
 */
import type { Db } from '../db/db.ts';
import { realFollowerSql } from '../core/test-follower.ts';
import {
  canMove, parseFrozenMessage, PushError, statusAfterRun,
  type Broadcast, type BroadcastDefinition, type BroadcastStatus, type FollowerOutcome, type FrozenMessage, type OutboxCounts, type PushChannel,
  type Run, type RunCounts, type RunOutcome, type RunStatus,
} from './model.ts';
import { clientMsgId, DEFAULT_PUSH_SETTINGS, interestsFromSlots, massBatchOf, type AudienceNeeds, type PushSettings, type Recipient } from './policy.ts';
import { bumpBroadcastRevision } from './revision.ts';

// ── the send ledger ──────────────────────────────────────────────────────────────────────────────────

/** What sent an answer: `late_answer` (the webhook), `rule_reply` (a rule's further replies), or another name. */
type CustomerServiceSource = 'late_answer' | 'rule_reply' | (string & {});

/**
 * One message that (may have) reached a follower. Weekly caps and platform quotas are counted from the ledger:
 * a `push` is a broadcast's; an `answer` is a customer-service message that is not a broadcast (the webhook's
 * late answers, a rule's further replies). The platform's quota (5 customer-service messages within 48 h after
 * the follower's last message) counts both, so answers go in as `channel = 'custom'`; `kind = 'answer'` keeps
 * them out of the weekly push cap and `broadcast_id` NULL out of reply collection.
 */
type LedgerEntry =
  | { readonly kind: 'push'; readonly account: string; readonly user: string; readonly broadcast: number; readonly run: number; readonly channel: PushChannel; readonly outcome: 'sent' | 'unknown'; readonly at: number }
  | { readonly kind: 'answer'; readonly account: string; readonly user: string; readonly source: CustomerServiceSource; readonly outcome: 'sent' | 'unknown'; readonly at: number };

export interface CustomerServiceSend {
  readonly account: string;
  /** The follower's openid. */
  readonly user: string;
  /** When it was sent (ms since the epoch). */
  readonly at: number;
  readonly source: CustomerServiceSource;
  /**
   * `sent` (default) after the API accepted it; `unknown` after a WechatTimeoutError (it may have arrived,
   * so it counts against the quota all the same).
   */
  readonly outcome?: 'sent' | 'unknown';
}

/**
 * Records one customer-service answer in the send ledger. Synchronous, one INSERT: call it after the API
 * call returned (or timed out), e.g. inside the write queue.
 * @example recordCustomerServiceSend(db, { account: 'default', user: openid, at: Date.now(), source: 'late_answer' });
 */
export function recordCustomerServiceSend(db: Db, send: CustomerServiceSend): void {
  if (typeof send.user !== 'string' || send.user === '') throw new TypeError('recordCustomerServiceSend: user: expected an openid');
  if (!Number.isFinite(send.at)) throw new TypeError('recordCustomerServiceSend: at: expected ms since the epoch');
  pushOutbox(db).recordSend({ kind: 'answer', account: send.account, user: send.user, at: send.at, source: send.source, outcome: send.outcome ?? 'sent' });
}

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

/** The ledger windows and audience facts a planning read needs. */
interface RecipientQuery {
  readonly account: string;
  readonly channel: PushChannel;
  readonly needs: AudienceNeeds;
  /** Pushes since `weekFrom` (weekly cap), mass messages since `monthFrom`, the 48-hour window from `windowFrom`. */
  readonly weekFrom: number;
  readonly monthFrom: number;
  readonly windowFrom: number;
  /** Interests come from the answer log since then. */
  readonly interestsFrom: number;
}

interface CollectedReply {
  readonly broadcast: number;
  readonly user: string;
  readonly text: string;
  readonly reason: string;
  readonly at: number;
}

const outboxes = new WeakMap<Db, PushOutbox>();

/**
 * The push tables of one connection (created on first use, then shared by the service, planner and sender).
 * @example const run = pushOutbox(db).openRun(broadcastId);
 */
export function pushOutbox(db: Db): PushOutbox {
  let outbox = outboxes.get(db);
  if (!outbox) outboxes.set(db, (outbox = createOutbox(db)));
  return outbox;
}
export type PushOutbox = ReturnType<typeof createOutbox>;

function createOutbox(db: Db) {
  const insertLedger = db.prepare<[string, string, number | null, number | null, string, string, number, string, string | null]>(
    'INSERT INTO push_ledger (account, user_id, broadcast_id, run_id, channel, outcome, sent_at, kind, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertBroadcast = db.prepare(`
    INSERT INTO broadcasts (account, name, definition, channel, status, reply_keyword, last_occurrence, created_at, updated_at)
    VALUES (@account, @name, @definition, @channel, @status, @replyKeyword, @lastOccurrence, @now, @now)`);
  const getBroadcast = db.prepare<[number], BroadcastRow>('SELECT * FROM broadcasts WHERE id = ?');
  const listBroadcasts = db.prepare<[string], BroadcastRow>('SELECT * FROM broadcasts WHERE account = ? ORDER BY id');
  const scheduled = db.prepare<[], BroadcastRow>("SELECT * FROM broadcasts WHERE status = 'scheduled' ORDER BY id");
  const setStatus = db.prepare('UPDATE broadcasts SET status = ?, updated_at = ? WHERE id = ?');
  const setOccurrence = db.prepare('UPDATE broadcasts SET last_occurrence = ?, updated_at = ? WHERE id = ? AND (last_occurrence IS NULL OR last_occurrence < ?)');
  const reopenBroadcast = db.prepare("UPDATE broadcasts SET status = 'sending', updated_at = ? WHERE id = ? AND status = 'done'");
  const replaceDefinition = db.prepare(`
    UPDATE broadcasts SET name = @name, definition = @definition, channel = @channel, status = @status, reply_keyword = @replyKeyword,
      last_occurrence = @lastOccurrence, updated_at = @now WHERE id = @id AND status IN ('draft', 'scheduled')`);
  const anyInviting = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM broadcasts WHERE reply_keyword IS NOT NULL AND status != 'cancelled'");

  const getRun = db.prepare<[number], RunRow>('SELECT * FROM broadcast_runs WHERE id = ?');
  const runsOf = db.prepare<[number], RunRow>('SELECT * FROM broadcast_runs WHERE broadcast_id = ? ORDER BY id');
  const openRun = db.prepare<[number], RunRow>("SELECT * FROM broadcast_runs WHERE broadcast_id = ? AND status = 'sending' ORDER BY id LIMIT 1");
  const openRuns = db.prepare<[], RunRow>("SELECT * FROM broadcast_runs WHERE status = 'sending' ORDER BY id");
  const runOfOccurrence = db.prepare<[number, string], { id: number }>('SELECT id FROM broadcast_runs WHERE broadcast_id = ? AND occurrence = ?');
  const insertRun = db.prepare(`
      INSERT INTO broadcast_runs (account, broadcast_id, occurrence, channel, status, message, counts, not_before, created_at, updated_at, finished_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const runState = db.prepare<[number], { status: RunStatus; lease_owner: string | null; lease_until: number | null; not_before: number }>(
    'SELECT status, lease_owner, lease_until, not_before FROM broadcast_runs WHERE id = ?');
  const takeLease = db.prepare('UPDATE broadcast_runs SET lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?');
  const renewLease = db.prepare("UPDATE broadcast_runs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND status = 'sending'");
  const releaseLease = db.prepare('UPDATE broadcast_runs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?');
  const setNotBefore = db.prepare('UPDATE broadcast_runs SET not_before = ? WHERE id = ?');
  const finishRun = db.prepare('UPDATE broadcast_runs SET status = ?, finished_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = \'sending\'');
  const cancelRun = db.prepare("UPDATE broadcast_runs SET status = 'cancelled', finished_at = ?, updated_at = ? WHERE id = ?");
  const reopenRun = db.prepare("UPDATE broadcast_runs SET status = 'sending', finished_at = NULL, updated_at = ? WHERE id = ? AND status = 'done'");

  const insertRow = db.prepare('INSERT INTO push_outbox (run_id, user_id, batch, state, last_message_at, updated_at) VALUES (?, ?, ?, \'pending\', ?, ?)');
  const stateCounts = db.prepare<[number], { state: keyof OutboxCounts; n: number }>('SELECT state, COUNT(*) AS n FROM push_outbox WHERE run_id = ? GROUP BY state');
  const outcomeCounts = db.prepare<[number], { state: keyof OutboxCounts; code: number | null; n: number }>(
    'SELECT state, code, COUNT(*) AS n FROM push_outbox WHERE run_id = ? GROUP BY state, code');
  const undecided = db.prepare<[number], { user_id: string; state: 'unknown' | 'failed'; code: number | null }>(
    "SELECT user_id, state, code FROM push_outbox WHERE run_id = ? AND state IN ('unknown', 'failed') ORDER BY state DESC, user_id");
  const orphans = db.prepare<[number], OutboxRow>("SELECT user_id, batch, attempts, last_message_at FROM push_outbox WHERE run_id = ? AND state = 'sending'");
  const claimCustom = db.prepare<[number, number, number], OutboxRow>(
    "SELECT user_id, batch, attempts, last_message_at FROM push_outbox WHERE run_id = ? AND state = 'pending' AND next_at <= ? ORDER BY batch LIMIT ?");
  const nextMassBatch = db.prepare<[number, number], { batch: number }>(
    "SELECT batch FROM push_outbox WHERE run_id = ? AND state = 'pending' AND next_at <= ? ORDER BY batch LIMIT 1");
  const batchRows = db.prepare<[number, number], OutboxRow>(
    "SELECT user_id, batch, attempts, last_message_at FROM push_outbox WHERE run_id = ? AND state = 'pending' AND batch = ?");
  const markSending = db.prepare("UPDATE push_outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE run_id = ? AND user_id = ? AND state = 'pending'");
  const setState = db.prepare('UPDATE push_outbox SET state = ?, code = ?, next_at = ?, updated_at = ? WHERE run_id = ? AND user_id = ?');
  const nextDue = db.prepare<[number], { at: number | null }>("SELECT MIN(next_at) AS at FROM push_outbox WHERE run_id = ? AND state = 'pending'");
  const requeueUnknown = db.prepare("UPDATE push_outbox SET state = 'pending', next_at = 0, updated_at = ? WHERE run_id = ? AND state = 'unknown'");
  const cancelRows = db.prepare("UPDATE push_outbox SET state = 'cancelled', updated_at = ? WHERE run_id = ? AND state = 'pending'");

  const insertJob = db.prepare('INSERT INTO push_mass_jobs (run_id, batch, client_msg_id, updated_at) VALUES (?, ?, ?, ?)');
  const setJobMsgId = db.prepare('UPDATE push_mass_jobs SET msg_id = ?, updated_at = ? WHERE run_id = ? AND batch = ?');
  const jobOfMsgId = db.prepare<[string], { run_id: number; batch: number }>('SELECT run_id, batch FROM push_mass_jobs WHERE msg_id = ?');
  const finishJob = db.prepare(`UPDATE push_mass_jobs SET status = ?, total_count = ?, filter_count = ?, sent_count = ?, error_count = ?, updated_at = ?
    WHERE run_id = ? AND batch = ?`);
  const jobTotals = db.prepare<[number], { jobs: number; finished: number; total: number | null; filtered: number | null; sent: number | null; errors: number | null }>(`
    SELECT COUNT(*) AS jobs, COUNT(status) AS finished, SUM(total_count) AS total, SUM(filter_count) AS filtered,
      SUM(sent_count) AS sent, SUM(error_count) AS errors FROM push_mass_jobs WHERE run_id = ?`);
  const massRunsSince = db.prepare<[string, number], { n: number }>(
    "SELECT COUNT(DISTINCT run_id) AS n FROM push_ledger WHERE account = ? AND channel = 'mass' AND sent_at >= ?");

  const getSettings = db.prepare<[string], { weekly_cap: number; quiet_start: string; quiet_end: string; tz: string }>('SELECT * FROM push_settings WHERE account = ?');
  const putSettings = db.prepare(`
    INSERT INTO push_settings (account, weekly_cap, quiet_start, quiet_end, tz, updated_at) VALUES (@account, @weeklyCap, @quietStart, @quietEnd, @tz, @now)
    ON CONFLICT (account) DO UPDATE SET weekly_cap = excluded.weekly_cap, quiet_start = excluded.quiet_start,
      quiet_end = excluded.quiet_end, tz = excluded.tz, updated_at = excluded.updated_at`);

  const invitations = db.prepare<[string, string, number], { broadcast_id: number; definition: string; sent_at: number }>(`
    SELECT l.broadcast_id, b.definition, MAX(l.sent_at) AS sent_at FROM push_ledger l JOIN broadcasts b ON b.id = l.broadcast_id
    WHERE l.account = ? AND l.user_id = ? AND l.sent_at >= ? AND b.reply_keyword IS NOT NULL
    GROUP BY l.broadcast_id ORDER BY sent_at DESC`);
  const insertReply = db.prepare('INSERT INTO broadcast_replies (broadcast_id, account, user_id, dedup_key, text, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const repliesOf = db.prepare<[number], { broadcast_id: number; user_id: string; text: string; reason: string; at: number }>(
    'SELECT broadcast_id, user_id, text, reason, at FROM broadcast_replies WHERE broadcast_id = ? ORDER BY at, user_id');

  /** THE one INSERT into the send ledger, for broadcasts' pushes and customer-service answers alike. */
  function recordSend(e: LedgerEntry): void {
    if (e.kind === 'push') insertLedger.run(e.account, e.user, e.broadcast, e.run, e.channel, e.outcome, e.at, 'push', null);
    else insertLedger.run(e.account, e.user, null, null, 'custom', e.outcome, e.at, 'answer', e.source);
  }
  const pushed = (run: Run, user: string, channel: PushChannel, outcome: 'sent' | 'unknown', at: number): LedgerEntry =>
    ({ kind: 'push', account: run.account, user, broadcast: run.broadcastId, run: run.id, channel, outcome, at });

  /** Moves a broadcast read in this same transaction (or just now) along the lifecycle. */
  function moveFrom(b: Broadcast, to: BroadcastStatus, now: number): void {
    if (!canMove(b.status, to)) throw new PushError('conflict', `broadcast ${b.id} is ${b.status}; it cannot become ${to}`);
    setStatus.run(to, now, b.id);
    bumpBroadcastRevision(db);
  }

  const self = {
    recordSend,

    // ── broadcasts ──
    /** Stores a validated definition: `scheduled` when it has a schedule, `draft` otherwise. */
    create(account: string, def: BroadcastDefinition, now: number): Broadcast {
      const id = Number(
        insertBroadcast.run({
          account, name: def.name, definition: JSON.stringify(def), channel: def.channel,
          status: def.schedule ? 'scheduled' : 'draft', replyKeyword: def.replies?.keyword ?? null,
          // Cron occurrences before the broadcast existed are not "missed"; a one-shot `at` has one occurrence.
          lastOccurrence: def.schedule && 'cron' in def.schedule ? now : null, now,
        }).lastInsertRowid,
      );
      bumpBroadcastRevision(db);
      return self.broadcast(id)!;
    },
    broadcast(id: number): Broadcast | null {
      const r = getBroadcast.get(id);
      return r ? fromRow(r) : null;
    },
    require(id: number, account?: string): Broadcast {
      const b = self.broadcast(id);
      if (!b || (account !== undefined && b.account !== account)) throw new PushError('not_found', `no broadcast ${id}${account ? ` in account ${account}` : ''}: see guang broadcast list`);
      return b;
    },
    list: (account: string): Broadcast[] => listBroadcasts.all(account).map(fromRow),
    scheduled: (): Broadcast[] => scheduled.all().map(fromRow),
    /** Moves along the lifecycle; an illegal move throws PushError('conflict'). */
    move(id: number, to: BroadcastStatus, now: number): void {
      moveFrom(self.require(id), to, now);
    },
    /** Records the occurrence handled; false when another scheduler already did (compare-and-set). */
    markOccurrence(id: number, occurrence: number, now: number): boolean {
      return setOccurrence.run(occurrence, now, id, occurrence).changes === 1;
    },
    /**
     * Replaces the definition of a broadcast that is not sending: a draft, or a scheduled one between runs. It
     * becomes `scheduled` or `draft` as `create` would make it, and a cron schedule counts from now (its
     * occurrences before the edit are not "missed"). The runs it made so far stay as they were sent.
     * PushError('conflict') for one sending, finished, failed or cancelled.
     */
    update(id: number, def: BroadcastDefinition, now: number): Broadcast {
      db.transaction(() => {
        const b = self.require(id);
        if ((b.status !== 'draft' && b.status !== 'scheduled') || self.openRun(id) !== null) {
          throw new PushError('conflict', `broadcast ${id} is ${b.status === 'scheduled' ? 'sending a run' : b.status}; only a draft or a scheduled broadcast between runs can be edited`);
        }
        replaceDefinition.run({
          id, name: def.name, definition: JSON.stringify(def), channel: def.channel, status: def.schedule ? 'scheduled' : 'draft',
          replyKeyword: def.replies?.keyword ?? null, lastOccurrence: def.schedule && 'cron' in def.schedule ? now : null, now,
        });
      }).immediate();
      bumpBroadcastRevision(db);
      return self.require(id);
    },
    /** Cancels the broadcast, its unfinished runs and every row not yet sent, in one transaction. */
    cancel(id: number, now: number): void {
      db.transaction(() => {
        self.move(id, 'cancelled', now);
        for (const r of self.runs(id).filter((x) => x.status === 'sending')) {
          cancelRun.run(now, now, r.id);
          cancelRows.run(now, r.id);
        }
      }).immediate();
    },
    /**
     * `send --retry-unknown` after the run finished: the run (done) and its broadcast go back to `sending`.
     * done → sending is no lifecycle move an operator may make; it is this retry's alone (the run ends it again).
     */
    reopen(run: Run, now: number): void {
      db.transaction(() => {
        reopenRun.run(now, run.id);
        reopenBroadcast.run(now, run.broadcastId);
      }).immediate();
      bumpBroadcastRevision(db);
    },

    // ── runs ──
    run(id: number): Run | null {
      const r = getRun.get(id);
      return r ? runFromRow(r) : null;
    },
    runs: (broadcastId: number): Run[] => runsOf.all(broadcastId).map(runFromRow),
    openRun(broadcastId: number): Run | null {
      const r = openRun.get(broadcastId);
      return r ? runFromRow(r) : null;
    },
    openRuns: (): Run[] => openRuns.all().map(runFromRow),
    /**
     * Writes a planned run and one outbox row per recipient (and a mass job per batch) in ONE transaction — a
     * crash leaves either no run or all of it. The same occurrence planned twice (two schedulers) yields the
     * first run.
     */
    recordRun(p: PlannedRun, now: number): Run {
      return db.transaction((): Run => {
        const existing = runOfOccurrence.get(p.broadcast.id, p.occurrence);
        if (existing) return self.run(existing.id)!;
        const total = p.users.length;
        const status = total === 0 ? 'done' : 'sending';
        const runId = Number(insertRun.run(
          p.broadcast.account, p.broadcast.id, p.occurrence, p.channel, status, JSON.stringify(p.message), JSON.stringify(p.counts), p.notBefore, now, now, status === 'done' ? now : null,
        ).lastInsertRowid);
        const mass = p.channel === 'mass';
        for (let i = 0; i < total; i++) insertRow.run(runId, p.users[i]!, mass ? massBatchOf(i, p.batches, total) : i, p.lastMessageAt[i] ?? null, now);
        if (mass) for (let k = 0; k < (total === 0 ? 0 : p.batches); k++) insertJob.run(runId, k, clientMsgId(runId, k), now);
        return self.run(runId)!;
      }).immediate();
    },
    outboxCounts(runId: number): OutboxCounts {
      const c: OutboxCounts = { pending: 0, sending: 0, sent: 0, failed: 0, unknown: 0, skipped: 0, cancelled: 0 };
      for (const r of stateCounts.all(runId)) c[r.state] = r.n;
      return c;
    },
    runOutcome(runId: number): RunOutcome {
      const o = { sent: 0, failed: 0, failedByCode: {} as Record<string, number>, unknown: 0, pending: 0, cancelled: 0, skippedAtSend: 0 };
      for (const r of outcomeCounts.all(runId)) {
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

    // ── sending (the protocol: sender.ts) ──
    /** The run a sender is about to send, read once, with its frozen message checked against its schema. */
    runToSend(runId: number): { run: Run; message: FrozenMessage } | null {
      const r = getRun.get(runId);
      return r ? { run: runFromRow(r), message: parseFrozenMessage(r.id, r.message) } : null;
    },
    /** The run's status and the time before which it may not send. */
    runState(runId: number): { status: RunStatus; notBefore: number } {
      const r = runState.get(runId)!;
      return { status: r.status, notBefore: r.not_before };
    },
    /**
     * Takes the run's lease, unless another live sender holds it (`canTakeOver`: its owner is known dead), and
     * settles the rows a previous holder left mid-call: mass rows go back to pending (re-sent with the same
     * clientmsgid), customer-service rows become unknown and go in the ledger. One IMMEDIATE transaction.
     */
    claimLease(run: Run, lease: Lease, opts: { retryUnknown: boolean; canTakeOver: (holder: string) => boolean }): LeaseClaim {
      return db.transaction((): LeaseClaim => {
        const r = runState.get(run.id)!;
        if (r.status !== 'sending') return { ok: false, status: r.status };
        const { owner, now } = lease;
        if (r.lease_owner && r.lease_owner !== owner && r.lease_until !== null && r.lease_until > now && !opts.canTakeOver(r.lease_owner)) {
          return { ok: false, status: 'busy', detail: `sent by ${r.lease_owner} (lease until ${new Date(r.lease_until).toISOString()})` };
        }
        takeLease.run(owner, now + lease.leaseMs, now, run.id);
        for (const row of orphans.all(run.id)) {
          if (run.channel === 'mass') setState.run('pending', null, 0, now, run.id, row.user_id);
          else {
            setState.run('unknown', null, 0, now, run.id, row.user_id);
            recordSend(pushed(run, row.user_id, 'custom', 'unknown', now));
          }
        }
        if (opts.retryUnknown) requeueUnknown.run(now, run.id);
        return { ok: true };
      }).immediate();
    },
    /**
     * Renews the lease and marks the next rows `sending` (committed before their call): the next mass batch,
     * or up to `limit` customer-service rows due now. Null when the lease is lost or the run cancelled.
     */
    claimRows(run: Run, lease: Lease, limit: number): OutboxRow[] | null {
      return db.transaction((): OutboxRow[] | null => {
        const { now } = lease;
        if (renewLease.run(now + lease.leaseMs, run.id, lease.owner).changes !== 1) return null;
        let rows: OutboxRow[];
        if (run.channel === 'mass') {
          const b = nextMassBatch.get(run.id, now);
          rows = b ? batchRows.all(run.id, b.batch) : [];
        } else rows = claimCustom.all(run.id, now, limit);
        for (const r of rows) markSending.run(now, run.id, r.user_id);
        return rows;
      }).immediate();
    },
    /** Commits claimed rows' outcomes, the ledger entry of each sent or unknown one, and a mass batch's msg_id. */
    recordOutcomes(run: Run, updates: readonly RowUpdate[], massJob: { readonly batch: number; readonly msgId: string } | null, now: number): void {
      db.transaction(() => {
        for (const u of updates) {
          setState.run(u.state, u.code, u.nextAt, now, run.id, u.user);
          if (u.state === 'sent' || u.state === 'unknown') recordSend(pushed(run, u.user, run.channel, u.state, now));
        }
        if (massJob) setJobMsgId.run(massJob.msgId, now, run.id, massJob.batch);
      })();
    },
    /** When the earliest pending row (a retry waiting out its back-off) is due; null when none is pending. */
    nextDueAt: (runId: number): number | null => nextDue.get(runId)?.at ?? null,
    /** Holds the run until `at` (quiet hours); the scheduler resumes it then. */
    holdUntil(runId: number, at: number): void {
      setNotBefore.run(at, runId);
    },
    /** Ends a drained run and moves its broadcast on (statusAfterRun), in one IMMEDIATE transaction. */
    finishRun(run: Run, status: 'done' | 'failed', now: number): void {
      db.transaction(() => {
        if (finishRun.run(status, now, now, run.id).changes !== 1) return;
        const b = self.require(run.broadcastId);
        const next = statusAfterRun(b, status);
        if (next) moveFrom(b, next, now);
      }).immediate();
    },
    releaseLease(runId: number, owner: string): void {
      releaseLease.run(runId, owner);
    },

    // ── mass jobs ──
    /** Records a job's final counts (MASSSENDJOBFINISH); the run and batch it belongs to, or null for a job sent elsewhere. */
    massJobFinished(msgId: string, r: { status: string; totalCount: number; filterCount: number; sentCount: number; errorCount: number }, now: number): { run: number; batch: number } | null {
      const job = jobOfMsgId.get(msgId);
      if (!job) return null;
      finishJob.run(r.status, r.totalCount, r.filterCount, r.sentCount, r.errorCount, now, job.run_id, job.batch);
      return { run: job.run_id, batch: job.batch };
    },
    /** The platform's counts over a run's jobs (null fields: no MASSSENDJOBFINISH yet for some batch). */
    massJobTotals: (runId: number) => jobTotals.get(runId)!,

    // ── planning reads ──
    /** Mass runs the account sent since `since`, from the ledger. */
    massRunsSince: (account: string, since: number): number => massRunsSince.get(account, since)?.n ?? 0,
    /** Streams the facts the audience needs about every WeChat follower of the account (Wechaty contacts excluded). */
    *recipients(q: RecipientQuery): Generator<Recipient> {
      const { needs, channel } = q;
      const interests = needs.interests ? interestsSince(db, q.account, q.interestsFrom) : null;
      const sql = `
    SELECT s.user_id, s.channel, s.subscribed, s.opted_out, s.last_message_at,
      (SELECT COUNT(*) FROM push_ledger p WHERE p.account = s.account AND p.user_id = s.user_id AND p.sent_at > @weekFrom AND p.kind = 'push') AS week,
      ${channel === 'mass' ? `(SELECT COUNT(*) FROM push_ledger p WHERE p.account = s.account AND p.user_id = s.user_id AND p.channel = 'mass' AND p.sent_at >= @monthFrom)` : '0'} AS month_mass,
      ${channel === 'custom' ? `CASE WHEN s.last_message_at > @windowFrom THEN (SELECT COUNT(*) FROM push_ledger p WHERE p.account = s.account AND p.user_id = s.user_id AND p.channel = 'custom' AND p.sent_at >= s.last_message_at) ELSE 0 END` : '0'} AS cs,
      ${needs.tags ? `(SELECT group_concat(t.tag, char(31)) FROM subscriber_tags t WHERE t.account = s.account AND t.user_id = s.user_id)` : 'NULL'} AS tags,
      ${needs.store || needs.city ? 'sf.store_id AS store, st.city AS city' : 'NULL AS store, NULL AS city'}
    FROM subscribers s
    ${needs.store || needs.city ? 'LEFT JOIN store_followers sf ON sf.account = s.account AND sf.user_id = s.user_id LEFT JOIN stores st ON st.account = sf.account AND st.id = sf.store_id' : ''}
    WHERE s.account = @account AND s.channel = 'wechat' AND ${realFollowerSql('s.user_id')}`;
      const rows = db.prepare<[Record<string, unknown>], {
        user_id: string; channel: string; subscribed: number; opted_out: number; last_message_at: number | null;
        week: number; month_mass: number; cs: number; tags: string | null; store: string | null; city: string | null;
      }>(sql).iterate({ account: q.account, weekFrom: q.weekFrom, monthFrom: q.monthFrom, windowFrom: q.windowFrom });
      for (const r of rows) {
        yield {
          user: r.user_id, channel: r.channel, subscribed: r.subscribed === 1, optedOut: r.opted_out === 1, lastMessageAt: r.last_message_at,
          pushesThisWeek: r.week, massThisMonth: r.month_mass, customSinceLastMessage: r.cs,
          ...(needs.tags ? { tags: r.tags ? r.tags.split('\u001f') : [] } : {}),
          ...(needs.store ? { store: r.store } : {}),
          ...(needs.city ? { city: r.city } : {}),
          ...(interests ? { interests: interests.get(r.user_id) ?? [] } : {}),
        };
      }
    },
    /** The newest products of a product pick (category at any level, tag), for the planner to freeze as text. */
    pickProducts(account: string, pick: { category?: string | undefined; tag?: string | undefined; limit: number }) {
      const where = ['account = @account', 'deleted = 0', 'off_sale = 0'];
      if (pick.category) where.push("(category = @category OR category LIKE @category || '/%' OR category LIKE '%/' || @category || '%')");
      if (pick.tag) where.push("tags LIKE '%\"' || @tag || '\"%'");
      return db.prepare<[Record<string, unknown>], { title: string; price_fen: number; url: string | null }>(
        `SELECT title, price_fen, url FROM products WHERE ${where.join(' AND ')} ORDER BY rev DESC, sku LIMIT @limit`,
      ).all({ account, category: pick.category ?? null, tag: pick.tag ?? null, limit: pick.limit });
    },

    // ── settings ──
    settings(account: string): PushSettings {
      const r = getSettings.get(account);
      return r ? { weeklyCap: r.weekly_cap, quietStart: r.quiet_start, quietEnd: r.quiet_end, tz: r.tz } : DEFAULT_PUSH_SETTINGS;
    },
    saveSettings(account: string, s: PushSettings, now: number): PushSettings {
      putSettings.run({ account, ...s, now });
      return self.settings(account);
    },

    // ── replies ──
    /** Whether any broadcast not cancelled invites replies. */
    anyInvitation: (): boolean => (anyInviting.get()?.n ?? 0) > 0,
    /** The inviting broadcasts the follower received since `since`, the latest first, with when they received each. */
    invitationsReceived: (account: string, user: string, since: number) =>
      invitations.all(account, user, since).map((c) => ({ broadcast: c.broadcast_id, replies: definitionOf(c.definition).replies, sentAt: c.sent_at })),
    /** Records a collected reply once per inbound (a retried delivery shares the dedup key). */
    saveReply(r: CollectedReply & { readonly account: string; readonly dedupKey: string }): void {
      insertReply.run(r.broadcast, r.account, r.user, r.dedupKey, r.text, r.reason, r.at);
    },
    replies: (broadcastId: number): CollectedReply[] =>
      repliesOf.all(broadcastId).map((x) => ({ broadcast: x.broadcast_id, user: x.user_id, text: x.text, reason: x.reason, at: x.at })),
  };
  return self;
}

/** Interests per follower: the categories and keywords of their searches in the answer log since `since`. */
function interestsSince(db: Db, account: string, since: number): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  const rows = db.prepare<[string, number], { user_id: string; slots: string | null }>(
    "SELECT user_id, slots FROM answer_log WHERE account = ? AND channel = 'wechat' AND created_at >= ? AND slots IS NOT NULL",
  ).iterate(account, since);
  for (const r of rows) {
    let slots: unknown;
    try {
      slots = JSON.parse(r.slots!);
    } catch {
      continue;
    }
    const found = interestsFromSlots(slots);
    if (found.length === 0) continue;
    let set = out.get(r.user_id);
    if (!set) out.set(r.user_id, (set = new Set()));
    for (const f of found) set.add(f);
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}
