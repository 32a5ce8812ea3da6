/** `/api/audit`: who changed what through the admin API, and when, newest first (the owner's). */
import { z } from 'zod';
import { createAuditLog } from '../../db/audit-log.ts';
import { decodeCursor, isoTime, page, pageOf, pageQuery, route, type Route } from '../http.ts';
import type { AdminApiOptions } from '../options.ts';

const auditJson = z.strictObject({
  id: z.number().int(),
  at: isoTime,
  who: z.string().describe('the staff user, or token for the bearer token'),
  method: z.string(),
  route: z.string().describe('the operationId of the route, e.g. createRule'),
  target: z.string().nullable().describe('what it acted on: the path\'s parameters, e.g. id=7'),
  account: z.string(),
});

const auditQuery = pageQuery.extend({
  who: z.string().optional().describe('only this user\'s changes (token: the bearer token\'s)'),
  route: z.string().optional().describe('only this operation, e.g. createRule'),
});

export function auditRoutes(deps: AdminApiOptions): Route[] {
  const audit = createAuditLog(deps.sql);
  return [
    route({
      method: 'get', path: '/audit', id: 'listAudit', tag: 'audit', query: auditQuery, response: pageOf(auditJson),
      summary: 'Every change made through the API (by a staff user or the token), newest first; ?who= and ?route= narrow it',
      handler: async ({ query }) => {
        const rows = await audit.list(query.limit + 1, decodeCursor<number>(query.cursor, 'number'), { who: query.who, route: query.route });
        return page(rows, query.limit, (r) => r.id, (r) => ({ ...r, at: new Date(r.at).toISOString() }));
      },
    }),
  ];
}
