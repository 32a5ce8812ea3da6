/**
 * `MASSSENDJOBFINISH` (Inbound kind 'mass_send_finished'): the platform's final counts for a mass job,
 * reconciled against the batch that carried its msg_id.
 */
import type { Step } from '../agent/pipeline.ts';
import type { Inbound } from '../core/messages.ts';
import { NO_REPLY } from '../core/messages.ts';
import type { Sql } from '../db/sql/sql.ts';
import { pushOutbox } from './outbox.ts';

/**
 * Records the job's status and counts; returns the run it belongs to, or null for a job this database did
 * not send. Idempotent (a retried event writes the same counts).
 * @example await massSendFinished(sql, inbound) // → { run: 12, batch: 0 }
 */
export async function massSendFinished(sql: Sql, inbound: Inbound, now: number = Date.now()): Promise<{ run: number; batch: number } | null> {
  if (inbound.kind !== 'mass_send_finished') return null;
  return pushOutbox(sql).massJobFinished(inbound.msgId, inbound, now);
}

/** The agent step: a mass-send report is recorded and answered with nothing; other inbounds pass on. */
export function massSendFinishedStep(sql: Sql): Step {
  return async (ctx, next) => {
    if (ctx.inbound.kind !== 'mass_send_finished') return next();
    const inbound = ctx.inbound;
    // One UPDATE, a one-statement unit (on SQLite in the same group commit as the message's other writes).
    const found = await massSendFinished(sql, inbound, ctx.now);
    ctx.log.info({ msgId: inbound.msgId, status: inbound.status, sent: inbound.sentCount, errors: inbound.errorCount, run: found?.run ?? null }, 'mass send finished');
    ctx.answer(NO_REPLY, 'broadcast-mass-finished');
  };
}
