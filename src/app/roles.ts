/**
 * What one `guang serve` process does (`--role`). Behind a load balancer, several web instances answer the
 * followers and the merchants while one worker sends: the duties are split so that adding a web instance adds
 * answering capacity without adding another sender polling the same outboxes, and a broadcast of a million
 * messages never shares an event loop with the webhook's five-second answer budget.
 *
 * - `web`: the webhook, the admin API and console, the mobile pages, the embedded simulator when asked for,
 *   late customer-service answers, and the housekeeping of what answering writes (handled-message records,
 *   sessions, process leases, orphaned dedup claims). Every web instance runs that housekeeping: its deletes
 *   are idempotent, and a dead instance's claims are closed by the ones still up.
 * - `worker`: the broadcast scheduler and sender and the order-notice outbox; on its port only /healthz and
 *   /readyz (metrics on GUANG_METRICS_PORT, as for every role).
 * - `all`: both, in one process (the default; one SQLite file on one host needs nothing else).
 *
 * The WeChat access token is fetched on demand by whichever process calls the API, and shared through the
 * database (src/wechat-api/token-store.ts): no role owns it.
 */

export const SERVE_ROLES = ['all', 'web', 'worker'] as const;
export type ServeRole = (typeof SERVE_ROLES)[number];

export interface RoleDuties {
  /** Serves the webhook, the admin API, the console and the mobile pages, and keeps their rows pruned. */
  readonly answers: boolean;
  /** Runs the broadcast scheduler and sender, and delivers order notices from their outbox. */
  readonly sends: boolean;
}

/** @example dutiesOf('worker') // { answers: false, sends: true } */
export function dutiesOf(role: ServeRole): RoleDuties {
  return { answers: role !== 'worker', sends: role !== 'web' };
}

/**
 * How often a worker's scheduler looks for due broadcasts and open runs. A run planned through a web
 * instance's API ("send now") cannot wake the sender in another process, so a worker looks every five seconds;
 * in `all` the API wakes the scheduler directly, and once a minute is enough for schedules.
 */
export const schedulerBeat = (role: ServeRole): string => (role === 'all' ? '* * * * *' : '*/5 * * * * *');
