/** A real `guang broadcast send` process, SIGKILLed mid-run and started again: each follower exactly once. */
import { describe, expect, it, onTestFinished } from 'vitest';
import { accountId, userId } from '../../src/core/messages.ts';
import { createBroadcastService } from '../../src/push/service.ts';
import { openDatabase } from '../../src/db/open.ts';
import { createSubscriberStore } from '../../src/db/subscribers.ts';
import { startStandaloneSimulator } from '../../src/wechat-api/simulator/simulator.ts';
import { guang } from '../helpers/process.ts';
import { runDatabase } from '../helpers/run-database.ts';

const APPID = 'wx1234567890abcdef';
const SECRET = 'crash-test-secret-0123456789';
const N = 40;

describe('a run killed mid-way', () => {
  it('resumes on the next send with no duplicate and no loss', async () => {
    const sim = await startStandaloneSimulator({ port: 0, accountType: 'service', credentials: { [APPID]: SECRET } });
    onTestFinished(() => sim.close());
    const database = await runDatabase();
    const { sql } = await openDatabase(database.dbPath, { secretKey: database.env.GUANG_SECRET_KEY ?? null });
    const subs = createSubscriberStore(sql);
    const now = Date.now();
    const openids = Array.from({ length: N }, (_, i) => `o_crash_${String(i).padStart(2, '0')}`);
    for (const o of openids) {
      await subs.messaged({ account: accountId('default'), user: userId(o) }, now - 3600_000);
      sim.simulator.recordInteraction(o, 'message', now - 3600_000);
    }
    const service = createBroadcastService({ sql, accountType: 'service', client: () => null });
    // Quiet hours off: the test runs at any hour.
    await service.saveSettings('default', { weeklyCap: 1, quietStart: '00:00', quietEnd: '00:00', tz: 'Asia/Shanghai' });
    const b = await service.create('default', { name: 'crash', message: { type: 'text', content: '本周新品' }, audience: { all: true }, channel: 'custom' });
    await sql.close();

    const env = { GUANG_DB: database.dbPath, ...database.env, GUANG_LOG_LEVEL: 'silent', WECHAT_TOKEN: 'crashtoken', WECHAT_APPID: APPID, WECHAT_APPSECRET: SECRET, WECHAT_API_BASE: sim.url };
    const first = guang(['broadcast', 'send', String(b.id), '--rate', '20'], env);
    const deadline = Date.now() + 15_000;
    while (sim.simulator.deliveries().length < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    await first.exited();
    const atKill = sim.simulator.deliveries().length;
    expect(atKill).toBeGreaterThanOrEqual(10);
    expect(atKill).toBeLessThan(N);

    const second = guang(['broadcast', 'send', String(b.id), '--rate', '0'], env);
    expect(await second.exited()).toBe(0);
    const report = JSON.parse(second.stdout()) as { status: string; sent: number; unknown: number; planned: number };
    expect(report.status).toBe('done');
    expect(report.planned).toBe(N);
    expect(report.sent + report.unknown).toBe(N);
    const perFollower = new Map<string, number>();
    for (const d of sim.simulator.deliveries()) perFollower.set(d.touser, (perFollower.get(d.touser) ?? 0) + 1);
    expect(openids.map((o) => perFollower.get(o) ?? 0)).toEqual(openids.map(() => 1));
  }, 30_000);
});
