/**
 * The sender: drains a run's outbox at a configurable rate, under a lease in SQLite, recording every outcome
 * in the outbox and the send ledger.
 *
 * Exactly once, row by row. A row is marked `sending` (committed) BEFORE its API call, and its outcome is
 * committed after. After a crash, a row still `sending` is one whose call may or may not have reached the
 * platform:
 * - mass rows go back to `pending`: their batch is re-sent with the SAME `clientmsgid` (run id + batch), and
 *   the platform answers a repeat with 45065 and the original msg_id, so nobody receives it twice;
 * - customer-service rows have no dedup id: they become `unknown`, are written to the ledger (they count
 *   against caps and quotas, since the follower may have received them) and are NOT re-sent automatically —
 *   a duplicate cannot be taken back, a miss can (`guang broadcast send ID --retry-unknown` re-queues them,
 *   knowingly at-least-once). The window for such a row is one call per in-flight slot: throttled runs keep
 *   one call in flight, so a crash leaves at most one `unknown` row. A timed-out customer-service call
 *   (WechatTimeoutError) is `unknown` for the same reason.
 * Transient errors (-1, HTTP 5xx, connection refused, rate limits; for mass also timeouts) put the row back
 * to `pending` with a back-off, up to `maxAttempts`; permanent ones (45015, 45047, 40003 …) fail the row at once.
 *
 * Two senders (two servers, or a server and the CLI) on one database: the run's lease (owner + expiry,
 * renewed with every claim) lets one of them send; a claim happens only while holding the lease, in the
 * same transaction that renews it. A lease whose owner is a dead process on this host is taken over at once;
 * otherwise it is taken over when it expires.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AccountType } from '../core/config.ts';
import { sleep as realSleep, systemClock, type Clock } from '../core/clock.ts';
import { silentLogger, type Logger } from '../core/log.ts';
import type { Db } from '../db/db.ts';
import type { CustomerMessage, MassMessage, WechatClient } from '../wechat-api/client.ts';
import { isRateLimited, isTransient, WechatApiError, WechatNetworkError, WechatTimeoutError } from '../wechat-api/errors.ts';
import type { SkipReason } from './model.ts';
import { clientMsgId, sendableAt, windowOpen, type PushSettings } from './policy.ts';
import type { FrozenMessage } from './run.ts';
import { createBroadcastStore, type OutboxCounts } from './store.ts';

export interface SenderOptions {
  readonly db: Db;
  readonly client: WechatClient;
  readonly accountType: AccountType;
  readonly settings: PushSettings;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** API calls per second (a mass batch is one call); 0 = unthrottled. Default 20. */
  readonly ratePerSecond?: number;
  /** Calls in flight at once when unthrottled (default 32). */
  readonly concurrency?: number;
  /** Attempts per row for transient errors (default 5). */
  readonly maxAttempts?: number;
  /** First retry delay, doubled per attempt (default 2 s). */
  readonly retryDelayMs?: number;
  readonly leaseMs?: number;
  /** Identifies this sender in the lease (default host:pid:random). */
  readonly owner?: string;
  /** Real waits (pacing, back-off); tests may pass a fast one. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onProgress?: (p: { readonly done: number; readonly total: number }) => void;
  /** Stop after the current call (server shutdown); the run resumes later. */
  readonly signal?: AbortSignal;
  /**
   * Re-queue the rows whose outcome is unknown — including those a killed sender left mid-call — once the
   * lease is held (`guang broadcast send ID --retry-unknown`; knowingly at-least-once).
   */
  readonly retryUnknown?: boolean;
}

type SendStatus = 'done' | 'failed' | 'cancelled' | 'busy' | 'waiting' | 'stopped';
export interface SendReport {
  readonly run: number;
  readonly broadcast: number;
  readonly status: SendStatus;
  readonly audience: number;
  readonly planned: number;
  readonly sent: number;
  readonly unknown: number;
  readonly failed: number;
  readonly pending: number;
  readonly skipped: Record<SkipReason, number>;
  /** Errors by code this call met (retried or not). */
  readonly errors: Record<string, number>;
  /** busy: who holds the lease; waiting: until when (ISO). */
  readonly detail?: string;
}

