/**
 * The sender: drains a run's outbox at a configurable rate, under a lease in the database, recording every outcome
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
 * Two senders (two servers, or a server and the CLI) on one database, SQLite or PostgreSQL: the run's lease
 * (owner + expiry, renewed with every claim) lets one of them send; a claim happens only while holding the
 * lease, in the same transaction that renews it, and returns only rows its own UPDATE moved to `sending`. A
 * lease whose owner is a dead process on this host is taken over at once; otherwise it is taken over when it
 * expires, and the outcome a slow former holder records later changes nothing (only `sending` rows are settled).
 *
 * This module decides; outbox.ts holds the statements and the transactions each step commits in.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AccountType } from '../core/config.ts';
import { sleep as realSleep, systemClock, type Clock } from '../core/clock.ts';
import { silentLogger, type Logger } from '../core/log.ts';
import type { Sql } from '../db/sql/sql.ts';
import type { CustomerMessage, MassMessage, WechatClient } from '../wechat-api/client.ts';
import { isRateLimited, isTransient, WechatApiError, WechatNetworkError, WechatTimeoutError } from '../wechat-api/errors.ts';
import type { FrozenMessage, Run, SkipReason } from './model.ts';
import { pushOutbox, type Lease, type OutboxRow, type PushOutbox, type RowUpdate } from './outbox.ts';
import { clientMsgId, sendableAt, windowOpen, type PushSettings } from './policy.ts';

export interface SenderOptions {
  readonly sql: Sql;
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

/** Sender tuning a caller keeps in its own options (rate, concurrency, retries, lease, owner, waits). */
export type SenderTuning = Omit<Partial<SenderOptions>, 'sql' | 'client' | 'accountType' | 'settings' | 'clock'>;

/** What a caller of the sender (the service, the scheduler) brings from its own options. */
export interface SenderSetup {
  readonly sql: Sql;
  readonly accountType: AccountType;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tuning?: SenderTuning | undefined;
}

/**
 * The one place SenderOptions are put together: the caller's setup, the account's client and push settings,
 * then this send's own wishes (retry the unknowns, report progress, stop on a signal).
 * @example sendRun(await senderOptions(setup, client, run.account, { signal }), run.id)
 */
