/**
 * Who changed what through the admin API, and when: one row per successful state-changing request, by a staff
 * user (their name) or by the bearer token (`token`). Read newest first by the owner (GET /api/audit).
 */
import type { Param, Sql } from './sql/sql.ts';

export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  readonly who: string;
  readonly method: string;
  /** The route's operationId, e.g. createRule. */
  readonly route: string;
  /** What it acted on (the path's parameters, e.g. `id=7`), null when nothing in particular. */
  readonly target: string | null;
  readonly account: string;
}

/** @example await createAuditLog(sql).list(50, undefined, { who: 'mei' }) */
export function createAuditLog(sql: Sql) {
  return {
    async record(e: Omit<AuditEntry, 'id'>): Promise<void> {
      await sql.run('INSERT INTO audit_log (at, who, method, route, target, account) VALUES (?, ?, ?, ?, ?, ?)', [e.at, e.who, e.method, e.route, e.target, e.account]);
    },
    /** Newest first: `limit` entries older than the entry `before` (default: from the newest), by `who` and `route` when given. */
    list(limit: number, before?: number, filter: { readonly who?: string | undefined; readonly route?: string | undefined } = {}): Promise<AuditEntry[]> {
      // Only the filters given: a parameter tested for NULL has no type PostgreSQL can infer.
      const where = ['id < ?'];
      const params: Param[] = [before ?? Number.MAX_SAFE_INTEGER];
      for (const [column, value] of [['who', filter.who], ['route', filter.route]] as const) {
        if (value === undefined) continue;
        where.push(`${column} = ?`);
        params.push(value);
      }
      return sql.all<AuditEntry>(`SELECT id, at, who, method, route, target, account FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`, [...params, limit]);
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
