/**
 * The routes a load balancer and a monitor poll: /healthz (liveness: the database answers), /readyz (readiness:
 * database writes succeed) and /metrics (Prometheus).
 */
import type { Express } from 'express';
import type { Agent } from '../agent/agent.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { Db } from '../db/db.ts';
import type { WriteHealth } from '../db/write-health.ts';

export interface ProbeOptions {
  readonly db: Db;
  readonly agent: Pick<Agent, 'probe'>;
  readonly health: WriteHealth;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Registers `GET /healthz`, `/readyz` and `/metrics` on the app. */
export function installProbes(app: Express, options: ProbeOptions): void {
  const { db, agent, health, metrics, clock, logger } = options;
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
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
