/**
 * Who changed what through the admin API, and when: one row per successful state-changing request, by a staff
 * user (their name) or by the bearer token (`token`). Read newest first by the owner (GET /api/audit).
 */
import type { Db } from './db.ts';

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

export function createAuditLog(db: Db) {
  const insert = db.prepare('INSERT INTO audit_log (at, who, method, route, target, account) VALUES (?, ?, ?, ?, ?, ?)');
  // A filter left out matches every row (NULL parameter).
  const page = db.prepare<[number, string | null, string | null, string | null, string | null, number], AuditEntry>(
    `SELECT id, at, who, method, route, target, account FROM audit_log
     WHERE id < ? AND (? IS NULL OR who = ?) AND (? IS NULL OR route = ?) ORDER BY id DESC LIMIT ?`,
  );
  return {
    record(e: Omit<AuditEntry, 'id'>): void {
      insert.run(e.at, e.who, e.method, e.route, e.target, e.account);
    },
    /** Newest first: `limit` entries older than the entry `before` (default: from the newest), by `who` and `route` when given. */
    list(limit: number, before?: number, filter: { readonly who?: string | undefined; readonly route?: string | undefined } = {}): AuditEntry[] {
      const who = filter.who ?? null;
      const route = filter.route ?? null;
      return page.all(before ?? Number.MAX_SAFE_INTEGER, who, who, route, route, limit);
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
