/**
 * /metrics is served on a port of its own (GUANG_METRICS_PORT, loopback by default), never on the public port;
 * /healthz and /readyz are on both, and /readyz answers 503 from the moment the server begins to stop.
 */
import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/agent/pipeline.ts';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { runDatabase } from '../helpers/run-database.ts';
import { TOKEN, testServer } from '../helpers/server.ts';

const database = await runDatabase();
const server = await testServer({ dbPath: database.dbPath, env: database.env });
const player = createWechatPlayer({ url: server.webhook, token: TOKEN });

describe('the metrics port', () => {
  it('is not the public port: the public port answers 404 for /metrics', async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('guang_');
  });

  it('listens on loopback by default', () => {
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.metricsUrl).not.toBe(server.url);
  });

  it('serves Prometheus text with the metric names the server has always had', async () => {
    await player.text('o_metrics_follower_01', '帮助');
    const res = await fetch(`${server.metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    expect(body).toMatch(/guang_messages_total\{channel="wechat",type="text",outcome="answered"\} [1-9]/);
    for (const name of ['guang_messages_total', 'guang_reply_latency_seconds', 'guang_dedup_hits_total', 'guang_wechat_api_errors_total', 'guang_webhook_rejected_total', 'guang_process_cpu_seconds_total']) {
      expect(body).toContain(`# TYPE ${name} `);
    }
  });

  it('also answers /healthz and /readyz, and nothing else of the app', async () => {
    const get = (p: string) => fetch(`${server.metricsUrl}${p}`);
    const [health, ready, webhook, api] = await Promise.all([get('/healthz'), get('/readyz'), get('/wechat'), get('/api/products')]);
    // The metrics port is the operator's: it also says where the database is (test/app/probes.test.ts).
    // The file's absolute path, or the URL (the test server's has no password to hide).
    const where = { kind: database.kind, location: database.dbPath };
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok', role: 'all', database: where }]);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', role: 'all', database: { ...where, schemaVersion: expect.any(Number), write: 'ok' } }]);
    expect([webhook.status, api.status]).toEqual([404, 404]);
  });
});

describe('without GUANG_METRICS_PORT', () => {
  it('serves no metrics at all', async () => {
    const s = await testServer({ env: { GUANG_METRICS_PORT: '' } });
    expect(s.metricsUrl).toBeNull();
    expect((await fetch(`${s.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
  });
});

describe('stopping', () => {
  it('answers 503 on /readyz (both ports) while it finishes the answers under way, stays live, then closes both ports', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inSkill = new Promise<void>((resolve) => (entered = resolve));
    const hold: Step = async (ctx, next) => {
      if (ctx.command !== 'hold') return next();
      entered();
      await held;
      ctx.answer({ type: 'text', text: 'held' }, 'custom:hold');
    };
    const s = await testServer({ skills: [hold] });
    const answered = createWechatPlayer({ url: s.webhook, token: TOKEN }).text('o_draining_follower_1', 'hold');
    await inSkill;
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);

    const closed = s.close();
    const [pub, met] = await Promise.all([fetch(`${s.url}/readyz`), fetch(`${s.metricsUrl}/readyz`)]);
    expect([pub.status, await pub.json()]).toEqual([503, { status: 'stopping', role: 'all' }]);
    expect(met.status).toBe(503);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200); // alive, only not taking new work

    release();
    await answered;
    await closed;
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
    await expect(fetch(`${s.metricsUrl}/metrics`)).rejects.toThrow();
  });
});
