/**
 * Issue 10, item 7: `guang serve` (not demo) with no AppSecret mounted the WeChat API simulator on every
 * interface — `/sim/deliveries` listed every outbound message with openids, `/sim/errors` took fault injection
 * from anyone, and broadcasts "sent" into it were recorded as sent. The simulator now runs only when asked
 * (demo mode, GUANG_SIMULATOR=on); without it and without real credentials, what needs the API is off and says so.
 */
import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/agent/pipeline.ts';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { sleep } from '../../src/core/clock.ts';
import { adminServer } from '../admin/harness.ts';
import { guang } from '../helpers/process.ts';
import { runDatabase } from '../helpers/run-database.ts';
import { TOKEN, testServer } from '../helpers/server.ts';

describe('guang serve outside demo mode, with no AppSecret', () => {
  it('mounts no simulator: /sim/deliveries and /sim/errors are not there, and the start says what is off', async () => {
    const database = await runDatabase();
    const p = guang(['serve'], { PORT: '0', GUANG_DB: database.dbPath, ...database.env, WECHAT_TOKEN: 'servetoken42', WECHAT_APPID: 'wx1234567890abcdef', GUANG_LOG_LEVEL: 'info' });
    const [, port] = await p.waitFor(/localhost:(\d+)\/wechat/);
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/sim/deliveries`)).status).toBe(404);
    const injected = await fetch(`${base}/sim/errors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ codes: [45015] }) });
    expect(injected.status).toBe(404);
    expect(p.stdout()).toMatch(/WeChat API: +off \(WECHAT_APPSECRET not set/);
    p.child.kill('SIGTERM');
    await p.exited();
    // One warn line naming what is off and which variables turn it on.
    const warn = p.stderr().split('\n').filter((l) => l.includes('WeChat API off'));
    expect(warn).toHaveLength(1);
    expect(JSON.parse(warn[0]!)).toMatchObject({ level: 40 });
    expect(warn[0]).toMatch(/broadcasts/);
    expect(warn[0]).toMatch(/WECHAT_APPSECRET/);
    expect(warn[0]).toMatch(/GUANG_SIMULATOR=on/);
  }, 30_000);

  it('mounts it with GUANG_SIMULATOR=on', async () => {
    const database = await runDatabase();
    const p = guang(['serve'], { PORT: '0', GUANG_DB: database.dbPath, ...database.env, WECHAT_TOKEN: 'servetoken42', WECHAT_APPID: 'wx1234567890abcdef', GUANG_SIMULATOR: 'on' });
    const [, port] = await p.waitFor(/localhost:(\d+)\/wechat/);
    expect((await fetch(`http://127.0.0.1:${port}/sim/deliveries`)).status).toBe(200);
    expect(p.stdout()).toMatch(/WeChat API: +local simulator/);
    p.child.kill('SIGTERM');
    await p.exited();
  }, 30_000);
});

describe('a server with no WeChat API (no AppSecret, no simulator)', async () => {
  // The run's kind of database, its env known: `guang broadcast send` below opens it too.
  const database = await runDatabase();
  const { server, api } = await adminServer({ dbPath: database.dbPath, env: { ...database.env, GUANG_SIMULATOR: 'off' } });

  it('refuses to send a broadcast, with a clear error, and records no run', async () => {
    expect(server.simulator).toBeNull();
    const created = await api('POST', '/broadcasts', { name: '上新', message: { type: 'text', content: '本周女装上新' }, audience: { all: true }, channel: 'custom' });
    expect(created.status).toBe(201);
    const sent = await api('POST', `/broadcasts/${created.body.id}/send`);
    expect(sent.status).toBe(409);
    expect(sent.body.error.code).toBe('blocked');
    expect(sent.body.error.message).toMatch(/no WeChat API.*WECHAT_APPSECRET.*GUANG_SIMULATOR=on/);
    const after = await api('GET', `/broadcasts/${created.body.id}`);
    expect(after.body).toMatchObject({ status: 'draft', runs: [] });
    expect(await server.sql.get('SELECT COUNT(*) AS n FROM push_ledger')).toEqual({ n: 0 });
  });

  it('refuses `guang broadcast send` too: no simulator answers on its PORT, nothing is planned or recorded', async () => {
    const created = await api('POST', '/broadcasts', { name: '再上新', message: { type: 'text', content: '本周男装上新' }, audience: { all: true }, channel: 'custom' });
    const p = guang(['broadcast', 'send', String(created.body.id), '--rate', '0'], { GUANG_DB: database.dbPath, ...database.env, PORT: String(server.port), GUANG_LOG_LEVEL: 'silent' });
    expect(await p.exited()).toBe(1);
    expect(p.stderr()).toMatch(/no WeChat API.*no simulator answers at http:\/\/127\.0\.0\.1:\d+\/sim.*nothing was sent/);
    expect((await api('GET', `/broadcasts/${created.body.id}`)).body).toMatchObject({ status: 'draft', runs: [] });
    expect(await server.sql.get('SELECT COUNT(*) AS n FROM push_ledger')).toEqual({ n: 0 });
  }, 60_000);

  it('answers a QR code request with a clear error', async () => {
    expect((await api('POST', '/stores', { id: 'sh-01', name: '静安店' })).status).toBe(201);
    const qr = await api('POST', '/stores/sh-01/qrcodes', {});
    expect(qr.status).toBe(503);
    expect(JSON.stringify(qr.body)).toMatch(/no WeChat API access/);
    expect((await api('GET', '/stores/sh-01/qrcodes')).body.items).toEqual([]);
  });
});

describe('a late answer with no WeChat API', () => {
  /** `slow N`: answers after N ms. */
  const slow: Step = async (ctx, next) => {
    const m = /^slow (\d+)$/.exec(ctx.command);
    if (!m) return next();
    await sleep(Number(m[1]));
    ctx.answer({ type: 'text', text: `slow answer after ${m[1]} ms` }, 'custom:slow');
  };

  it('is held for the platform\'s retry instead of going to a customer-service API that is not there', async () => {
    const server = await testServer({ skills: [slow], budgetMs: 100, holdMs: 3_000, env: { GUANG_SIMULATOR: 'off' } });
    expect(server.simulator).toBeNull();
    const player = createWechatPlayer({ url: server.webhook, token: TOKEN });
    const res = await player.text('o_late_no_api', 'slow 600');
    expect(res.reply?.Content).toBe('slow answer after 600 ms');
  });
});
