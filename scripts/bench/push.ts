/**
 * `npm run bench -- push [--followers 1000000] [--send 20000] [--db sqlite,postgres] [--server URL] [--old REV]`
 *
 * 1M WeChat followers (plus a ledger of last week's pushes for a tenth of them), in a temp SQLite file and then
 * in a fresh database on the PostgreSQL server (`--server`, else GUANG_TEST_POSTGRES, else the local one; seeded
 * server-side by generate_series, analysed, dropped after). `--db` picks either or both (default both).
 * Plan: the time and memory (this process's peak RSS) to plan a customer-service run to everyone — audience, caps
 * and quotas from the ledger, and the outbox written in one transaction — on each database. Send (SQLite only):
 * throughput of a run to `--send` followers (tagged) through the real client to the local simulator over HTTP,
 * throttling off. Targets: plan ≤ 15 s and ≤ 500 MB for 1M followers; ≥ 2,000 messages/s. With `--old REV` each
 * database is planned first by that revision's push code (its src/ extracted with `git archive`, loaded as this
 * one is), then by this one, over the same followers (the outbox emptied between): an A/B in one run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { accountId } from '../../src/core/messages.ts';
import { createBroadcastService, type BroadcastService } from '../../src/push/service.ts';
import { openDb } from '../../src/db/db.ts';
import { migratePostgres } from '../../src/db/postgres/migrate.ts';
import { createPgPool } from '../../src/db/postgres/pool.ts';
import { postgresSql } from '../../src/db/sql/postgres.ts';
import { sqliteSql } from '../../src/db/sql/sqlite.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { createWechatClient } from '../../src/wechat-api/client.ts';
import { oldModule } from './old-source.ts';
import { benchDatabase, DEFAULT_SERVER } from './pg-server.ts';

const PUSH_SETTINGS = { weeklyCap: 1, quietStart: '00:00', quietEnd: '00:00', tz: 'Asia/Shanghai' } as const;

type ServiceFactory = typeof createBroadcastService;
/** Who plans: this code, and with --old that revision's too (first). */
type Planners = readonly (readonly [label: string, factory: ServiceFactory])[];

/** Another revision's createBroadcastService (old-source.ts). */
const serviceOf = async (rev: string, dir: string): Promise<ServiceFactory> =>
  (await oldModule<{ createBroadcastService: ServiceFactory }>(rev, dir, 'src/push/service.ts')).createBroadcastService;

/**
 * planEveryone by each planner in turn over the same followers; the outbox is emptied between, so each writes into
 * an empty table. Returns this code's service (the last).
 */
async function planEach(planners: Planners, sql: Sql, n: number, db: string, options: Omit<Parameters<ServiceFactory>[0], 'sql'>): Promise<BroadcastService> {
  let service: BroadcastService | undefined;
  for (const [label, factory] of planners) {
    if (service) await sql.run(sql.dialect === 'postgres' ? 'TRUNCATE push_outbox' : 'DELETE FROM push_outbox');
    service = factory({ sql, ...options });
    await service.saveSettings('default', PUSH_SETTINGS);
    await planEveryone(service, n, planners.length > 1 ? `${db}, ${label}` : db);
  }
  return service!;
}

/** Plans a customer-service run to every follower and prints its time and this process's peak RSS. */
async function planEveryone(service: BroadcastService, n: number, label: string): Promise<void> {
  const all = await service.create('default', { name: 'bench-all', message: { type: 'text', content: '本周新品' }, audience: { all: true }, channel: 'custom' });
  // The reads and the policy alone (a preview writes nothing): planning's time less the outbox's writes.
  const v0 = performance.now();
  await service.preview(all.id);
  const previewS = (performance.now() - v0) / 1000;
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const p0 = performance.now();
  const runAll = await service.startRun(all, 'bench');
  const planS = (performance.now() - p0) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(sampler);
  console.log(`plan (${label}): ${n.toLocaleString()} followers → ${runAll.counts.planned.toLocaleString()} outbox rows in ${planS.toFixed(2)} s; ` +
    `peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (+${((peak - rss0) / 2 ** 20).toFixed(0)} MB); skipped ${JSON.stringify(runAll.counts.skipped)} — target ≤ 15 s, ≤ 500 MB`);
  console.log(`  of which reading the audience and the ledger: ~${previewS.toFixed(2)} s (a preview, run just before: the same reads, nothing written)`);
  await service.cancel(all.id);
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      followers: { type: 'string', default: '1000000' }, send: { type: 'string', default: '20000' },
      db: { type: 'string', default: 'sqlite,postgres' }, server: { type: 'string' }, old: { type: 'string' },
    },
  });
  const n = Number(values.followers);
  const sendN = Math.min(n, Number(values.send));
  const dbs = values.db!.split(',');
  if (dbs.some((d) => d !== 'sqlite' && d !== 'postgres')) throw new Error('--db: sqlite, postgres or sqlite,postgres');
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-bench-push-'));
  try {
    const planners: Planners = [...(values.old ? [[values.old, await serviceOf(values.old, dir)] as const] : []), ['this code', createBroadcastService]];
    if (dbs.includes('sqlite')) await onSqlite(n, sendN, dir, planners);
    if (dbs.includes('postgres')) await onPostgres(n, sendN, values.server ?? process.env.GUANG_TEST_POSTGRES ?? DEFAULT_SERVER, planners);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`command: npm run bench -- push ${args.join(' ')}`);
}

