/**
 * `npm run bench -- webhook-pg [--duration S] [--rounds N] [--connections C] [--followers F] [--messages women|shopping|unknown]
 *   [--server URL]`
 *
 * Guang on SQLite against Guang on PostgreSQL with one instance and with two, in the same run on the same machine
 * (issue 18). Three `guang serve --demo` processes: one over a SQLite file, two over one fresh database on the
 * PostgreSQL server (`--server`, else GUANG_TEST_POSTGRES, else the local one; dropped after). The same client
 * (webhook.ts's signed messages, `--connections` connections) loads, in turn: the SQLite instance; the first
 * PostgreSQL instance alone (the second idles); both, every other connection on each (round robin by connection,
 * no proxy). It prints req/s, p50/p99 and the CPU per request: Guang's processes (those loaded), the PostgreSQL
 * backends connected to the bench database, and the server's shared processes (WAL writer, checkpointer,
 * background writer, postmaster: the whole server's, other databases' work included), read from /proc when the
 * server runs on this machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { benchDatabase, DEFAULT_SERVER, serverCpu, statsPerRequest, type BenchDatabase } from './pg-server.ts';
import { configureMessages, cpuTicks, LOAD_OPTIONS, peakRssMb, signedDelivery, startGuang, type Target } from './webhook.ts';

const CLOCK_TICK_US = 10_000; // Linux USER_HZ is 100

interface Setup {
  readonly name: string;
  /** The instances the client spreads its connections over (autocannon: connection i to url i mod n). */
  readonly instances: readonly Target[];
  readonly postgres: boolean;
}

interface Round {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly errors: number;
  /** µs per request: Guang's loaded processes, the bench database's backends, the server's shared processes. */
  readonly guang: number;
  readonly backends: number;
  readonly shared: number;
}

