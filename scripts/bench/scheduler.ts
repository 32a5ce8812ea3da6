/**
 * `npm run bench -- scheduler [--broadcasts 50] [--old REV] [--every CRON] [--duration S] [--rounds N] [--connections C]`
 *
 * Does the broadcast scheduler slow the webhook down? Each target is Guang's full server in its own process
 * (scripts/bench/scheduler-server.ts) with a second scheduler ticking every second (`--every`, a node-cron
 * expression; the server's own ticks every minute) over `--broadcasts` weekly broadcasts, or over none.
 * With `--old REV` the same two run that revision's src/ too (extracted with `git archive`), e.g. the
 * scheduler before cron-parser. The targets are loaded in turn with the webhook benchmark's signed text
 * messages, round after round in the same run, and the table gives req/s, p50 and p99 latency, server CPU
 * per request, and how long one scheduler pass takes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { load, startProcess, summarise, type Round, type Target } from './webhook.ts';

const TOKEN = 'benchtoken';
const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Only the target under load runs: the others are stopped (SIGSTOP), so a scheduler burning CPU in one
 * process does not slow down the next target on the same cores.
 */
function only(targets: Target[], running: Target | null): void {
  for (const t of targets) process.kill(t.pid, t === running || running === null ? 'SIGCONT' : 'SIGSTOP');
}

/**
 * The server's event-loop delay since the last call, in ms (prom-client's monitor, reset by every scrape):
 * what a scheduler pass holding the loop does to every request waiting behind it.
 */
async function loopDelay(t: Target): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  const seconds = (name: string) => Number(new RegExp(`^guang_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { p99: seconds('p99') * 1000, max: seconds('max') * 1000 };
}

/** Another revision's sources, runnable beside this checkout's dependencies. */
function checkout(rev: string, dir: string): string {
  const into = path.join(dir, 'old');
  mkdirSync(into);
  // Everything src/ reads at run time relative to itself: the demo data, .env.example, and package.json ("type": "module").
  const tar = execFileSync('git', ['-C', ROOT, 'archive', rev, 'src', 'data', '.env.example', 'package.json', 'tsconfig.json'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', into], { input: tar });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(into, 'node_modules'));
  return path.join(into, 'src');
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      broadcasts: { type: 'string', default: '50' },
      old: { type: 'string' },
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
      every: { type: 'string', default: '* * * * * *' },
    },
  });
  const seconds = Number(values.duration);
  const rounds = Number(values.rounds);
  const connections = Number(values.connections);
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-bench-sched-'));
  const trees: [string, string][] = [['new', path.join(ROOT, 'src')]];
  if (values.old) trees.push([`old (${values.old})`, checkout(values.old, dir)]);
  const targets: Target[] = [];
  try {
    for (const [tree, src] of trees) {
      for (const n of ['0', values.broadcasts!]) {
        targets.push(await startProcess(
          `${tree}, ${n} broadcasts`,
          ['bin/run-ts.js', 'scripts/bench/scheduler-server.ts'],
          {
            BENCH_SRC: src, BENCH_BROADCASTS: n, PORT: '0', GUANG_DB: path.join(dir, `${targets.length}.db`), WECHAT_TOKEN: TOKEN,
            GUANG_LOG_LEVEL: 'info', WECHAT_FOLLOWER_BURST: '10000', BENCH_EVERY: values.every!,
          },
          /listening (\d+)/,
        ));
      }
    }
    console.log(`scheduler benchmark: ${rounds} rounds × ${seconds} s per target, ${connections} connections, loopback; ` +
      `a second scheduler ticking at "${values.every}" over ${values.broadcasts} weekly broadcasts or none`);
    for (const t of targets) {
      only(targets, t);
      await load(t, 5, connections); // warm-up: JIT, SQLite pages, heap growth
    }
    const results = new Map<Target, Round[]>(targets.map((t) => [t, []]));
    const delays = new Map<Target, number[]>(targets.map((t) => [t, []]));
    for (let i = 0; i < rounds; i++) {
      for (const t of targets) {
        only(targets, t);
        await loopDelay(t);
        const r = await load(t, seconds, connections);
        const d = await loopDelay(t);
        results.get(t)!.push(r);
        delays.get(t)!.push(d.max);
        console.log(`  round ${i + 1} ${t.name.padEnd(28)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ` +
          `${r.cpuUsPerRequest.toFixed(0)} µs CPU/req  errors ${r.errors}  event-loop delay p99 ${d.p99.toFixed(0)} ms, max ${d.max.toFixed(0)} ms`);
      }
    }
    console.log('\n| target | req/s | p50 ms | p99 ms, median round | p99 ms, worst round | server CPU µs/req | errors | longest event-loop delay ms | one scheduler pass |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const t of targets) {
      const rs = results.get(t)!;
      const pass = `${Math.max(...delays.get(t)!).toFixed(0)} | ${/scheduler pass: (.*)/.exec(t.banner)?.[1] ?? '?'}`;
      // A round in which nothing was answered has no latency figures: the requests were still waiting when it ended.
      const answered = rs.filter((r) => r.requests > 0);
      if (answered.length < rs.length) {
        console.log(`| ${t.name} | ${(summarise(rs).requests / (rounds * seconds)).toFixed(0)} | — | — | > ${seconds * 1000} (${rs.length - answered.length} of ${rs.length} rounds answered nothing) | — | ${summarise(rs).errors} | ${pass} |`);
        continue;
      }
      const s = summarise(rs);
      const p99s = rs.map((r) => r.p99).sort((a, b) => a - b);
      console.log(`| ${t.name} | ${s.rps.toFixed(0)} | ${s.p50} | ${p99s[Math.floor(p99s.length / 2)]} | ${s.p99} | ${s.cpu.toFixed(0)} | ${s.errors} | ${pass} |`);
    }
    console.log(`\ncommand: npm run bench -- scheduler ${args.join(' ')}`);
  } finally {
    only(targets, null);
    await Promise.all(targets.map((t) => t.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}