/**
 * The same followers, ledger and tags as onSqlite, written by the server itself (generate_series: no row crosses
 * the wire), then ANALYZE, as autovacuum would have done for tables this size.
 */
async function onPostgres(n: number, sendN: number, server: string, planners: Planners): Promise<void> {
  const database = await benchDatabase(server, 'guang_bench_push');
  const sql = postgresSql(createPgPool(database.url, 4));
  const now = Date.now();
  try {
    console.log(database.settings);
    await migratePostgres(sql.pool);
    const t0 = performance.now();
    const id = "'oBench' || lpad(i::text, 8, '0')";
    await sql.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO subscribers (account, user_id, channel, subscribed, opted_out, last_message_at, created_at, updated_at)
         SELECT 'default', ${id}, 'wechat', CASE WHEN i % 50 = 0 THEN 0 ELSE 1 END, CASE WHEN i % 33 = 0 THEN 1 ELSE 0 END, CAST(? AS bigint) - (i % 72) * 3600000, ?, ?
         FROM generate_series(0, ? - 1) AS i`, [now, now, now, n]);
      await tx.run(
        `INSERT INTO push_ledger (account, user_id, channel, outcome, sent_at) SELECT 'default', ${id}, 'custom', 'sent', ? FROM generate_series(0, ? - 1) AS i WHERE i % 10 = 1`,
        [now - 3 * 24 * 3600_000, n]);
      await tx.run(`INSERT INTO subscriber_tags (account, user_id, tag, created_at) SELECT 'default', ${id}, 'bench-send', ? FROM generate_series(?, ? - 1) AS i`, [now, n - sendN, n]);
    });
    const seeded = (performance.now() - t0) / 1000;
    await sql.run('ANALYZE');
    console.log(`seeded ${n.toLocaleString()} followers on PostgreSQL in ${seeded.toFixed(1)} s (ANALYZE ${((performance.now() - t0) / 1000 - seeded).toFixed(1)} s more)`);
    await planEach(planners, sql, n, 'postgres', { accountType: 'service', client: () => null });
  } finally {
    await sql.close();
    await database.drop();
  }
}

async function onSqlite(n: number, sendN: number, dir: string, planners: Planners): Promise<void> {
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
    console.log(`seeded ${n.toLocaleString()} followers on SQLite in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // The simulator in its own process (`guang sim`), as the platform would be: it does not share this CPU's event loop.
    // BENCH_SIM_NODE_ARGS: extra node flags for the simulator process (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
    const simNodeArgs = (process.env.BENCH_SIM_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...simNodeArgs, path.resolve(import.meta.dirname, '../../bin/guang.js'), 'sim'], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const banner = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString())));
    const sim = { url: /at (http\S+)/.exec(banner)![1]!, close: async () => void child.kill() };
    const client = createWechatClient({ db, account: accountId('default'), appId: 'wxbench000000', appSecret: 'bench-secret', apiBase: sim.url });
    const sql = sqliteSql(db);
    const service = await planEach(planners, sql, n, 'sqlite', { accountType: 'service', client: () => client, sender: { ratePerSecond: 0, concurrency: 64 } });

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
    await sim.close();
  } finally {
    await sqliteSql(db).close();
  }
}
