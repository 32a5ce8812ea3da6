/** Prometheus metrics, one registry per server so tests and several servers in one process don't mix. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics(options: { defaults?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry, prefix: 'guang_' });
  return {
    registry,
    /** outcome: answered | no_reply | duplicate | deferred | error | rejected | rate_limited */
    messages: new Counter({
      name: 'guang_messages_total',
      help: 'Inbound messages and events by type and outcome',
      labelNames: ['channel', 'type', 'outcome'] as const,
      registers: [registry],
    }),
    replyLatency: new Histogram({
      name: 'guang_reply_latency_seconds',
      help: 'Time from receiving a delivery to sending its HTTP answer',
      labelNames: ['channel'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 4.5, 10],
      registers: [registry],
    }),
    dedupHits: new Counter({
      name: 'guang_dedup_hits_total',
      help: 'Retried deliveries answered from the record of handled messages',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    apiErrors: new Counter({
      name: 'guang_wechat_api_errors_total',
      help: 'Errors returned by the WeChat API, by call and platform code',
      labelNames: ['api', 'code'] as const,
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'guang_webhook_rejected_total',
      help: 'Webhook requests refused before reaching the agent, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
