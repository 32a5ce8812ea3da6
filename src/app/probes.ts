/**
 * The routes a load balancer and a monitor poll: /healthz (liveness: the database answers) and /readyz
 * (readiness: database writes succeed, and the process is not stopping), on the public port and on the metrics
 * port; /metrics (Prometheus) only on the metrics port (see metrics-listener.ts).
 *
 * Both say the process's role and the database's kind; /readyz also its schema version and whether this
 * probe's write succeeded. Where the database is (the file, or the URL without its password) is said on the
 * metrics port only: the public port is anyone's to ask, and a path or a host name is the operator's business.
 */
import type { Express } from 'express';
import type { Agent } from '../agent/agent.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import type { Sql } from '../db/sql/sql.ts';
import type { WriteHealth } from '../db/write-health.ts';
import type { DatabaseFacts } from './database-facts.ts';
import type { ServeRole } from './roles.ts';

export interface ProbeOptions {
  readonly sql: Sql;
  readonly agent: Pick<Agent, 'probe'>;
  readonly health: WriteHealth;
  readonly clock: Clock;
  readonly logger: Logger;
  /** True once the server has begun to stop: /readyz answers 503 from then on. */
  readonly draining: () => boolean;
  readonly role: ServeRole;
  readonly database: DatabaseFacts & { readonly schemaVersion: () => Promise<number> };
}

/**
 * Registers `GET /healthz` and `/readyz` on the app; `private` (the metrics port) adds the database's location.
 * @example installProbes(app, probes, 'public');
 */
export function installProbes(app: Express, options: ProbeOptions, where: 'public' | 'private'): void {
  const { sql, agent, health, clock, logger, draining, role, database } = options;
  const place = where === 'private' ? { location: database.location } : {};
  // The probe's own failure is the news: the version is unknown (null) while the database fails.
  const version = (): Promise<number | null> => database.schemaVersion().catch(() => null);
  const about = async (write: 'ok' | 'failed') => ({ role, database: { kind: database.kind, ...place, schemaVersion: await version(), write } });
  app.get('/healthz', async (_req, res) => {
    try {
      await sql.get('SELECT 1');
      res.json({ status: 'ok', role, database: { kind: database.kind, ...place } });
    } catch (err) {
      logger.error({ err }, 'health check: database does not answer');
      res.status(503).json({ status: 'database unavailable', role, database: { kind: database.kind, ...place } });
    }
  });
  // Readiness, unlike liveness above: can this process take messages without losing them? Not while database
  // writes fail (a full disk, a read-only file): a write probe (this process's liveness lease) and any
  // storage failure within the last few seconds answer 503, so a load balancer can route around it.
  app.get('/readyz', async (_req, res) => {
    // Before the probe: it renews this process's liveness lease, which a stopping server has given up.
    if (draining()) {
      res.status(503).json({ status: 'stopping', role });
      return;
    }
    try {
      await agent.probe();
    } catch (err) {
      if (!health.failed(err)) logger.error({ err }, 'readiness probe failed');
      res.status(503).json({ status: 'database not writable', lastFailure: new Date(health.lastFailure() ?? clock.now()).toISOString(), ...(await about('failed')) });
      return;
    }
    if (!health.ready()) {
      // This probe's write went through, but others failed within the last few seconds.
      res.status(503).json({ status: 'database writes failing', lastFailure: new Date(health.lastFailure()!).toISOString(), ...(await about('ok')) });
      return;
    }
    res.json({ status: 'ready', ...(await about('ok')) });
  });
}
