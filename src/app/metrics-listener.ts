/**
 * /metrics on a listener of its own (GUANG_METRICS_PORT, GUANG_METRICS_HOST; loopback by default), never on the
 * public port: the counters describe the traffic (how many followers, which rejections, which API errors) and
 * are nobody's business but the operator's. /healthz and /readyz are served here too, so a monitor that
 * scrapes this port can probe on it as well; here they also say where the database is.
 */
import express from 'express';
import type { Metrics } from '../core/metrics.ts';
import type { Logger } from '../core/log.ts';
import { finalErrorHandler, notFoundJson } from '../core/http-errors.ts';
import { createHttpServer, DEFAULT_HTTP_TIMEOUTS } from './http-timeouts.ts';
import { listen, urlOf } from './listen.ts';
import { installProbes, type ProbeOptions } from './probes.ts';

export interface MetricsListener {
  /** http://host:port, as listened on. */
  readonly url: string;
  /** Stops accepting and waits for the scrapes under way. */
  close(): Promise<void>;
}

/**
 * @example const listener = await startMetricsListener({ port: 9464, host: '127.0.0.1', metrics, probes, logger });
 */
export async function startMetricsListener(options: {
  readonly port: number;
  readonly host: string;
  readonly metrics: Metrics;
  readonly probes: ProbeOptions;
  readonly logger: Logger;
}): Promise<MetricsListener> {
  const { metrics, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  installProbes(app, options.probes, 'private');
  app.use(notFoundJson);
  app.use(finalErrorHandler(logger));
  const server = createHttpServer(app, DEFAULT_HTTP_TIMEOUTS);
  const port = await listen(server, options.port, options.host, 'GUANG_METRICS_PORT');
  return {
    url: urlOf(options.host, port),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
