/**
 * `guang serve --role web|worker` as an operator runs them: real processes on one SQLite file, and the WeChat
 * API simulator on its own (as `guang sim`). A web instance answers the followers and the merchant's API and
 * sends nothing; a worker answers no webhook and sends what the web instance planned.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { sleep } from '../../src/core/clock.ts';
import { startStandaloneSimulator } from '../../src/wechat-api/simulator/simulator.ts';
import { guang, type Proc } from '../helpers/process.ts';
import { runDatabase, type RunDatabase } from '../helpers/run-database.ts';
import { tempDir } from '../helpers/temp.ts';

const APPID = 'wx1234567890abcdef';
const SECRET = 'roles-test-secret-0123456789';
const TOKEN = 'rolestoken';
const ADMIN = 'roles-admin-token-0123456789';
const SLOW = 90_000; // two real processes starting on a loaded machine
const FOLLOWERS = ['o_role_a', 'o_role_b', 'o_role_c'];

const sim = await startStandaloneSimulator({ port: 0, accountType: 'service', credentials: { [APPID]: SECRET } });
afterAll(() => sim.close());
const dir = tempDir();
const env = (db: string | RunDatabase) => ({
  ...(typeof db === 'string' ? { GUANG_DB: path.join(dir, db) } : { GUANG_DB: db.dbPath, ...db.env }), PORT: '0', GUANG_LOG_LEVEL: 'info', GUANG_ADMIN_TOKEN: ADMIN,
  WECHAT_TOKEN: TOKEN, WECHAT_APPID: APPID, WECHAT_APPSECRET: SECRET, WECHAT_API_BASE: sim.url, WECHAT_FOLLOWER_BURST: '0',
});
const portOf = async (p: Proc, pattern: RegExp) => (await p.waitFor(pattern, 60_000))[1]!;
const BANNER = /localhost:(\d+)\/wechat/;
const WORKER_BANNER = /Health:\s+http:\/\/127\.0\.0\.1:(\d+)\/healthz/;
/** The log lines of a process (pino JSON on stderr). */
const logLines = (p: Proc) => p.stderr().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; status?: string });

describe('guang serve --role', () => {
  it('web answers followers and plans a broadcast; worker answers no webhook and sends it, each follower once', async () => {
    const split = await runDatabase();
    const web = guang(['serve', '--role', 'web'], env(split));
    const webUrl = `http://127.0.0.1:${await portOf(web, BANNER)}`;
    expect(web.stdout()).toContain('as a web instance (--role web');
    const toWeb = createWechatPlayer({ url: `${webUrl}/wechat`, token: TOKEN });
    for (const user of FOLLOWERS) {
      expect((await toWeb.text(user, '你好')).status).toBe(200);
      sim.simulator.recordInteraction(user, 'message', Date.now()); // the platform's 48-hour window, opened
    }
    const api = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${webUrl}/api${p}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect((await api('PUT', '/broadcasts/settings', { weekly_cap: 1, quiet_start: '00:00', quiet_end: '00:00' })).status).toBe(200);
    const created = await api('POST', '/broadcasts', { name: '分工', message: { type: 'text', content: '本周上新' }, audience: { all: true }, channel: 'custom' });
    expect(created.status).toBe(201);
    expect((await api('POST', `/broadcasts/${created.body.id as number}/send`)).status).toBe(202);
    expect(await (await fetch(`${webUrl}/readyz`)).json()).toMatchObject({ status: 'ready', role: 'web' });

    const worker = guang(['serve', '--role', 'worker'], env(split));
    const workerUrl = `http://127.0.0.1:${await portOf(worker, WORKER_BANNER)}`;
    // A signed delivery the web instance answered: the worker has no webhook to take it.
    const toWorker = createWechatPlayer({ url: `${workerUrl}/wechat`, token: TOKEN });
    expect((await toWorker.text('o_role_a', '你好')).status).toBe(404);
    for (const p of ['/api/broadcasts', '/admin', '/m/search?q=1']) expect((await fetch(`${workerUrl}${p}`)).status, p).toBe(404);
    expect(await (await fetch(`${workerUrl}/readyz`)).json()).toMatchObject({ status: 'ready', role: 'worker', database: { kind: split.kind, write: 'ok' } });

    // The worker's scheduler finds the run the web instance planned and sends it.
    const custom = () => sim.simulator.deliveries().filter((d) => d.content === '本周上新');
    const deadline = Date.now() + 30_000;
    while (custom().length < FOLLOWERS.length && Date.now() < deadline) await sleep(100);
    expect(custom().map((d) => d.touser).sort()).toEqual(FOLLOWERS);
    await expect.poll(() => logLines(worker).filter((l) => l.msg === 'broadcast run' && l.status === 'done'), { timeout: 10_000 }).toHaveLength(1);
    expect(logLines(web).filter((l) => /broadcast run|notice/.test(l.msg))).toEqual([]);

    web.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect([await web.exited(), await worker.exited()]).toEqual([0, 0]);
  }, SLOW);

  it('refuses a role it does not know, naming the ones it does', async () => {
    const p = guang(['serve', '--role', 'sender'], env('bad.db'));
    expect(await p.exited()).toBe(2);
    expect(p.stderr()).toContain("option '--role <role>' argument 'sender' is invalid. Allowed choices are all, web, worker");
  }, SLOW);

  it('refuses web or worker with the embedded simulator: each process would have its own WeChat', async () => {
    const p = guang(['serve', '--demo', '--role', 'worker'], { GUANG_DB: path.join(dir, 'demo.db'), PORT: '0' });
    expect(await p.exited()).toBe(2);
    expect(p.stderr()).toContain('--role worker: the embedded API simulator (demo mode, or GUANG_SIMULATOR=on) lives inside one process');
    expect(p.stderr()).not.toMatch(/^\s+at /m);
  }, SLOW);
});
