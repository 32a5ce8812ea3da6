/**
 * The delivery worker: takes due notices from the outbox (leased, so several processes may each run one), hands
 * each to a deliverer, and writes the outcome — sent, retried on the schedule (1 min, 5 min, 30 min, 2 h, 6 h),
 * or failed with its reason. The server runs one for the account's messages and the webhook; the Wechaty bot
 * runs one for the `wechaty` notices only.
 */
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/log.ts';
import type { Sql } from '../../db/sql/sql.ts';
import type { DeliveryOutcome, Notice, NoticeVia } from './model.ts';
import { createNoticeOutbox, onNoticeAdded } from './outbox.ts';

type Deliverer = (notice: Notice) => Promise<DeliveryOutcome>;

export interface NoticeWorkerOptions {
  readonly sql: Sql;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The notices this worker takes (the others are another process's). */
  readonly vias: readonly NoticeVia[];
  readonly deliver: Deliverer;
  /** How long a taken notice is this worker's (default 60 s: far longer than one delivery's 5–10 s timeouts). */
  readonly leaseMs?: number;
  /** Notices taken at once (default 10). */
  readonly batch?: number;
  /** How often it looks for due notices when idle (default 1 s). */
  readonly pollMs?: number;
  /** The retry schedule (default RETRY_DELAYS_MS). */
  readonly delays?: readonly number[];
}

export interface NoticeWorker {
  /** Takes and delivers one batch of due notices; resolves to how many it took. */
  tick(): Promise<number>;
  /** Polls until `stop`. */
  start(): void;
  /** Looks now instead of at the next poll (e.g. after an order was placed). */
  kick(): void;
  /** Stops polling and waits for the batch under way. */
  stop(): Promise<void>;
}

/**
 * @example const worker = createNoticeWorker({ sql, clock, logger, vias: ['webhook'], deliver: webhookDeliverer(...) }); worker.start(); … await worker.stop();
 */
export function createNoticeWorker(options: NoticeWorkerOptions): NoticeWorker {
  const { clock, logger, vias, deliver } = options;
  const outbox = createNoticeOutbox(options.sql, options.delays ? { delays: options.delays } : {});
  const leaseMs = options.leaseMs ?? 60_000;
  const batch = options.batch ?? 10;
  const pollMs = options.pollMs ?? 1000;
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<number> | null = null;
  /** A notice was added while a batch was under way: look again right after it. */
  let again = false;
  let unsubscribe: (() => void) | null = null;

  async function attempt(notice: Notice): Promise<DeliveryOutcome> {
    try {
      return await deliver(notice);
    } catch (err) {
      // A deliverer that throws has a bug or met the unexpected: retried on the schedule, visible meanwhile.
      logger.error({ err, notice: notice.id }, 'notice deliverer threw');
      return { ok: false, retry: true, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async function runBatch(): Promise<number> {
    const taken = await outbox.take({ vias, now: clock.now(), leaseMs, limit: batch });
    await Promise.all(
      taken.map(async (t) => {
        const outcome = await attempt(t.notice);
        const kept = await outbox.settle(t, outcome, clock.now());
        const log = { notice: t.notice.id, order: t.notice.orderId, audience: t.notice.audience, attempt: t.attempt };
        if (!kept) logger.warn(log, 'notice lease lost before its outcome was written (another worker took it)');
        else if (outcome.ok) logger.info({ ...log, via: outcome.via ?? t.notice.via }, 'notice delivered');
        else logger.warn({ ...log, retry: outcome.retry, error: outcome.error }, outcome.retry ? 'notice not delivered; will retry' : 'notice failed');
      }),
    );
    return taken.length;
  }

  function tick(): Promise<number> {
    // One batch at a time per worker: a kick during a batch waits for it.
    current ??= runBatch().finally(() => (current = null));
    return current;
  }

  function schedule(ms: number): void {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      again = false;
      tick().then(
        (n) => schedule(n >= batch || again ? 0 : pollMs),
        (err: unknown) => {
          logger.error({ err }, 'notice worker tick failed');
          schedule(pollMs);
        },
      );
    }, ms);
    timer.unref();
  }

  function kick(): void {
    if (!running) return;
    if (current) again = true;
    // A timer, not a call: the batch under way (or the caller) finishes first.
    else schedule(0);
  }

  return {
    tick,
    start() {
      if (running) return;
      running = true;
      // An order placed in this process is told at once; one placed by another process at the next poll.
      unsubscribe = onNoticeAdded(options.sql, kick);
      schedule(0);
    },
    kick,
    async stop() {
      running = false;
      unsubscribe?.();
      unsubscribe = null;
      if (timer) clearTimeout(timer);
      timer = null;
      await current?.catch(() => 0);
    },
  };
}
