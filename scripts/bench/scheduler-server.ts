/**
 * The scheduler benchmark's server (scripts/bench/scheduler.ts starts it): Guang's full server as
 * `guang serve --demo` builds it, plus a second broadcast scheduler ticking every second (BENCH_EVERY) over
 * BENCH_BROADCASTS weekly broadcasts (Asia/Shanghai), each last run between 3 hours and 6 days ago, as a
 * week of running leaves them, and none due while the benchmark runs.
 *
 * BENCH_SRC: the src/ tree to run (default this checkout's; the benchmark passes another revision's for
 * old-vs-new). Prints the time of one scheduler pass (first, then the median of the next five), then
 * `listening PORT`.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const src = process.env.BENCH_SRC ?? path.resolve(import.meta.dirname, '../../src');
const load = async <T>(module: string): Promise<T> => (await import(pathToFileURL(path.join(src, module)).href)) as T;
const { loadConfig } = await load<typeof import('../../src/core/config.ts')>('core/config.ts');
const { startServer } = await load<typeof import('../../src/app/server.ts')>('app/server.ts');
const { createBroadcastService } = await load<typeof import('../../src/push/service.ts')>('push/service.ts');
const { createBroadcastScheduler } = await load<typeof import('../../src/push/scheduler.ts')>('push/scheduler.ts');

const HOUR = 3600_000;
const SHANGHAI = 8 * HOUR; // no daylight saving time: the offset is fixed

const server = await startServer({ config: loadConfig(process.env, { demo: true }), host: '127.0.0.1' });
// The service takes `sql` since the push room moved to the asynchronous data layer (issue 18), `db` before it.
const sqlite = await load<typeof import('../../src/db/sql/sqlite.ts')>('db/sql/sqlite.ts').catch(() => null);
const service = createBroadcastService({ db: server.db, ...(sqlite ? { sql: sqlite.sqliteSql(server.db) } : {}), accountType: 'service', client: () => null } as Parameters<typeof createBroadcastService>[0]);
const now = Date.now();
const lastRun = server.db.prepare('UPDATE broadcasts SET last_occurrence = ? WHERE id = ?');
for (let i = 0; i < Number(process.env.BENCH_BROADCASTS ?? 50); i++) {
  // Broadcast i runs weekly at the Shanghai wall-clock time of (i + 1) × 3 hours ago, and ran then.
  const ran = Math.floor((now - (i + 1) * 3 * HOUR) / 60_000) * 60_000;
  const local = new Date(ran + SHANGHAI);
  const cron = `${local.getUTCMinutes()} ${local.getUTCHours()} * * ${local.getUTCDay()}`;
  const b = await service.create('default', {
    name: `每周上新 ${i}`, message: { type: 'text', content: '本周女装上新，回复「女装」看看' }, audience: { all: true }, channel: 'custom',
    schedule: { cron, tz: 'Asia/Shanghai' },
  });
  lastRun.run(ran, b.id);
}

const scheduler = createBroadcastScheduler({ service, client: () => null, accountType: 'service', every: process.env.BENCH_EVERY ?? '* * * * * *' });
const timed = async (): Promise<number> => {
  const t0 = performance.now();
  await scheduler.tick();
  return performance.now() - t0;
};
const first = await timed();
const next: number[] = [];
for (let i = 0; i < 5; i++) next.push(await timed());
next.sort((a, b) => a - b);
console.log(`scheduler pass: first ${first.toFixed(1)} ms, then ${next[2]!.toFixed(1)} ms`);
scheduler.start();
console.log(`listening ${server.port}`);

process.on('SIGTERM', () => {
  void scheduler.stop().then(() => server.close()).then(() => process.exit(0));
});
