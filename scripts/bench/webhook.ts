/**
 * `npm run bench -- webhook [--duration S] [--rounds N] [--connections C] [--followers F] [--messages women|shopping|unknown]
 *   [--log-level info|debug] [--old REV] [--products N]`
 *
 * Starts Guang (`guang serve`, full pipeline: signature, XML, dedup record in SQLite, subscriber
 * bookkeeping, info-level logging, or debug with --log-level debug: the access log and the agent's lines) and a bare express + xml2js baseline as separate processes, loads them
 * alternately with signed text messages (unique MsgIds) on loopback, and prints req/s, p50/p99 latency,
 * server CPU µs per request and the ratio Guang / baseline. With `--old REV` a third target runs that
 * revision's server (its src/ extracted with `git archive` and compiled with tsc), in the same rounds: an A/B
 * that the machine's drift between runs cannot blur. With `--products N` the catalogue is N generated products
 * (scripts/gen-demo-data.ts's generator, written into the database before the server starts) instead of the
 * demo's, and the server's peak RSS is printed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sha1Sorted } from '../../src/channels/wechat/signature.ts';
import { buildMessageXml } from '../../src/channels/wechat/xml.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { accountId } from '../../src/core/messages.ts';
import { openDb } from '../../src/db/db.ts';
import { DEMO_SEED, generateProducts } from '../gen-demo-data.ts';

export const TOKEN = 'benchtoken';
const ROOT = path.resolve(import.meta.dirname, '../..');
const CLOCK_TICK_US = 10_000; // Linux USER_HZ is 100

export interface Target {
  readonly name: string;
  readonly url: string;
  /** The second group of the start pattern, when it has one (guang: where /metrics is served). */
  readonly extra: string | undefined;
  readonly pid: number;
  /** What the process printed up to the line with its port. */
  readonly banner: string;
  stop(): Promise<void>;
}

export interface Round {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly errors: number;
  readonly cpuUsPerRequest: number;
}

