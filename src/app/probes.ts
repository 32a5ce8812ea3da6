/**
 * The routes a load balancer and a monitor poll: /healthz (liveness: the database answers) and /readyz
 * (readiness: database writes succeed, and the process is not stopping), on the public port and on the metrics
 * port; /metrics (Prometheus) only on the metrics port (see metrics-listener.ts).
 */
import type { Express } from 'express';
import type { Agent } from '../agent/agent.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import type { Db } from '../db/db.ts';
import type { WriteHealth } from '../db/write-health.ts';

export interface ProbeOptions {
  readonly db: Db;
  readonly agent: Pick<Agent, 'probe'>;
  readonly health: WriteHealth;
  readonly clock: Clock;
  readonly logger: Logger;
  /** True once the server has begun to stop: /readyz answers 503 from then on. */
  readonly draining: () => boolean;
}

/** Registers `GET /healthz` and `/readyz` on the app. */
export function installProbes(app: Express, options: ProbeOptions): void {
  const { db, agent, health, clock, logger, draining } = options;
  app.get('/healthz', (_req, res) => {
    try {
      db.prepare('SELECT 1').get();
      res.json({ status: 'ok' });
    } catch (err) {
      logger.error({ err }, 'health check: database does not answer');
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  // Readiness, unlike liveness above: can this process take messages without losing them? Not while database
  // writes fail (a full disk, a read-only file): a write probe (this process's liveness lease) and any
  // storage failure within the last few seconds answer 503, so a load balancer can route around it.
  app.get('/readyz', (_req, res) => {
    // Before the probe: it renews this process's liveness lease, which a stopping server has given up.
    if (draining()) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    try {
      agent.probe();
    } catch (err) {
      if (!health.failed(err)) logger.error({ err }, 'readiness probe failed');
      res.status(503).json({ status: 'database not writable', lastFailure: new Date(health.lastFailure() ?? clock.now()).toISOString() });
      return;
    }
    if (!health.ready()) {
      res.status(503).json({ status: 'database writes failing', lastFailure: new Date(health.lastFailure()!).toISOString() });
      return;
    }
    res.json({ status: 'ready' });
  });
}
