/**
 * `MASSSENDJOBFINISH` (Inbound kind 'mass_send_finished'): the platform's final counts for a mass job,
 * reconciled against the batch that carried its msg_id.
 */
import type { Step } from '../agent/pipeline.ts';
import type { Inbound } from '../core/messages.ts';
import { NO_REPLY } from '../core/messages.ts';
import type { Db } from '../db/db.ts';

/**
 * Records the job's status and counts; returns the run it belongs to, or null for a job this database did
 * not send. Idempotent (a retried event writes the same counts).
 * @example massSendFinished(db, inbound) // → { run: 12, batch: 0 }
 */
export function massSendFinished(db: Db, inbound: Inbound, now: number = Date.now()): { run: number; batch: number } | null {
  if (inbound.kind !== 'mass_send_finished') return null;
  const job = db.prepare<[string], { run_id: number; batch: number }>('SELECT run_id, batch FROM push_mass_jobs WHERE msg_id = ?').get(inbound.msgId);
  if (!job) return null;
  db.prepare(`UPDATE push_mass_jobs SET status = ?, total_count = ?, filter_count = ?, sent_count = ?, error_count = ?, updated_at = ?
    WHERE run_id = ? AND batch = ?`).run(inbound.status, inbound.totalCount, inbound.filterCount, inbound.sentCount, inbound.errorCount, now, job.run_id, job.batch);
  return { run: job.run_id, batch: job.batch };
}

/** The platform's counts over a run's jobs (null fields: no MASSSENDJOBFINISH yet for some batch). */
export function massJobTotals(db: Db, runId: number) {
  return db.prepare<[number], { jobs: number; finished: number; total: number | null; filtered: number | null; sent: number | null; errors: number | null }>(`
    SELECT COUNT(*) AS jobs, COUNT(status) AS finished, SUM(total_count) AS total, SUM(filter_count) AS filtered,
      SUM(sent_count) AS sent, SUM(error_count) AS errors FROM push_mass_jobs WHERE run_id = ?`).get(runId)!;
}

/** The agent step: a mass-send report is recorded and answered with nothing; other inbounds pass on. */
export function massSendFinishedStep(db: Db): Step {
  return async (ctx, next) => {
    if (ctx.inbound.kind !== 'mass_send_finished') return next();
    const inbound = ctx.inbound;
    const found = await ctx.write(() => massSendFinished(db, inbound, ctx.now));
    ctx.log.info({ msgId: inbound.msgId, status: inbound.status, sent: inbound.sentCount, errors: inbound.errorCount, run: found?.run ?? null }, 'mass send finished');
    ctx.answer(NO_REPLY, 'broadcast-mass-finished');
  };
}
