/**
 * `npm run bench -- push [--followers 1000000] [--send 20000]`
 *
 * 1M WeChat followers (plus a ledger of last week's pushes for a tenth of them) in a temp SQLite file.
 * Plan: the time and memory (peak RSS, heap) to plan a customer-service run to everyone — audience, caps and
 * quotas from the ledger, and the outbox written in one transaction. Send: throughput of a run to `--send`
 * followers (tagged) through the real client to the local simulator over HTTP, throttling off.
 * Targets: plan ≤ 15 s and ≤ 500 MB for 1M followers; ≥ 2,000 messages/s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { accountId } from '../../src/core/messages.ts';
import { createBroadcastService } from '../../src/push/service.ts';
import { openDb } from '../../src/db/db.ts';
import { sqliteSql } from '../../src/db/sql/sqlite.ts';
import { createWechatClient } from '../../src/wechat-api/client.ts';
import { spawn } from 'node:child_process';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { followers: { type: 'string', default: '1000000' }, send: { type: 'string', default: '20000' } } });
  const n = Number(values.followers);
  const sendN = Math.min(n, Number(values.send));
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-bench-push-'));
  const db = openDb(path.join(dir, 'bench.db'));
  const now = Date.now();
  try {
    const t0 = performance.now();
    db.transaction(() => {
      const sub = db.prepare("INSERT INTO subscribers (account, user_id, channel, subscribed, opted_out, last_message_at, created_at, updated_at) VALUES ('default', ?, 'wechat', ?, ?, ?, ?, ?)");
      const led = db.prepare("INSERT INTO push_ledger (account, user_id, channel, outcome, sent_at) VALUES ('default', ?, 'custom', 'sent', ?)");
      const tag = db.prepare("INSERT INTO subscriber_tags (account, user_id, tag, created_at) VALUES ('default', ?, 'bench-send', ?)");
      for (let i = 0; i < n; i++) {
        const id = `oBench${String(i).padStart(8, '0')}`;
        sub.run(id, i % 50 === 0 ? 0 : 1, i % 33 === 0 ? 1 : 0, now - (i % 72) * 3600_000, now, now);
        if (i % 10 === 1) led.run(id, now - 3 * 24 * 3600_000);
        if (i >= n - sendN) tag.run(id, now);
      }
    })();
    console.log(`seeded ${n.toLocaleString()} followers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // The simulator in its own process (`guang sim`), as the platform would be: it does not share this CPU's event loop.
    // BENCH_SIM_NODE_ARGS: extra node flags for the simulator process (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
    const simNodeArgs = (process.env.BENCH_SIM_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...simNodeArgs, path.resolve(import.meta.dirname, '../../bin/guang.js'), 'sim'], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const banner = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString())));
    const sim = { url: /at (http\S+)/.exec(banner)![1]!, close: async () => void child.kill() };
    const client = createWechatClient({ db, account: accountId('default'), appId: 'wxbench000000', appSecret: 'bench-secret', apiBase: sim.url });
    const sql = sqliteSql(db);
    const service = createBroadcastService({ sql, accountType: 'service', client: () => client, sender: { ratePerSecond: 0, concurrency: 64 } });
    await service.saveSettings('default', { weeklyCap: 1, quietStart: '00:00', quietEnd: '00:00', tz: 'Asia/Shanghai' });

    // ── plan ──
    const all = await service.create('default', { name: 'bench-all', message: { type: 'text', content: '本周新品' }, audience: { all: true }, channel: 'custom' });
    globalThis.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const p0 = performance.now();
    const runAll = await service.startRun(all, 'bench');
    const planS = (performance.now() - p0) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    clearInterval(sampler);
    console.log(`plan: ${n.toLocaleString()} followers → ${runAll.counts.planned.toLocaleString()} outbox rows in ${planS.toFixed(2)} s; peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (+${((peak - rss0) / 2 ** 20).toFixed(0)} MB); skipped ${JSON.stringify(runAll.counts.skipped)} — target ≤ 15 s, ≤ 500 MB`);
    await service.cancel(all.id);

    // ── send ──
    const tagged = db.prepare<[], { user_id: string }>("SELECT user_id FROM subscriber_tags WHERE tag = 'bench-send'").all().map((r) => r.user_id);
    let k = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (k < tagged.length) {
        const openid = tagged[k++]!;
        await fetch(`${sim.url}/interactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid, at: now - 3600_000 }) });
      }
    }));
    const some = await service.create('default', { name: 'bench-send', message: { type: 'text', content: '本周新品' }, audience: { tags: ['bench-send'] }, channel: 'custom' });
    db.prepare("DELETE FROM push_ledger WHERE run_id IS NULL").run(); // let the tagged followers through the weekly cap
    await service.startRun(some, 'bench-send'); // planned apart: the figure below is the sender's own rate
    const s0 = performance.now();
    const report = await service.send(some.id);
    const sendS = (performance.now() - s0) / 1000;
    console.log(`send: ${report.sent.toLocaleString()} messages to the simulator (planned ${report.planned.toLocaleString()}, failed ${report.failed}) in ${sendS.toFixed(2)} s = ${Math.round(report.sent / sendS).toLocaleString()} messages/s — target ≥ 2,000/s`);
    // Mass: the same followers by openid list (10,000 a call, clientmsgid per batch).
    await service.saveSettings('default', { weeklyCap: 10, quietStart: '00:00', quietEnd: '00:00', tz: 'Asia/Shanghai' });
    const mass = await service.create('default', { name: 'bench-mass', message: { type: 'text', content: '本周新品' }, audience: { tags: ['bench-send'] }, channel: 'mass' });
    await service.startRun(mass, 'bench-mass');
    const m0 = performance.now();
    const massReport = await service.send(mass.id);
    const massS = (performance.now() - m0) / 1000;
    console.log(`mass: ${massReport.sent.toLocaleString()} messages in ${massS.toFixed(2)} s = ${Math.round(massReport.sent / massS).toLocaleString()} messages/s`);
    console.log(`command: npm run bench -- push --followers ${n} --send ${sendN}`);
    await sim.close();
  } finally {
    await sqliteSql(db).close();
    rmSync(dir, { recursive: true, force: true });
  }
}
