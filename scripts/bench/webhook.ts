/**
 * `npm run bench -- webhook [--duration S] [--rounds N] [--connections C] [--followers F] [--messages shopping|unknown]
 *   [--log-level info|debug]`
 *
 * Starts Guang (`guang serve`, full pipeline: signature, XML, dedup record in SQLite, subscriber
 * bookkeeping, info-level logging, or debug with --log-level debug: the access log and the agent's lines) and a bare express + xml2js baseline as separate processes, loads them
 * alternately with signed text messages (unique MsgIds) on loopback, and prints req/s, p50/p99 latency,
 * server CPU µs per request and the ratio Guang / baseline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sha1Sorted } from '../../src/channels/wechat/signature.ts';
import { buildMessageXml } from '../../src/channels/wechat/xml.ts';

const TOKEN = 'benchtoken';
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

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

let msgSeq = 7_000_000_000_000_000_000n;
/** How many followers the messages come from, in turn (0: every message from a follower never seen before, who says the first message). */
let followers = 1000;
/**
 * What followers say. `unknown` (the default, the target): one message nothing understands, answered
 * by the built-in fallback after dedup, bookkeeping, normalising, the rules, the help, understanding and the
 * skills have all passed on. `shopping`: each follower goes through a conversation over the demo catalogue (a
 * list, a price phrase, 更多, an item card, hotels, deals, a greeting), which adds searching, the session and
 * longer replies.
 */
const CONVERSATIONS = {
  shopping: ['女装', '200元以下的连衣裙', '更多', '2', '上海酒店', '北京团购', '你好'],
  unknown: ['嗯嗯'],
  /** 「女装」 from every follower: a category list over the demo catalogue, the product's everyday work. */
  women: ['女装'],
} as const;
let conversation: readonly string[] = CONVERSATIONS.unknown;
function signedDelivery(): { path: string; body: string } {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const msgId = String(msgSeq++);
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

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
      followers: { type: 'string', default: '1000' },
      messages: { type: 'string', default: 'unknown' },
      'log-level': { type: 'string', default: 'info' },
    },
  });
  followers = Number(values.followers);
  if (!Object.hasOwn(CONVERSATIONS, values.messages!)) throw new Error(`--messages must be one of: ${Object.keys(CONVERSATIONS).join(', ')}`);
  conversation = CONVERSATIONS[values.messages as keyof typeof CONVERSATIONS];
  const logLevel = values['log-level']!;
  if (logLevel !== 'info' && logLevel !== 'debug') throw new Error('--log-level must be info or debug');
  const seconds = Number(values.duration);
  const rounds = Number(values.rounds);
  const connections = Number(values.connections);
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-bench-'));
  const guang = await startProcess(
    'guang',
    // The demo catalogue (seeded at start) for the shopping conversation; the demo's settings are overridden below.
    ['bin/guang.js', 'serve', '--demo'],
    // 1000 followers in turn at thousands of messages a second is several a second each, over the per-follower
    // limit: a burst no follower here reaches keeps the limiter's cost in the figures without limiting anyone.
    // /metrics is on a port of its own (any free one on loopback), named in the banner after the webhook URL.
    { PORT: '0', GUANG_DB: path.join(dir, 'bench.db'), WECHAT_TOKEN: TOKEN, GUANG_LOG_LEVEL: logLevel, WECHAT_FOLLOWER_BURST: '10000', GUANG_METRICS_PORT: '0' },
    /localhost:(\d+)\/wechat[\s\S]*Metrics:\s+(http:\S+)\/metrics/,
  );
  const baseline = await startProcess(
    'baseline',
    ['bin/run-ts.js', 'scripts/bench/baseline-server.ts'],
    { PORT: '0', WECHAT_TOKEN: TOKEN },
    /listening (\d+)/,
  );
  try {
    const from = followers > 0 ? `${followers} followers in turn` : 'each from a new follower';
    console.log(`webhook benchmark: ${rounds} rounds × ${seconds} s per target, ${connections} connections, loopback; ` +
      `${values.messages} messages (${conversation.join(' / ')}), ${from}; guang logs at ${logLevel}`);
    for (const t of [baseline, guang]) await load(t, 5, connections); // warm-up: JIT, SQLite pages, heap growth
    const results: Record<string, Round[]> = { baseline: [], guang: [] };
    for (let i = 0; i < rounds; i++) {
      for (const t of [baseline, guang]) {
        const r = await load(t, seconds, connections);
        results[t.name]!.push(r);
        console.log(
          `  round ${i + 1} ${t.name.padEnd(8)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ` +
            `${r.cpuUsPerRequest.toFixed(0)} µs CPU/req  errors ${r.errors}`,
        );
      }
    }
    const b = summarise(results.baseline!);
    const g = summarise(results.guang!);
    const metrics = await (await fetch(`${guang.extra}/metrics`)).text();
    const answered = [...metrics.matchAll(/guang_messages_total\{channel="wechat",type="text",outcome="answered"\} (\d+)/g)]
      .reduce((s, m) => s + Number(m[1]), 0);
    console.log('\n| target | req/s | p50 ms | p99 ms | server CPU µs/req | errors |');
    console.log('|---|---|---|---|---|---|');
    for (const [name, s] of [['baseline (express + xml2js)', b], ['guang (full pipeline)', g]] as const) {
      console.log(`| ${name} | ${s.rps.toFixed(0)} | ${s.p50} | ${s.p99} | ${s.cpu.toFixed(0)} | ${s.errors} |`);
    }
    console.log(`\nthroughput ratio guang / baseline: ${(g.rps / b.rps).toFixed(2)} (target ≥ 0.8)`);
    console.log(`guang p99 at ${connections} connections: ${g.p99} ms (target < 50 ms); errors: ${g.errors} (target 0)`);
    console.log(`guang answered ${answered} messages through the agent (all loads, warm-up included)`);
  } finally {
    await Promise.all([guang.stop(), baseline.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
