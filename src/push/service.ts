/**
 * Broadcasts as operations: create, preview, send (or resume), list, cancel, settings. The CLI, the admin
 * API and the scheduler all go through here; the WeChat client and the clock are injected.
 */
import type { AccountType } from '../config.ts';
import { systemClock, type Clock } from '../clock.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { API_HOW } from '../wechat-api/access.ts';
import type { WechatClient } from '../wechat-api/client.ts';
import { massJobTotals } from './mass-finished.ts';
import { parseBroadcast, type Broadcast } from './model.ts';
import type { PushSettings } from './policy.ts';
import { createRun, previewBroadcast } from './run.ts';
import { sendRun, type SendReport, type SenderOptions } from './sender.ts';
import { createBroadcastStore, PushError, type Run } from './store.ts';

export interface BroadcastServiceOptions {
  readonly db: Db;
  readonly accountType: AccountType;
  /** The account's WeChat client (null: no API configured — sending refuses with a clear message). */
  readonly client: (account: string) => WechatClient | null;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Sender tuning (rate, concurrency, retries, lease). */
  readonly sender?: Omit<Partial<SenderOptions>, 'db' | 'client' | 'accountType' | 'settings' | 'clock'>;
  readonly massBatchSize?: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

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

export function massReconciliation(db: Db, runId: number): MassReconciliation {
  const t = massJobTotals(db, runId);
  return { batches: t.jobs, reported: t.finished, total: t.total, filter: t.filtered, sent: t.sent, error: t.errors };
}

/**
 * The JSON shape of a broadcast (CLI output, `/api/broadcasts`). A mass run carries `reconciled`: the
 * platform's counts for its batches (see MassReconciliation), when `reconcile` is given.
 */
export function broadcastJson(b: Broadcast, runs: readonly Run[] = [], reconcile?: (run: Run) => MassReconciliation | null) {
  return {
    id: b.id, account: b.account, status: b.status, ...b.definition,
    created_at: iso(b.createdAt), updated_at: iso(b.updatedAt),
    runs: runs.map((r) => {
      const reconciled = reconcile?.(r) ?? null;
      return {
        id: r.id, occurrence: r.occurrence, status: r.status, ...r.counts, not_before: iso(r.notBefore), finished_at: iso(r.finishedAt), error: r.error,
        ...(reconciled ? { reconciled } : {}),
      };
    }),
  };
}

export function createBroadcastService(options: BroadcastServiceOptions) {
  const { db, accountType } = options;
  const clock = options.clock ?? systemClock;
  const store = createBroadcastStore(db);
  const deps = { db, accountType, ...(options.massBatchSize ? { massBatchSize: options.massBatchSize } : {}) };

  /** Plans the run of one occurrence (or returns the one already planned) and marks the broadcast sending. */
  function startRun(b: Broadcast, occurrence: string): Run {
    const now = clock.now();
    const run = createRun(deps, b, store.settings(b.account), occurrence, now);
    const cron = b.definition.schedule !== undefined && 'cron' in b.definition.schedule;
    const current = store.require(b.id).status;
    if (run.status === 'sending' && current !== 'sending') store.move(b.id, 'sending', now);
    else if (run.status === 'done' && current !== 'sending') {
      // Nobody to send to: a draft still goes draft → sending → done (draft → done is no lifecycle move).
      if (current === 'draft') store.move(b.id, 'sending', now);
      store.move(b.id, cron ? 'scheduled' : 'done', now);
    }
    return run;
  }

  /** The account's client, or PushError('blocked') before anything is planned or recorded. */
  function requireClient(account: string): WechatClient {
    const client = options.client(account);
    if (!client) throw new PushError('blocked', `no WeChat API for account ${account}: broadcasts cannot be sent (nothing was planned or recorded); ${API_HOW}`);
    return client;
  }

  const self = {
    db,
    store,
    requireClient,
    /** Validates and stores a definition; PushError('validation') lists the problems. */
    create(account: string, input: unknown): Broadcast {
      const parsed = parseBroadcast(input);
      if (!parsed.ok) throw new PushError('validation', parsed.problems.join('; '));
      return store.create(account, parsed.value, clock.now());
    },
    get: (id: number, account?: string) => store.require(id, account),
    list: (account: string) => store.list(account),
    json: (b: Broadcast) => broadcastJson(b, store.runs(b.id), (r) => (r.channel === 'mass' ? massReconciliation(db, r.id) : null)),
    /** Audience size and skipped counts by reason, as a run planned now would see them. Writes nothing. */
    preview(id: number, account?: string) {
      const b = store.require(id, account);
      const settings = store.settings(b.account);
      const p = previewBroadcast(deps, b, settings, clock.now());
      const now = clock.now();
      return {
        broadcast: b.id, channel: b.definition.channel, audience: p.audience, to_send: p.eligible, skipped: p.skipped,
        ...(p.sendAt > now ? { quiet_hours_until: iso(p.sendAt) } : {}),
        ...(p.blocked ? { blocked: p.blocked } : {}),
      };
    },
    startRun,
    /**
     * Sends now: resumes the broadcast's unfinished run if it has one, else plans a new run. Resolves when
     * the run is drained (or waits for quiet hours, or another sender holds it).
     */
    async send(id: number, opts: { account?: string; retryUnknown?: boolean; onProgress?: SenderOptions['onProgress']; signal?: AbortSignal } = {}): Promise<SendReport> {
      let b = store.require(id, opts.account);
      const client = requireClient(b.account);
      let run = store.openRun(b.id);
      if (!run) {
        if (b.status === 'cancelled' || b.status === 'done') throw new PushError('conflict', `broadcast ${id} is ${b.status}`);
        run = startRun(b, `manual:${clock.now()}`);
        b = store.require(b.id);
      }
      if (opts.retryUnknown) {
        db.prepare("UPDATE push_outbox SET state = 'pending', next_at = 0 WHERE run_id = ? AND state = 'unknown'").run(run.id);
      }
      return sendRun({
        db, client, accountType, settings: store.settings(b.account), clock, logger: options.logger ?? silentLogger,
        ...options.sender,
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      }, run.id);
    },
    /** Cancels the broadcast, its unfinished run and every row not yet sent. */
    cancel(id: number, account?: string): Broadcast {
      const b = store.require(id, account);
      const now = clock.now();
      db.transaction(() => {
        store.move(b.id, 'cancelled', now);
        for (const r of store.runs(b.id).filter((x) => x.status === 'sending')) {
          db.prepare("UPDATE broadcast_runs SET status = 'cancelled', finished_at = ?, updated_at = ? WHERE id = ?").run(now, now, r.id);
          db.prepare("UPDATE push_outbox SET state = 'cancelled', updated_at = ? WHERE run_id = ? AND state = 'pending'").run(now, r.id);
        }
      }).immediate();
      return store.require(b.id);
    },
    settings: (account: string) => store.settings(account),
    saveSettings: (account: string, s: PushSettings) => store.saveSettings(account, s, clock.now()),
  };
  return self;
}
export type BroadcastService = ReturnType<typeof createBroadcastService>;
