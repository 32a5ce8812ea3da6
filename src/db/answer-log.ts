/** Every answer: what was asked, how it was understood, what was shown, how fast — for merchants' reports. */
import type { AccountId, Channel, UserId } from '../core/messages.ts';
import type { AnsweredBy } from '../core/answered-by.ts';
import type { Sql } from './sql/sql.ts';

export interface AnswerRecord {
  readonly account: AccountId;
  readonly user: UserId;
  readonly channel: Channel;
  readonly text: string;
  readonly intent: string | null;
  readonly slots: unknown;
  readonly resultIds: readonly string[];
  readonly answeredBy: AnsweredBy | null;
  readonly latencyMs: number;
  readonly at: number;
}

const INSERT = `
  INSERT INTO answer_log (account, user_id, channel, text, intent, slots, result_ids, answered_by, latency_ms, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export function createAnswerLog(sql: Sql) {
  return {
    async record(r: AnswerRecord): Promise<void> {
      const resultIds = r.resultIds.length === 0 ? '[]' : JSON.stringify(r.resultIds);
      await sql.run(INSERT, [r.account, r.user, r.channel, r.text, r.intent, compactJson(r.slots), resultIds, r.answeredBy, r.latencyMs, r.at]);
    },
    async recent(account: AccountId, limit = 20) {
      const rows = await sql.all<{ text: string; intent: string | null; slots: string | null; result_ids: string | null; answered_by: AnsweredBy | null; latency_ms: number }>(
        'SELECT text, intent, slots, result_ids, answered_by, latency_ms FROM answer_log WHERE account = ? ORDER BY id DESC LIMIT ?',
        [account, limit],
      );
      return rows.map((row) => ({
        text: row.text,
        intent: row.intent,
        slots: row.slots ? (JSON.parse(row.slots) as unknown) : null,
        resultIds: row.result_ids ? (JSON.parse(row.result_ids) as string[]) : [],
        answeredBy: row.answered_by,
        latencyMs: row.latency_ms,
      }));
    },
  };
}

/**
 * Slots as stored: only what was said (no nulls, falses or empty lists), so the log stays small and the
 * hot path stringifies less. Readers treat a missing key as "not said".
 */
function compactJson(slots: unknown): string | null {
  if (slots === undefined || slots === null) return null;
  if (typeof slots !== 'object' || Array.isArray(slots)) return JSON.stringify(slots);
  const said: Record<string, unknown> = {};
  let any = false;
  for (const [k, v] of Object.entries(slots)) {
    if (v === null || v === false || (Array.isArray(v) && v.length === 0)) continue;
    said[k] = v;
    any = true;
  }
  return any ? JSON.stringify(said) : null;
}
