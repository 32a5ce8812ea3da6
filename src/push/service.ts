/**
 * Broadcasts as operations: create, preview, send (or resume), list, cancel, settings. The CLI, the admin
 * API and the scheduler all go through here; the WeChat client and the clock are injected.
 */
import type { AccountType } from '../core/config.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { maskId, silentLogger, type Logger } from '../core/log.ts';
import type { Sql } from '../db/sql/sql.ts';
import { API_HOW } from '../wechat-api/access.ts';
import type { WechatClient } from '../wechat-api/client.ts';
import { parseBroadcast, PushError, type Broadcast, type BroadcastDefinition, type FollowerOutcome, type Run, type RunOutcome } from './model.ts';
import { pushOutbox, type PushOutbox } from './outbox.ts';
import { calendar, occurrences } from './calendar.ts';
import { createRun, previewBroadcast, resolveMessage, type Preview } from './planner.ts';
import type { PushSettings } from './policy.ts';
import { senderOptions, sendRun, type SendReport, type SenderOptions, type SenderSetup, type SenderTuning } from './sender.ts';

export interface BroadcastServiceOptions {
  readonly sql: Sql;
  readonly accountType: AccountType;
  /** The account's WeChat client (null: no API configured — sending refuses with a clear message). */
  readonly client: (account: string) => WechatClient | null;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Sender tuning (rate, concurrency, retries, lease). */
  readonly sender?: SenderTuning;
  readonly massBatchSize?: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** How many coming run times a preview lists. */
const NEXT_RUNS = 5;
/** The coming run times of a definition's schedule (none without one). */
const nextRuns = (d: BroadcastDefinition, now: number): string[] =>
  d.schedule ? occurrences(d.schedule, now, Infinity, NEXT_RUNS).map((t) => new Date(t).toISOString()) : [];

/**
 * What the platform reported for a mass run's batches (`MASSSENDJOBFINISH`), summed: `batches` jobs, of which
 * `reported` have reported; the counts cover the reported ones (null until the first report).
 */
export interface MassReconciliation {
  readonly batches: number;
  readonly reported: number;
  readonly total: number | null;
  readonly filter: number | null;
  readonly sent: number | null;
  readonly error: number | null;
}

async function massReconciliation(outbox: PushOutbox, runId: number): Promise<MassReconciliation> {
  const t = await outbox.massJobTotals(runId);
  return { batches: t.jobs, reported: t.finished, total: t.total, filter: t.filtered, sent: t.sent, error: t.errors };
}

/** How many masked openids a run lists in the broadcast's JSON (the per-run detail lists them all). */
const LISTED_UNKNOWNS = 20;

/** What the operator can do about a run's unknowns (null when there are none or the run is not the latest). */
export function retryHint(broadcastId: number, unknown: number, latest: boolean): string | null {
  if (unknown === 0 || !latest) return null;
  return `${unknown} follower(s) may or may not have received it (the call timed out or the sender stopped mid-call): `
    + `guang broadcast send ${broadcastId} --retry-unknown re-sends to them, knowing some may receive it twice`;
}

/**
 * A run's outcome in the JSON shape of the API and the CLI: sent, failed (total and by errcode), unknown,
 * still pending, and skipped by reason (at planning, plus the rows whose window lapsed at send time).
 */
function outcomeJson(r: Run, o: RunOutcome) {
  const skipped = { ...r.counts.skipped, outside_48h: r.counts.skipped.outside_48h + o.skippedAtSend };
  return {
    audience: r.counts.audience, planned: r.counts.planned,
    sent: o.sent, failed: o.failed, failed_by_code: o.failedByCode, unknown: o.unknown, pending: o.pending,
    ...(o.cancelled > 0 ? { cancelled: o.cancelled } : {}),
    skipped,
  };
}

/**
 * The JSON shape of a broadcast (CLI output, `/api/broadcasts`). Each run carries its outcome (outcomeJson)
 * and the followers whose outcome is unknown, masked (at most LISTED_UNKNOWNS; `guang broadcast report` and
 * `GET /api/broadcasts/:id/runs/:run` list them in full). A mass run carries `reconciled`: the platform's
 * counts for its batches (see MassReconciliation), when `reconcile` is given.
 */
export function broadcastJson(
  b: Broadcast,
  runs: readonly Run[] = [],
  reconcile?: (run: Run) => MassReconciliation | null,
  outcomes?: (run: Run) => { outcome: RunOutcome; unknown: readonly string[] },
) {
  const latest = runs.at(-1)?.id;
  return {
    id: b.id, account: b.account, status: b.status, ...b.definition,
    created_at: iso(b.createdAt), updated_at: iso(b.updatedAt),
    runs: runs.map((r) => {
      const reconciled = reconcile?.(r) ?? null;
      const o = outcomes?.(r) ?? null;
      const hint = o ? retryHint(b.id, o.outcome.unknown, r.id === latest) : null;
      return {
        id: r.id, occurrence: r.occurrence, status: r.status, ...r.counts,
        ...(o ? {
          ...outcomeJson(r, o.outcome),
          unknown_followers: o.unknown.slice(0, LISTED_UNKNOWNS).map(maskId),
          ...(o.unknown.length > LISTED_UNKNOWNS ? { unknown_followers_more: o.unknown.length - LISTED_UNKNOWNS } : {}),
        } : {}),
        not_before: iso(r.notBefore), finished_at: iso(r.finishedAt), error: r.error,
        ...(reconciled ? { reconciled } : {}),
        ...(hint ? { next: hint } : {}),
      };
    }),
  };
}

const REASON_WORDS: Record<keyof Preview['skipped'], string> = {
  unfollowed: 'unfollowed', opted_out: 'opted out', outside_48h: 'outside the 48-hour window', quiet_hours: 'in quiet hours',
  platform_limit: 'at the platform\'s limit', capped: 'at the weekly cap',
};

/**
 * Why a broadcast planned now would reach nobody (null when it reaches someone): the audience matches no
 * follower, or everyone it matches is skipped (the reasons, most followers first), or it is blocked.
 */
function nobodyWhy(p: Preview, messageProblem: string | null): string | null {
  if (messageProblem) return messageProblem;
  if (p.blocked) return p.blocked;
  if (p.eligible > 0) return null;
  if (p.audience === 0) return 'reaches nobody: the audience matches no follower';
  const reasons = (Object.entries(p.skipped) as [keyof Preview['skipped'], number][]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return `reaches nobody now: of ${p.audience} follower(s), ${reasons.map(([r, n]) => `${n} ${REASON_WORDS[r]}`).join(', ')}`;
}

export function createBroadcastService(options: BroadcastServiceOptions) {
  const { sql, accountType } = options;
  const clock = options.clock ?? systemClock;
  const store = pushOutbox(sql);
  const deps = { sql, accountType, ...(options.massBatchSize ? { massBatchSize: options.massBatchSize } : {}) };
  const sender: SenderSetup = { sql, accountType, clock, logger: options.logger ?? silentLogger, tuning: options.sender };

  /**
   * Plans the run of one occurrence (or returns the one already planned) and marks the broadcast sending, in
   * the run's transaction (recordRun).
   */
  async function startRun(b: Broadcast, occurrence: string): Promise<Run> {
    return createRun(deps, b, await store.settings(b.account), occurrence, clock.now());
  }

  /** The account's client, or PushError('blocked') before anything is planned or recorded. */
  function requireClient(account: string): WechatClient {
    const client = options.client(account);
    if (!client) throw new PushError('blocked', `no WeChat API for account ${account}: broadcasts cannot be sent (nothing was planned or recorded); ${API_HOW}`);
    return client;
  }

  /**
   * `send --retry-unknown` after the run finished: the broadcast's latest run, when it ended `done` with
   * followers whose outcome is unknown, goes back to `sending` (and the broadcast with it) so the sender
   * re-queues them under its lease. Null when there is nothing to retry.
   */
  async function reopenForRetry(b: Broadcast): Promise<Run | null> {
    if (b.status === 'cancelled') return null;
    const latest = (await store.runs(b.id)).at(-1);
    if (!latest || latest.status !== 'done' || (await store.runOutcome(latest.id)).unknown === 0) return null;
    await store.reopen(latest, clock.now());
    return store.run(latest.id);
  }

  /** What a run planned now would count, and its JSON (the API's and the CLI's preview). */
  async function previewCounts(b: Broadcast) {
    const now = clock.now();
    const p = await previewBroadcast(deps, b, await store.settings(b.account), now);
    const json = {
      channel: b.definition.channel, audience: p.audience, to_send: p.eligible, skipped: p.skipped,
      ...(p.sendAt > now ? { quiet_hours_until: iso(p.sendAt) } : {}),
      ...(p.blocked ? { blocked: p.blocked } : {}),
    };
    return { p, json };
  }

  /** The JSON of a run's outcome and its unknown followers (see broadcastJson), read before it is rendered. */
  async function outcomeOf(r: Run): Promise<{ outcome: RunOutcome; unknown: string[] }> {
    const [outcome, followers] = await Promise.all([store.runOutcome(r.id), store.undecidedFollowers(r.id)]);
    return { outcome, unknown: followers.filter((f) => f.state === 'unknown').map((f) => f.user) };
  }

  const self = {
    sql,
    store,
    requireClient,
    /** Validates and stores a definition; PushError('validation') lists the problems. */
    async create(account: string, input: unknown): Promise<Broadcast> {
      const parsed = parseBroadcast(input);
      if (!parsed.ok) throw new PushError('validation', parsed.problems.join('; '));
      return store.create(account, parsed.value, clock.now());
    },
    /** Replaces a draft's or a scheduled broadcast's definition (validated as `create` validates it). */
    async update(id: number, input: unknown, account?: string): Promise<Broadcast> {
      const b = await store.require(id, account);
      const parsed = parseBroadcast(input);
      if (!parsed.ok) throw new PushError('validation', parsed.problems.join('; '));
      return store.update(b.id, parsed.value, clock.now());
    },
    get: (id: number, account?: string) => store.require(id, account),
    list: (account: string) => store.list(account),
    async json(b: Broadcast) {
      const runs = await store.runs(b.id);
      const reconciled = new Map<number, MassReconciliation>();
      const outcomes = new Map<number, { outcome: RunOutcome; unknown: string[] }>();
      for (const r of runs) {
        if (r.channel === 'mass') reconciled.set(r.id, await massReconciliation(store, r.id));
        outcomes.set(r.id, await outcomeOf(r));
      }
      return broadcastJson(b, runs, (r) => reconciled.get(r.id) ?? null, (r) => outcomes.get(r.id)!);
    },
    /**
     * One run in full, for the operator: its outcome and every follower whose outcome is unknown or who failed,
     * with full openids. Without `runId`, the broadcast's latest run.
     */
    async runDetail(id: number, runId?: number, account?: string) {
      const b = await store.require(id, account);
      const runs = await store.runs(b.id);
      const r = runId === undefined ? runs.at(-1) : runs.find((x) => x.id === runId);
      if (!r) throw new PushError('not_found', runId === undefined ? `broadcast ${b.id} has not run yet` : `no run ${runId} of broadcast ${b.id}`);
      const o = await store.runOutcome(r.id);
      const followers: FollowerOutcome[] = await store.undecidedFollowers(r.id);
      const hint = retryHint(b.id, o.unknown, r.id === runs.at(-1)!.id);
      return {
        broadcast: b.id, run: r.id, occurrence: r.occurrence, channel: r.channel, status: r.status,
        ...outcomeJson(r, o),
        unknown_followers: followers.filter((f) => f.state === 'unknown').map((f) => f.user),
        failed_followers: followers.filter((f) => f.state === 'failed').map((f) => ({ openid: f.user, code: f.code ?? 0 })),
        not_before: iso(r.notBefore), finished_at: iso(r.finishedAt), error: r.error,
        ...(r.channel === 'mass' ? { reconciled: await massReconciliation(store, r.id) } : {}),
        ...(hint ? { next: hint } : {}),
      };
    },
    /** Audience size and skipped counts by reason, as a run planned now would see them. Writes nothing. */
    async preview(id: number, account?: string) {
      const b = await store.require(id, account);
      return { broadcast: b.id, ...(await previewCounts(b)).json };
    },
    /**
     * The preview of a definition not saved (the console's editor): validated as `create` validates it, then
     * what a run planned now would count, the message as the follower would see it (a product pick resolved),
     * the schedule's next run times, and why it would reach nobody. Writes nothing.
     */
    async previewDraft(account: string, input: unknown) {
      const parsed = parseBroadcast(input);
      if (!parsed.ok) throw new PushError('validation', parsed.problems.join('; '));
      const now = clock.now();
      const b: Broadcast = { id: 0, account, status: 'draft', definition: parsed.value, lastOccurrence: null, createdAt: now, updatedAt: now };
      const { p, json } = await previewCounts(b);
      let message = null;
      let messageProblem: string | null = null;
      try {
        message = await resolveMessage(store, account, parsed.value.message);
      } catch (err) {
        if (!(err instanceof PushError)) throw err;
        messageProblem = err.message;
      }
      const why = nobodyWhy(p, messageProblem);
      return {
        ...json, message, next_runs: nextRuns(parsed.value, now),
        ...(why ? { warning: why } : {}),
      };
    },
    /** The calendar over [from, to): runs made and occurrences to come, by week, with the weekly cap. */
    async calendar(account: string, from: number, to: number) {
      const settings = await store.settings(account);
      const broadcasts = await store.list(account);
      const runs = new Map<number, Run[]>();
      for (const b of broadcasts) runs.set(b.id, await store.runs(b.id));
      const weeks = calendar(broadcasts, (b) => runs.get(b.id) ?? [], settings, from, to, clock.now());
      return { weekly_cap: settings.weeklyCap, tz: settings.tz, weeks };
    },
    nextRuns: (d: BroadcastDefinition) => nextRuns(d, clock.now()),
    startRun,
    /**
     * Sends now: resumes the broadcast's unfinished run if it has one, else plans a new run. Resolves when
     * the run is drained (or waits for quiet hours, or another sender holds it).
     */
    async send(id: number, opts: { account?: string; retryUnknown?: boolean; onProgress?: SenderOptions['onProgress']; signal?: AbortSignal } = {}): Promise<SendReport> {
      const b = await store.require(id, opts.account);
      const client = requireClient(b.account);
      let run = (await store.openRun(b.id)) ?? (opts.retryUnknown ? await reopenForRetry(b) : null);
      if (!run) {
        if (opts.retryUnknown) throw new PushError('conflict', `broadcast ${id}: its latest run has no follower whose outcome is unknown; nothing to retry`);
        if (b.status === 'cancelled' || b.status === 'done') throw new PushError('conflict', `broadcast ${id} is ${b.status}`);
        run = await startRun(b, `manual:${clock.now()}`);
      }
      return sendRun(await senderOptions(sender, client, b.account, opts), run.id);
    },
    /** Cancels the broadcast, its unfinished run and every row not yet sent. */
    async cancel(id: number, account?: string): Promise<Broadcast> {
      const b = await store.require(id, account);
      await store.cancel(b.id, clock.now());
      return store.require(b.id);
    },
    settings: (account: string) => store.settings(account),
    saveSettings: (account: string, s: PushSettings) => store.saveSettings(account, s, clock.now()),
  };
  return self;
}
export type BroadcastService = ReturnType<typeof createBroadcastService>;