export function startProcess(name: string, args: string[], env: Record<string, string>, portPattern: RegExp): Promise<Target> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      // Logs go where production logs go: out of the process, to a pipe nobody slows down.
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = portPattern.exec(out);
      if (m) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({
          name,
          url: `http://127.0.0.1:${m[1]}`,
          extra: m[2],
          pid: child.pid!,
          banner: out,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening:\n${out}`)));
  });
}

/** The CPU time `pid` has used (user + system), in clock ticks (1/100 s on Linux). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

let msgSeq = 7_000_000_000_000_000_000n;
/** How many followers the messages come from, in turn (0: every message from a follower never seen before, who says the first message). */
let followers = 1000;
/**
 * What followers say. `women` (the default): 「女装」 from every follower, a category list over the demo
 * catalogue — the product's everyday work: understanding, a search, the session, a rendered list, the answer
 * log. `shopping`: each follower goes through a conversation over the demo catalogue (a list, a price phrase,
 * 更多, an item card, hotels, deals, a greeting). `unknown`: one message nothing understands (嗯嗯), answered by
 * the built-in fallback after every step has passed on.
 */
export const CONVERSATIONS = {
  women: ['女装'],
  shopping: ['女装', '200元以下的连衣裙', '更多', '2', '上海酒店', '北京团购', '你好'],
  unknown: ['嗯嗯'],
} as const;
let conversation: readonly string[] = CONVERSATIONS.women;

/** Picks what followers say (see CONVERSATIONS) and from how many followers (0: each message from a new one). */
export function configureMessages(messages: string, followerCount: number): readonly string[] {
  if (!Object.hasOwn(CONVERSATIONS, messages)) throw new Error(`--messages must be one of: ${Object.keys(CONVERSATIONS).join(', ')}`);
  conversation = CONVERSATIONS[messages as keyof typeof CONVERSATIONS];
  followers = followerCount;
  return conversation;
}
/** A signed delivery of the next message (unique MsgId), from the next follower in turn. */
export function signedDelivery(): { path: string; body: string } {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const msgId = String(msgSeq++);
  // Unique, as the platform's are per account: a random 9-digit nonce repeats within one second's timestamp about
  // once per run at 5,000 messages a second, and the repeat is (rightly) refused as a replay: 400, an "error".
  const nonce = `${Math.floor(Math.random() * 1e9)}${msgId}`;
  const user = `o_bench_user_${followers > 0 ? Number(msgSeq % BigInt(followers)) : msgId}`;
  // Every follower says the conversation's messages in order (followers take turns, one message each).
  const turn = followers > 0 ? Number((msgSeq / BigInt(followers)) % BigInt(conversation.length)) : 0;
  const body = buildMessageXml({
    ToUserName: 'gh_bench', FromUserName: user, CreateTime: Number(timestamp), MsgType: 'text', Content: conversation[turn]!, MsgId: msgId,
  });
  return { path: `/wechat?signature=${sha1Sorted([TOKEN, timestamp, nonce])}&timestamp=${timestamp}&nonce=${nonce}`, body };
}

export async function load(target: Target, seconds: number, connections: number): Promise<Round> {
  const before = cpuTicks(target.pid);
  const result = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        setupRequest: (req) => ({ ...req, ...signedDelivery() }),
      },
    ],
  });
  const cpu = (cpuTicks(target.pid) - before) * CLOCK_TICK_US;
  const requests = result.requests.total;
  return {
    rps: requests / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    errors: result.errors + result.timeouts + result.non2xx,
    cpuUsPerRequest: requests ? cpu / requests : NaN,
  };
}

/**
 * Guang's server as the benchmarks start it: `guang serve --demo` over a fresh database in `dir`, logging at
 * `logLevel` to a pipe nobody reads; `nodeFlags` go to node (e.g. --cpu-prof), `cli` is the compiled entry
 * point (default this checkout's dist/).
 */
export function startGuang(
  name: string, dir: string, options: { logLevel?: string; nodeFlags?: string[]; cli?: string; env?: Record<string, string>; db?: string } = {},
): Promise<Target> {
  return startProcess(
    name,
    // The demo catalogue (seeded at start); the demo's settings are overridden below.
    [...(options.nodeFlags ?? []), options.cli ?? 'bin/guang.js', 'serve', '--demo'],
    // 1000 followers in turn at thousands of messages a second is several a second each, over the per-follower
    // limit: a burst no follower here reaches keeps the limiter's cost in the figures without limiting anyone.
    // /metrics is on a port of its own (any free one on loopback), named in the banner after the webhook URL.
    {
      PORT: '0', GUANG_DB: options.db ?? path.join(dir, `${name.replace(/\W+/g, '_')}.db`), WECHAT_TOKEN: TOKEN, GUANG_LOG_LEVEL: options.logLevel ?? 'info',
      WECHAT_FOLLOWER_BURST: '10000', GUANG_METRICS_PORT: '0', ...options.env,
    },
    /localhost:(\d+)\/wechat[\s\S]*Metrics:\s+(http:\S+)\/metrics/,
  );
}

/** The bare express + xml2js baseline (baseline-server.ts). */
export function startBaseline(): Promise<Target> {
  return startProcess('baseline', ['bin/run-ts.js', 'scripts/bench/baseline-server.ts'], { PORT: '0', WECHAT_TOKEN: TOKEN }, /listening (\d+)/);
}

/** Another revision's server, compiled with tsc into `dir`/old; returns its dist/cli.js. */
export function buildRevision(rev: string, dir: string): string {
  const into = path.join(dir, 'old');
  mkdirSync(into);
  // Everything src/ reads at run time relative to itself: the demo data, .env.example, and package.json ("type": "module").
  const tar = execFileSync('git', ['-C', ROOT, 'archive', rev, 'src', 'data', '.env.example', 'package.json', 'tsconfig.json', 'tsconfig.build.json'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', into], { input: tar });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(into, 'node_modules'));
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(into, 'tsconfig.build.json')], { stdio: 'inherit' });
  return path.join(into, 'dist', 'cli.js');
}

/**
 * A database at `file` holding `count` generated products for the default account (100k at a time, each with
 * its own seed and SKU prefix), so `guang serve --demo` finds a catalogue and seeds no demo one.
 */
export async function catalogueOf(file: string, count: number): Promise<void> {
  const db = openDb(file);
  const store = createCatalogueStore(db);
  const account = accountId('default');
  const CHUNK = 100_000;
  for (let from = 0, chunk = 0; from < count; from += CHUNK, chunk++) {
    const products = generateProducts(Math.min(CHUNK, count - from), DEMO_SEED + chunk).map((p) => ({
      account, sku: `G${chunk}-${p.sku}`, title: p.title, category: p.category.split('/'), priceFen: Math.round(p.price * 100),
      originalPriceFen: p.originalPrice === null ? null : Math.round(p.originalPrice * 100), brand: p.brand, tags: p.tags, stock: p.stock,
      imageUrl: p.imageUrl, url: p.url, description: null,
    }));
    for (let i = 0; i < products.length; i += 5_000) await store.upsertProducts(products.slice(i, i + 5_000));
  }
  db.close();
}

/** The process's peak resident set (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function summarise(rounds: Round[]) {
  const seconds = rounds.length;
  return {
    rps: rounds.reduce((s, r) => s + r.rps, 0) / seconds,
    p50: median(rounds.map((r) => r.p50)),
    p99: Math.max(...rounds.map((r) => r.p99)),
    errors: rounds.reduce((s, r) => s + r.errors, 0),
    requests: rounds.reduce((s, r) => s + r.requests, 0),
    cpu: median(rounds.map((r) => r.cpuUsPerRequest)),
  };
}

/**
 * The load every webhook benchmark puts on its targets, as `parseArgs` options with their defaults: seconds per
 * round, rounds, client connections, followers in turn, and what they say (CONVERSATIONS). webhook-pg.ts takes the
 * same, so their figures describe the same load.
 */
export const LOAD_OPTIONS = {
  duration: { type: 'string', default: '5' },
  rounds: { type: 'string', default: '3' },
  connections: { type: 'string', default: '32' },
  followers: { type: 'string', default: '1000' },
  messages: { type: 'string', default: 'women' },
} as const;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ...LOAD_OPTIONS,
      'log-level': { type: 'string', default: 'info' },
      old: { type: 'string' },
      products: { type: 'string' },
    },
  });
  configureMessages(values.messages!, Number(values.followers));
  const logLevel = values['log-level']!;
  if (logLevel !== 'info' && logLevel !== 'debug') throw new Error('--log-level must be info or debug');
  const seconds = Number(values.duration);
  const rounds = Number(values.rounds);
  const connections = Number(values.connections);
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-bench-'));
  const oldCli = values.old ? buildRevision(values.old, dir) : null;
  const products = values.products ? Number(values.products) : null;
  const dbs = { guang: path.join(dir, 'guang.db'), old: path.join(dir, 'old.db') };
  if (products) {
    const started = performance.now();
    await catalogueOf(dbs.guang, products);
    if (oldCli) {
      copyFileSync(dbs.guang, dbs.old);
      // The database's secrets are sealed with the key beside it: without its key the copy does not open.
      if (existsSync(`${dbs.guang}.key`)) copyFileSync(`${dbs.guang}.key`, `${dbs.old}.key`);
    }
    console.log(`catalogue: ${products} generated products written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  let started = performance.now();
  const guang = await startGuang('guang', dir, { logLevel, db: dbs.guang });
  const startSeconds = (performance.now() - started) / 1000;
  const baseline = await startBaseline();
  started = performance.now();
  const old = oldCli ? await startGuang(`guang ${values.old}`, dir, { logLevel, cli: oldCli, db: dbs.old }) : null;
  const oldStartSeconds = (performance.now() - started) / 1000;
  const targets = [baseline, guang, ...(old ? [old] : [])];
  try {
    const from = followers > 0 ? `${followers} followers in turn` : 'each from a new follower';
    console.log(`webhook benchmark: ${rounds} rounds × ${seconds} s per target, ${connections} connections, loopback; ` +
      `${values.messages} messages (${conversation.join(' / ')}), ${from}; guang logs at ${logLevel}; ` +
      `catalogue: ${products ? `${products} generated products` : 'the demo'}`);
    for (const t of targets) await load(t, 5, connections); // warm-up: JIT, SQLite pages, heap growth
    const results: Record<string, Round[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
    for (let i = 0; i < rounds; i++) {
      // Each round in a different order, so no target always runs right after another's load.
      for (const t of i % 2 ? [...targets].reverse() : targets) {
        const r = await load(t, seconds, connections);
        results[t.name]!.push(r);
        console.log(
          `  round ${i + 1} ${t.name.padEnd(16)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ` +
            `${r.cpuUsPerRequest.toFixed(0)} µs CPU/req  errors ${r.errors}`,
        );
      }
    }
    const b = summarise(results.baseline!);
    const g = summarise(results.guang!);
    const o = old ? summarise(results[old.name]!) : null;
    const metrics = await (await fetch(`${guang.extra}/metrics`)).text();
    const answered = [...metrics.matchAll(/guang_messages_total\{channel="wechat",type="text",outcome="answered"\} (\d+)/g)]
      .reduce((s, m) => s + Number(m[1]), 0);
    console.log('\n| target | req/s | p50 ms | p99 ms | server CPU µs/req | errors |');
    console.log('|---|---|---|---|---|---|');
    const rows: [string, ReturnType<typeof summarise>][] = [['baseline (express + xml2js)', b], ['guang (full pipeline)', g]];
    if (o) rows.push([`guang at ${values.old}`, o]);
    for (const [name, s] of rows) {
      console.log(`| ${name} | ${s.rps.toFixed(0)} | ${s.p50} | ${s.p99} | ${s.cpu.toFixed(0)} | ${s.errors} |`);
    }
    console.log(`\nthroughput ratio guang / baseline: ${(g.rps / b.rps).toFixed(2)} (target ≥ 1.0; 0.8 the floor)`);
    if (o) console.log(`throughput ratio ${values.old} / baseline: ${(o.rps / b.rps).toFixed(2)}; server CPU per request, guang / ${values.old}: ${(g.cpu / o.cpu).toFixed(2)}`);
    console.log(`guang p99 at ${connections} connections: ${g.p99} ms (target < 30 ms); errors: ${g.errors} (target 0)`);
    console.log(`guang answered ${answered} messages through the agent (all loads, warm-up included)`);
    const mb = (name: string) => (Number(new RegExp(`^guang_${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN) / 2 ** 20).toFixed(0);
    console.log(`guang memory after the load: RSS ${mb('process_resident_memory_bytes')} MB, V8 heap used ${mb('nodejs_heap_size_used_bytes')} MB ` +
      `of ${mb('nodejs_heap_size_total_bytes')} MB, external ${mb('nodejs_external_memory_bytes')} MB`);
    console.log(`guang: started (catalogue indexed) in ${startSeconds.toFixed(1)} s, peak RSS ${peakRssMb(guang.pid).toFixed(0)} MB` +
      (old ? `; ${values.old}: ${oldStartSeconds.toFixed(1)} s, ${peakRssMb(old.pid).toFixed(0)} MB` : ''));
    console.log(`\ncommand: npm run bench -- webhook ${args.join(' ')}`);
  } finally {
    await Promise.all(targets.map((t) => t.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}