export async function senderOptions(
  setup: SenderSetup,
  client: WechatClient,
  account: string,
  wishes: Pick<SenderOptions, 'retryUnknown' | 'onProgress' | 'signal'> = {},
): Promise<SenderOptions> {
  return {
    ...(wishes.retryUnknown ? { retryUnknown: true } : {}),
    sql: setup.sql, client, accountType: setup.accountType, settings: await pushOutbox(setup.sql).settings(account), clock: setup.clock, logger: setup.logger,
    ...setup.tuning,
    ...(wishes.onProgress ? { onProgress: wishes.onProgress } : {}),
    ...(wishes.signal ? { signal: wishes.signal } : {}),
  };
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

/** One sendRun call: the run (read once), its message, the resolved tuning, and what the call has met so far. */
interface Sending {
  readonly outbox: PushOutbox;
  readonly options: SenderOptions;
  readonly run: Run;
  readonly message: FrozenMessage;
  readonly clock: Clock;
  readonly log: Logger;
  readonly rate: number;
  /** Customer-service rows claimed (and sent concurrently) at a time. */
  readonly group: number;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  readonly leaseMs: number;
  readonly owner: string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly errors: Record<string, number>;
  /** Rows with a final outcome, for onProgress. */
  done: number;
  /** When the next call may start (pacing). */
  paceAt: number;
}

/**
 * Sends (or resumes) a run until its outbox is drained, the run is cancelled, quiet hours begin, or
 * another sender holds it.
 * @example const report = await sendRun({ sql, client, accountType: 'service', settings }, runId);
 */
export async function sendRun(options: SenderOptions, runId: number): Promise<SendReport> {
  const s = await begin(options, runId);
  const lease = await s.outbox.claimLease(s.run, leaseNow(s), { retryUnknown: options.retryUnknown === true, canTakeOver: ownerIsDeadLocalProcess });
  if (!lease.ok) return report(s, lease.status, lease.detail);
  try {
    await startProgress(s);
    for (;;) {
      const halt = await awaitTurn(s);
      if (halt) return halt;
      const rows = await s.outbox.claimRows(s.run, leaseNow(s), s.group);
      if (rows === null) return await leaseLost(s);
      if (rows.length === 0) {
        const due = await s.outbox.nextDueAt(s.run.id);
        if (due === null) return await finish(s); // drained
        await s.sleep(Math.min(Math.max(10, due - s.clock.now()), 1_000));
        continue;
      }
      if (s.run.channel === 'mass') await sendMassBatch(s, rows);
      else await sendCustomerRows(s, rows);
    }
  } finally {
    await s.outbox.releaseLease(runId, s.owner);
  }
}

/** Resolves the tuning and reads the run once, its frozen message checked against its schema. */
async function begin(options: SenderOptions, runId: number): Promise<Sending> {
  const outbox = pushOutbox(options.sql);
  const found = await outbox.runToSend(runId);
  if (!found) throw new Error(`no run ${runId}`);
  const rate = options.ratePerSecond ?? 20;
  const concurrency = Math.max(1, options.concurrency ?? 32);
  return {
    outbox, options, run: found.run, message: found.message,
    clock: options.clock ?? systemClock,
    log: (options.logger ?? silentLogger).child({ module: 'push-sender', run: runId }),
    rate,
    group: rate > 0 ? Math.max(1, Math.min(concurrency, Math.floor(rate / 10))) : concurrency,
    maxAttempts: options.maxAttempts ?? 5,
    retryDelayMs: options.retryDelayMs ?? 2_000,
    leaseMs: options.leaseMs ?? 30_000,
    owner: options.owner ?? defaultOwner(),
    sleep: options.sleep ?? realSleep,
    errors: {},
    done: 0,
    paceAt: Date.now(),
  };
}

const leaseNow = (s: Sending): Lease => ({ owner: s.owner, now: s.clock.now(), leaseMs: s.leaseMs });

async function startProgress(s: Sending): Promise<void> {
  const c = await s.outbox.outboxCounts(s.run.id);
  s.done = s.run.counts.planned - c.pending - c.sending;
  s.options.onProgress?.({ done: s.done, total: s.run.counts.planned });
}

/**
 * Waits for the next call's turn: null when it may claim, or the report to return — stopped, or waiting for
 * quiet hours to end (the run is held until then) or for its not-before time.
 */
async function awaitTurn(s: Sending): Promise<SendReport | null> {
  if (s.options.signal?.aborted) return report(s, 'stopped');
  const now = s.clock.now();
  const quietEnd = sendableAt(now, s.options.settings);
  if (quietEnd > now) {
    await s.outbox.holdUntil(s.run.id, quietEnd);
    return report(s, 'waiting', new Date(quietEnd).toISOString());
  }
  const notBefore = (await s.outbox.runState(s.run.id)).notBefore;
  if (notBefore > now) return report(s, 'waiting', new Date(notBefore).toISOString());
  // Pace BEFORE claiming: a row is `sending` only for the duration of its call, so a crash between
  // calls leaves nothing in doubt.
  await pace(s, s.run.channel === 'mass' ? 1 : s.group);
  if (s.options.signal?.aborted) return report(s, 'stopped');
  return null;
}

async function pace(s: Sending, calls: number): Promise<void> {
  if (s.rate <= 0) return;
  s.paceAt = Math.max(s.paceAt, Date.now()) + (calls * 1000) / s.rate;
  const wait = s.paceAt - Date.now();
  if (wait > 0) await s.sleep(wait);
}

/** The claim found the run cancelled, or its lease taken by another sender. */
async function leaseLost(s: Sending): Promise<SendReport> {
  const status = (await s.outbox.runState(s.run.id)).status;
  return report(s, status === 'cancelled' ? 'cancelled' : 'busy', status === 'cancelled' ? undefined : 'lease lost to another sender');
}

/** One mass call for the claimed batch (by openids, or `sendall` for a subscription account), then its outcome. */
async function sendMassBatch(s: Sending, rows: readonly OutboxRow[]): Promise<void> {
  const batch = rows[0]!.batch;
  let outcome: Outcome;
  let msgId: string | null = null;
  try {
    const id = clientMsgId(s.run.id, batch);
    const message = toMass(s.message);
    const result = s.options.accountType === 'subscription'
      ? await s.options.client.massSendByTag({ toAll: true, message, clientMsgId: id })
      : await s.options.client.massSendToOpenids({ openids: rows.map((x) => x.user_id), message, clientMsgId: id });
    msgId = result.msgId;
    outcome = { state: 'sent' };
  } catch (err) {
    outcome = countError(s, classify(err, true));
    s.log.warn({ err, batch }, 'mass send batch failed');
  }
  await recordOutcomes(s, rows, rows.map(() => outcome), msgId === null ? null : { batch, msgId });
}

/** The claimed customer-service rows, one call each, concurrently; then their outcomes. */
async function sendCustomerRows(s: Sending, rows: readonly OutboxRow[]): Promise<void> {
  const outcomes = await Promise.all(rows.map((row) => sendCustomerRow(s, row)));
  await recordOutcomes(s, rows, outcomes, null);
}

async function sendCustomerRow(s: Sending, row: OutboxRow): Promise<Outcome> {
  // The 48-hour window may have lapsed while the run waited.
  if (!windowOpen(row.last_message_at, s.clock.now())) return { state: 'skipped', code: 45015 };
  try {
    await s.options.client.sendCustomerMessage(row.user_id, toCustomer(s.message));
    return { state: 'sent' };
  } catch (err) {
    const o = countError(s, classify(err, false));
    if (o.state === 'failed' && o.code === 0) s.log.warn({ err }, 'customer-service push failed');
    return o;
  }
}

function countError(s: Sending, failure: Failure): Failure {
  s.errors[failure.code] = (s.errors[failure.code] ?? 0) + 1;
  return failure;
}

/**
 * Commits the outcomes of the claimed rows: a transient error goes back to pending with a doubled back-off
 * until the attempts run out; everything else is final (and in the ledger when sent or unknown).
 */
async function recordOutcomes(s: Sending, rows: readonly OutboxRow[], outcomes: readonly Outcome[], massJob: { batch: number; msgId: string } | null): Promise<void> {
  const now = s.clock.now();
  const updates = rows.map((row, i): RowUpdate => {
    const o = outcomes[i]!;
    if (o.state !== 'retry') return { user: row.user_id, state: o.state, code: 'code' in o ? o.code : null, nextAt: 0 };
    if (row.attempts + 1 >= s.maxAttempts) return { user: row.user_id, state: 'failed', code: o.code, nextAt: 0 };
    return { user: row.user_id, state: 'pending', code: o.code, nextAt: now + s.retryDelayMs * 2 ** row.attempts };
  });
  await s.outbox.recordOutcomes(s.run, updates, massJob, now);
  for (const o of outcomes) if (o.state !== 'retry') s.done++;
  s.options.onProgress?.({ done: s.done, total: s.run.counts.planned });
}

/** Drained: the run is over — failed when nothing reached anyone and something failed, else done. */
async function finish(s: Sending): Promise<SendReport> {
  const c = await s.outbox.outboxCounts(s.run.id);
  const status = c.sent + c.unknown === 0 && c.failed > 0 ? 'failed' : 'done';
  await s.outbox.finishRun(s.run, status, s.clock.now());
  return report(s, status);
}

async function report(s: Sending, status: SendStatus, detail?: string): Promise<SendReport> {
  const { run } = s;
  const c = await s.outbox.outboxCounts(run.id);
  const skipped = { ...run.counts.skipped };
  // Rows skipped at send time: the customer-service window lapsed while the run waited.
  skipped.outside_48h += c.skipped;
  return {
    run: run.id, broadcast: run.broadcastId, status, audience: run.counts.audience, planned: run.counts.planned,
    sent: c.sent, unknown: c.unknown, failed: c.failed, pending: c.pending + c.sending, skipped, errors: s.errors,
    ...(detail ? { detail } : {}),
  };
}
