/**
 * The broadcast scheduler: starts due broadcasts and resumes unfinished runs.
 *
 * node-cron wakes it every minute (`* * * * *`); each tick asks the pure `dueOccurrence` (policy.ts) with the
 * injected clock whether a broadcast's `at` time or latest cron occurrence (in its time zone, default
 * Asia/Shanghai; cron-parser, see cron-schedule.ts) is due and not yet handled. A broadcast found not due is
 * not asked again before its next occurrence (unless its schedule or last occurrence changes), so a tick over
 * many recurring broadcasts costs a query and a map lookup each, and the webhook on the same event loop does
 * not wait for it. A schedule that cannot be evaluated is logged once and skipped; the others go on.
 *
 * Missed schedules: on start (and every tick) an occurrence that passed while the server was down runs ONCE
 * if it is at most `graceMs` old (default 6 h); an older one is recorded as missed and skipped (a one-shot
 * `at` broadcast then becomes `failed`; a cron broadcast waits for its next occurrence). Several occurrences
 * missed in a row run at most once (the latest); occurrences more than 7 days old are not looked for.
 *
 * Several servers may run the scheduler on one database: the occurrence is claimed with a compare-and-set
 * on the broadcast and the run is unique per (broadcast, occurrence), so one run is planned; the run's
 * lease lets one server send it. Runs waiting for quiet hours to end are resumed by the tick after.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { systemClock, type Clock } from '../core/clock.ts';
import { silentLogger, type Logger } from '../core/log.ts';
import type { Broadcast } from './model.ts';
import { dueOccurrence, HOUR, WEEK_MS, type Due, type Schedule } from './policy.ts';
import type { BroadcastService } from './service.ts';
import { senderOptions, sendRun, type SenderSetup, type SenderTuning } from './sender.ts';
import type { WechatClient } from '../wechat-api/client.ts';
import type { AccountType } from '../core/config.ts';

const DEFAULT_GRACE_MS = 6 * HOUR;

export interface SchedulerOptions {
  readonly service: BroadcastService;
  readonly client: (account: string) => WechatClient | null;
  readonly accountType: AccountType;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly graceMs?: number;
  /** Sender tuning for scheduled runs. */
  readonly sender?: Omit<SenderTuning, 'signal'>;
  /** How often to tick (a node-cron expression; default every minute). */
  readonly every?: string;
}

export interface BroadcastScheduler {
  /** Ticks at once (catching up missed schedules within the grace period), then on every node-cron beat. */
  start(): void;
  /** Stops ticking, asks sends in progress to stop after their current call, and waits for them. */
  stop(): Promise<void>;
  /** One pass: start due broadcasts, resume waiting runs. Resolves when the pass is planned (not sent). */
  tick(): Promise<void>;
  /** Resolves when every send this scheduler started has returned. */
  idle(): Promise<void>;
}

const scheduleOf = (s: NonNullable<Broadcast['definition']['schedule']>): Schedule =>
  'at' in s ? { at: Date.parse(s.at) } : { cron: s.cron, tz: s.tz };

/** What `dueOccurrence` answers depends on the schedule and the last occurrence handled (and the clock). */
const dueKey = (b: Broadcast, s: NonNullable<Broadcast['definition']['schedule']>): string =>
  `${'at' in s ? s.at : `${s.cron}\n${s.tz}`}\n${b.lastOccurrence ?? ''}`;

/** A broadcast found not due: nothing is due before `until` while `key` holds and the clock has not gone back before `at`. */
interface NotDue {
  readonly key: string;
  readonly at: number;
  readonly until: number;
}

/**
 * @example const scheduler = createBroadcastScheduler({ service, client: clientFor, accountType }); scheduler.start(); … await scheduler.stop();
 */