interface Row {
  user_id: string;
  batch: number;
  attempts: number;
  last_message_at: number | null;
}
type Outcome =
  | { state: 'sent' }
  | { state: 'unknown'; code: number }
  | { state: 'failed'; code: number }
  | { state: 'skipped'; code: number }
  | { state: 'retry'; code: number };

const localHost = hostname();
const defaultOwner = (): string => `${localHost}:${process.pid}:${randomUUID().slice(0, 8)}`;

function ownerIsDeadLocalProcess(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== localHost || !Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const toCustomer = (m: FrozenMessage): CustomerMessage => {
  switch (m.type) {
    case 'text':
      return { type: 'text', content: m.content };
    case 'news':
      return { type: 'news', articles: [{ title: m.article.title, url: m.article.url, ...(m.article.description ? { description: m.article.description } : {}), ...(m.article.image_url ? { imageUrl: m.article.image_url } : {}) }] };
    case 'mpnews':
      throw new Error('mpnews cannot be sent as a customer-service message');
  }
};
const toMass = (m: FrozenMessage): MassMessage => {
  switch (m.type) {
    case 'text':
      return { type: 'text', content: m.content };
    case 'mpnews':
      return { type: 'mpnews', mediaId: m.media_id };
    case 'news':
      throw new Error('news cannot be mass-sent; use mpnews');
  }
};

type Failure = Exclude<Outcome, { state: 'sent' }>;
function classify(error: unknown, dedup: boolean): Failure {
  if (error instanceof WechatTimeoutError) return dedup ? { state: 'retry', code: error.code } : { state: 'unknown', code: error.code };
  if (error instanceof WechatNetworkError) return { state: 'retry', code: error.code };
  if (error instanceof WechatApiError) {
    if (isTransient(error.code) || isRateLimited(error.code)) return { state: 'retry', code: error.code };
    return { state: 'failed', code: error.code };
  }
  return { state: 'failed', code: 0 };
}

/**
 * Sends (or resumes) a run until its outbox is drained, the run is cancelled, quiet hours begin, or
 * another sender holds it.
 * @example const report = await sendRun({ db, client, accountType: 'service', settings }, runId);
 */
export async function sendRun(options: SenderOptions, runId: number): Promise<SendReport> {
  const { db, client } = options;
  const clock = options.clock ?? systemClock;
  const log = (options.logger ?? silentLogger).child({ module: 'push-sender', run: runId });
  const rate = options.ratePerSecond ?? 20;
  const concurrency = Math.max(1, options.concurrency ?? 32);
  const group = rate > 0 ? Math.max(1, Math.min(concurrency, Math.floor(rate / 10))) : concurrency;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 2_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const owner = options.owner ?? defaultOwner();
  const sleep = options.sleep ?? realSleep;
  const store = createBroadcastStore(db);
  const errors: Record<string, number> = {};

  const run0 = store.run(runId);
  if (!run0) throw new Error(`no run ${runId}`);
  const broadcast = store.require(run0.broadcastId);
  const message = run0.message as FrozenMessage;
  const cron = broadcast.definition.schedule !== undefined && 'cron' in broadcast.definition.schedule;

  const getRun = db.prepare<[number], { status: string; lease_owner: string | null; lease_until: number | null; not_before: number }>(
    'SELECT status, lease_owner, lease_until, not_before FROM broadcast_runs WHERE id = ?');
  const takeLease = db.prepare('UPDATE broadcast_runs SET lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?');
  const renew = db.prepare("UPDATE broadcast_runs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND status = 'sending'");
  const release = db.prepare('UPDATE broadcast_runs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?');
  const orphans = db.prepare<[number], Row>("SELECT user_id, batch, attempts, last_message_at FROM push_outbox WHERE run_id = ? AND state = 'sending'");
  const claimCustom = db.prepare<[number, number, number], Row>(
    "SELECT user_id, batch, attempts, last_message_at FROM push_outbox WHERE run_id = ? AND state = 'pending' AND next_at <= ? ORDER BY batch LIMIT ?");
  const nextMassBatch = db.prepare<[number, number], { batch: number }>(
    "SELECT batch FROM push_outbox WHERE run_id = ? AND state = 'pending' AND next_at <= ? ORDER BY batch LIMIT 1");
  const batchRows = db.prepare<[number, number], Row>(
    "SELECT user_id, batch, attempts, last_message_at FROM push_outbox WHERE run_id = ? AND state = 'pending' AND batch = ?");
  const markSending = db.prepare("UPDATE push_outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE run_id = ? AND user_id = ? AND state = 'pending'");
  const setState = db.prepare('UPDATE push_outbox SET state = ?, code = ?, next_at = ?, updated_at = ? WHERE run_id = ? AND user_id = ?');
  const ledger = db.prepare('INSERT INTO push_ledger (account, user_id, broadcast_id, run_id, channel, outcome, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const nextDue = db.prepare<[number], { at: number | null }>("SELECT MIN(next_at) AS at FROM push_outbox WHERE run_id = ? AND state = 'pending'");
  const setJob = db.prepare('UPDATE push_mass_jobs SET msg_id = ?, updated_at = ? WHERE run_id = ? AND batch = ?');
  const finishRun = db.prepare('UPDATE broadcast_runs SET status = ?, finished_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = \'sending\'');
  const requeueUnknown = db.prepare("UPDATE push_outbox SET state = 'pending', next_at = 0, updated_at = ? WHERE run_id = ? AND state = 'unknown'");
  const setNotBefore = db.prepare('UPDATE broadcast_runs SET not_before = ? WHERE id = ?');

  const report = (status: SendStatus, detail?: string): SendReport => {
    const run = store.run(runId)!;
    const c: OutboxCounts = store.outboxCounts(runId);
    const skipped = { ...run.counts.skipped };
    // Rows skipped at send time: the customer-service window lapsed while the run waited.
    skipped.outside_48h += c.skipped;
    return {
      run: runId, broadcast: run.broadcastId, status, audience: run.counts.audience, planned: run.counts.planned,
      sent: c.sent, unknown: c.unknown, failed: c.failed, pending: c.pending + c.sending, skipped, errors,
      ...(detail ? { detail } : {}),
    };
  };

  // ── the lease ──
  const acquired = db.transaction((): { ok: true } | { ok: false; status: SendStatus; detail?: string } => {
    const r = getRun.get(runId)!;
    if (r.status !== 'sending') return { ok: false, status: r.status as SendStatus };
    const now = clock.now();
    if (r.lease_owner && r.lease_owner !== owner && r.lease_until !== null && r.lease_until > now && !ownerIsDeadLocalProcess(r.lease_owner)) {
      return { ok: false, status: 'busy', detail: `sent by ${r.lease_owner} (lease until ${new Date(r.lease_until).toISOString()})` };
    }
    takeLease.run(owner, now + leaseMs, now, runId);
    // Rows a previous holder left mid-call (see the header): mass → re-send with the same clientmsgid; custom → unknown.
    for (const row of orphans.all(runId)) {
      if (run0.channel === 'mass') setState.run('pending', null, 0, now, runId, row.user_id);
      else {
        setState.run('unknown', null, 0, now, runId, row.user_id);
        ledger.run(run0.account, row.user_id, run0.broadcastId, runId, 'custom', 'unknown', now);
      }
    }
    if (options.retryUnknown) requeueUnknown.run(now, runId);
    return { ok: true };
  }).immediate();
  if (!acquired.ok) return report(acquired.status, acquired.detail);

  const total = run0.counts.planned;
  let done = 0;
  const c0 = store.outboxCounts(runId);
  done = total - c0.pending - c0.sending;
  options.onProgress?.({ done, total });
  const progress = (outcomes: readonly Outcome[]) => {
    done += outcomes.filter((o) => o.state !== 'retry').length;
    options.onProgress?.({ done, total });
  };

  let paceAt = Date.now();
  const pace = async (calls: number) => {
    if (rate <= 0) return;
    paceAt = Math.max(paceAt, Date.now()) + (calls * 1000) / rate;
    const wait = paceAt - Date.now();
    if (wait > 0) await sleep(wait);
  };

  const record = db.transaction((rows: readonly Row[], outcomes: readonly Outcome[], msgId: string | null) => {
    const now = clock.now();
    rows.forEach((row, i) => {
      const o = outcomes[i]!;
      if (o.state === 'retry') {
        if (row.attempts + 1 >= maxAttempts) setState.run('failed', o.code, 0, now, runId, row.user_id);
        else setState.run('pending', o.code, now + retryDelayMs * 2 ** row.attempts, now, runId, row.user_id);
        return;
      }
      setState.run(o.state, 'code' in o ? o.code : null, 0, now, runId, row.user_id);
      if (o.state === 'sent' || o.state === 'unknown') ledger.run(run0.account, row.user_id, run0.broadcastId, runId, run0.channel, o.state, now);
    });
    if (msgId !== null && rows[0]) setJob.run(msgId, now, runId, rows[0].batch);
  });

  const claim = db.transaction((): Row[] | null => {
    const now = clock.now();
    if (renew.run(now + leaseMs, runId, owner).changes !== 1) return null; // lease lost, or run cancelled
    let rows: Row[];
    if (run0.channel === 'mass') {
      const b = nextMassBatch.get(runId, now);
      rows = b ? batchRows.all(runId, b.batch) : [];
    } else rows = claimCustom.all(runId, now, group);
    for (const r of rows) markSending.run(now, runId, r.user_id);
    return rows;
  });

  const sendCustom = async (row: Row): Promise<Outcome> => {
    if (!windowOpen(row.last_message_at, clock.now())) return { state: 'skipped', code: 45015 };
    try {
      await client.sendCustomerMessage(row.user_id, toCustomer(message));
      return { state: 'sent' };
    } catch (err) {
      const o = classify(err, false);
      errors[o.code] = (errors[o.code] ?? 0) + 1;
      if (o.state === 'failed' && o.code === 0) log.warn({ err }, 'customer-service push failed');
      return o;
    }
  };

  try {
    for (;;) {
      if (options.signal?.aborted) return report('stopped');
      const now = clock.now();
      const quietEnd = sendableAt(now, options.settings);
      if (quietEnd > now) {
        setNotBefore.run(quietEnd, runId);
        return report('waiting', new Date(quietEnd).toISOString());
      }
      const r = getRun.get(runId)!;
      if (r.not_before > now) return report('waiting', new Date(r.not_before).toISOString());
      // Pace BEFORE claiming: a row is `sending` only for the duration of its call, so a crash between
      // calls leaves nothing in doubt.
      await pace(run0.channel === 'mass' ? 1 : group);
      if (options.signal?.aborted) return report('stopped');
      const rows = claim.immediate();
      if (rows === null) {
        const status = getRun.get(runId)!.status;
        return report(status === 'cancelled' ? 'cancelled' : 'busy', status === 'cancelled' ? undefined : 'lease lost to another sender');
      }
      if (rows.length === 0) {
        const due = nextDue.get(runId)?.at;
        if (due === null || due === undefined) break; // drained
        await sleep(Math.min(Math.max(10, due - clock.now()), 1_000));
        continue;
      }
      if (run0.channel === 'mass') {
        let outcome: Outcome;
        let msgId: string | null = null;
        try {
          const id = clientMsgId(runId, rows[0]!.batch);
          const result = options.accountType === 'subscription'
            ? await client.massSendByTag({ toAll: true, message: toMass(message), clientMsgId: id })
            : await client.massSendToOpenids({ openids: rows.map((x) => x.user_id), message: toMass(message), clientMsgId: id });
          msgId = result.msgId;
          outcome = { state: 'sent' };
        } catch (err) {
          const failure = classify(err, true);
          errors[failure.code] = (errors[failure.code] ?? 0) + 1;
          outcome = failure;
          log.warn({ err, batch: rows[0]!.batch }, 'mass send batch failed');
        }
        record(rows, rows.map(() => outcome), msgId);
        progress(rows.map(() => outcome));
      } else {
        const outcomes = await Promise.all(rows.map(sendCustom));
        record(rows, outcomes, null);
        progress(outcomes);
      }
    }
    // Drained: the run is over.
    const c = store.outboxCounts(runId);
    const status = c.sent + c.unknown === 0 && c.failed > 0 ? 'failed' : 'done';
    const now = clock.now();
    db.transaction(() => {
      if (finishRun.run(status, now, now, runId).changes === 1) {
        const b = store.require(run0.broadcastId);
        if (b.status === 'sending' || b.status === 'scheduled') store.move(b.id, cron ? 'scheduled' : status, now);
      }
    }).immediate();
    return report(status);
  } finally {
    release.run(runId, owner);
  }
}