async function load(setup: Setup, seconds: number, connections: number, db: BenchDatabase): Promise<Round> {
  const before = setup.instances.map((t) => cpuTicks(t.pid));
  const server = setup.postgres && db.postmaster !== null ? serverCpu(db.postmaster, db.name) : null;
  const result = await autocannon({
    // autocannon takes several URLs (connection i on URL i mod n); its types name one.
    url: setup.instances.map((t) => t.url) as unknown as string,
    connections,
    duration: seconds,
    requests: [{ method: 'POST', headers: { 'content-type': 'text/xml' }, setupRequest: (req) => ({ ...req, ...signedDelivery() }) }],
  });
  const guangTicks = setup.instances.reduce((s, t, i) => s + cpuTicks(t.pid) - before[i]!, 0);
  const pgTicks = server?.stop() ?? null;
  const requests = result.requests.total;
  const perRequest = (ticks: number) => (requests ? (ticks * CLOCK_TICK_US) / requests : NaN);
  return {
    rps: requests / seconds, p50: result.latency.p50, p99: result.latency.p99, requests,
    errors: result.errors + result.timeouts + result.non2xx,
    guang: perRequest(guangTicks),
    backends: pgTicks ? perRequest(pgTicks.backends) : setup.postgres ? NaN : 0,
    shared: pgTicks ? perRequest(pgTicks.shared) : setup.postgres ? NaN : 0,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const us = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(0));

/** The first line of the reply a target gives one message: what the load is answered with. */
async function probe(t: Target): Promise<string> {
  const { path: query, body } = signedDelivery();
  const xml = await (await fetch(`${t.url}${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body })).text();
  const content = /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(xml)?.[1] ?? /<Title><!\[CDATA\[([\s\S]*?)\]\]>/.exec(xml)?.[1] ?? xml.slice(0, 80);
  return content.split('\n')[0]!;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { ...LOAD_OPTIONS, server: { type: 'string' } },
  });
  const conversation = configureMessages(values.messages!, Number(values.followers));
  const seconds = Number(values.duration);
  const rounds = Number(values.rounds);
  const connections = Number(values.connections);
  const server = values.server ?? process.env.GUANG_TEST_POSTGRES ?? DEFAULT_SERVER;
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-bench-pg-'));
  const db = await benchDatabase(server, 'guang_bench_web');
  const started: Target[] = [];
  try {
    const start = async (name: string, file: string | null) => {
      const t0 = performance.now();
      const t = await startGuang(name, dir, file === null
        ? { db: db.url, env: { GUANG_SECRET_KEY: secretKey } }
        : { db: path.join(dir, file) });
      started.push(t);
      console.log(`  ${name} started in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return t;
    };
    const secretKey = randomBytes(32).toString('base64');
    console.log(`${db.settings}; bench database ${db.name}`);
    const sqlite = await start('sqlite', 'guang.db');
    // The first seeds the demo catalogue into the new database; the second finds it there.
    const pgA = await start('postgres A', null);
    const pgB = await start('postgres B', null);
    const setups: Setup[] = [
      { name: 'sqlite ×1', instances: [sqlite], postgres: false },
      { name: 'postgres ×1', instances: [pgA], postgres: true },
      { name: 'postgres ×2', instances: [pgA, pgB], postgres: true },
    ];
    for (const t of [sqlite, pgA, pgB]) console.log(`  ${t.name} answers 「${conversation[0]}」 with: ${await probe(t)}`);
    console.log(`webhook-pg benchmark: ${rounds} rounds × ${seconds} s per setup, ${connections} connections (×2: half on each instance), ` +
      `loopback, client on the same machine; ${values.messages} messages (${conversation.join(' / ')}), ` +
      `${Number(values.followers) > 0 ? `${values.followers} followers in turn` : 'each from a new follower'}; logs at info; the demo catalogue`);
    if (db.postmaster === null) console.log('  the PostgreSQL server is not on this machine (or /proc is not readable): its CPU is not counted');
    const stats0 = await db.stats();
    let pgRequests = 0;
    const loadCounted = async (s: Setup, duration: number) => {
      const r = await load(s, duration, connections, db);
      if (s.postgres) pgRequests += r.requests;
      return r;
    };
    for (const s of setups) await loadCounted(s, 5); // warm-up: JIT, pages, heap growth, pool connections
    const results = new Map<string, Round[]>(setups.map((s) => [s.name, []]));
    for (let i = 0; i < rounds; i++) {
      // Each round in a different order, so no setup always runs right after another's load.
      for (const s of i % 2 ? [...setups].reverse() : setups) {
        const r = await loadCounted(s, seconds);
        results.get(s.name)!.push(r);
        console.log(`  round ${i + 1} ${s.name.padEnd(12)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ` +
          `CPU µs/req: guang ${us(r.guang)}, pg backends ${us(r.backends)}, pg shared ${us(r.shared)}  errors ${r.errors}`);
      }
    }
    console.log('\n| setup | req/s | p50 ms | p99 ms | guang CPU µs/req | pg backends µs/req | pg shared µs/req | total µs/req | errors |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const s of setups) {
      const rs = results.get(s.name)!;
      const m = (f: (r: Round) => number) => median(rs.map(f));
      const rps = rs.reduce((a, r) => a + r.rps, 0) / rs.length;
      console.log(`| ${s.name} | ${rps.toFixed(0)} | ${m((r) => r.p50)} | ${Math.max(...rs.map((r) => r.p99))} | ${us(m((r) => r.guang))} | ` +
        `${us(m((r) => r.backends))} | ${us(m((r) => r.shared))} | ${us(m((r) => r.guang + r.backends + r.shared))} | ${rs.reduce((a, r) => a + r.errors, 0)} |`);
    }
    console.log('\nreq/s: the mean of the rounds; p50 and CPU: the median round; p99: the worst round. CPU per request counts the loaded ' +
      'guang processes (postgres ×1: instance A only, B idles), the backends connected to the bench database, and the ' +
      "server's shared processes (WAL writer, checkpointer, background writer, postmaster — server-wide). The client's CPU is not counted.");
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // backends report their counters within a second
    console.log(`PostgreSQL's counters over all loads of the postgres setups (warm-up included; the idle instance's polling too), ${statsPerRequest(stats0, await db.stats(), pgRequests)}`);
    console.log(`peak RSS: ${started.map((t) => `${t.name} ${peakRssMb(t.pid).toFixed(0)} MB`).join(', ')}`);
    console.log(`\ncommand: npm run bench -- webhook-pg ${args.join(' ')}`);
  } finally {
    await Promise.all(started.map((t) => t.stop()));
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