export function createBroadcastScheduler(options: SchedulerOptions): BroadcastScheduler {
  const { service } = options;
  const store = service.store;
  const clock = options.clock ?? systemClock;
  const log = (options.logger ?? silentLogger).child({ module: 'push-scheduler' });
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const abort = new AbortController();
  const sender: SenderSetup = { sql: service.sql, accountType: options.accountType, clock, logger: options.logger ?? silentLogger, tuning: options.sender };
  const sending = new Map<number, Promise<void>>();
  let task: ScheduledTask | null = null;
  let ticking: Promise<void> | null = null;

  function launch(runId: number, account: string): void {
    if (sending.has(runId) || abort.signal.aborted) return;
    const client = options.client(account);
    if (!client) {
      log.warn({ run: runId }, 'a broadcast is due but no WeChat API is configured');
      return;
    }
    const p = senderOptions(sender, client, account, { signal: abort.signal })
      .then((options) => sendRun(options, runId))
      .then((r) => log.info({ run: runId, status: r.status, sent: r.sent, failed: r.failed, unknown: r.unknown }, 'broadcast run'))
      .catch((err: unknown) => log.error({ err, run: runId }, 'broadcast run failed'))
      .finally(() => sending.delete(runId));
    sending.set(runId, p);
  }

  const warnedNoApi = new Set<number>();
  const notDue = new Map<number, NotDue>();
  /** Due or not, asking dueOccurrence only when the answer may have changed since it last said none. */
  function dueNow(b: Broadcast, s: NonNullable<Broadcast['definition']['schedule']>, now: number): Due {
    const key = dueKey(b, s);
    const known = notDue.get(b.id);
    if (known && known.key === key && known.at <= now && now < known.until) return { kind: 'none', next: known.until };
    let due: Due;
    try {
      due = dueOccurrence(scheduleOf(s), b.lastOccurrence, now, graceMs, WEEK_MS);
    } catch (err) {
      // Stored before its expression was refused at creation: it cannot run, and it must not stop the others.
      log.error({ err, broadcast: b.id, schedule: s }, 'a broadcast schedule cannot be evaluated; it is skipped until its definition changes');
      due = { kind: 'none', next: null };
    }
    if (due.kind === 'none') notDue.set(b.id, { key, at: now, until: due.next ?? Infinity });
    return due;
  }

  async function pass(): Promise<void> {
    const now = clock.now();
    const seen = new Set<number>();
    for (const b of await store.scheduled()) {
      const s = b.definition.schedule;
      if (!s) continue;
      seen.add(b.id);
      // Found due before but its account has no API: until one appears, the schedule need not be asked again.
      if (warnedNoApi.has(b.id) && !options.client(b.account)) continue;
      const due = dueNow(b, s, now);
      if (due.kind === 'none') continue;
      const schedule = scheduleOf(s);
      // No API: plan nothing (the occurrence stays unclaimed and runs, if still within the grace period, once there is one).
      if (!options.client(b.account)) {
        if (!warnedNoApi.has(b.id)) log.warn({ broadcast: b.id, account: b.account }, 'a scheduled broadcast cannot be sent: no WeChat API is configured for its account');
        warnedNoApi.add(b.id);
        continue;
      }
      // Claim the occurrence: another scheduler on the same database may be looking at it too.
      if (!(await store.markOccurrence(b.id, due.occurrence, now))) continue;
      if (due.kind === 'missed') {
        log.warn({ broadcast: b.id, occurrence: new Date(due.occurrence).toISOString(), graceMs }, 'broadcast schedule missed beyond the grace period; skipped');
        if ('at' in schedule) await store.move(b.id, 'failed', now);
        continue;
      }
      try {
        await service.startRun(await store.require(b.id), `${'at' in schedule ? 'at' : 'cron'}:${due.occurrence}`);
      } catch (err) {
        log.error({ err, broadcast: b.id }, 'could not plan a broadcast run');
      }
    }
    for (const id of notDue.keys()) if (!seen.has(id)) notDue.delete(id);
    for (const run of await store.openRuns()) {
      if (run.notBefore > clock.now()) continue;
      // A run another server holds answers 'busy' at once (sendRun checks the lease).
      launch(run.id, run.account);
    }
  }

  const self: BroadcastScheduler = {
    start() {
      void self.tick();
      task = cron.schedule(options.every ?? '* * * * *', () => self.tick(), { name: 'guang-broadcasts', noOverlap: true });
    },
    async stop() {
      await task?.stop();
      await task?.destroy();
      task = null;
      abort.abort();
      await ticking;
      await self.idle();
    },
    tick() {
      ticking ??= pass()
        .catch((err: unknown) => log.error({ err }, 'broadcast scheduler tick failed'))
        .finally(() => {
          ticking = null;
        });
      return ticking;
    },
    async idle() {
      while (sending.size > 0) await Promise.all([...sending.values()]);
    },
  };
  return self;
}
