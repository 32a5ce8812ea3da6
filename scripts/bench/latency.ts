/**
 * `npm run bench -- latency [--passes N] [--set demo] [--old REV]`
 *
 * One message at a time to an idle server: Guang's full server (`guang serve --demo`, as the webhook benchmark
 * starts it) gets every message of the eval set (test/eval/sets.ts), each case from a follower of its own and
 * its messages in order, over HTTP on loopback, the next sent only once the answer is in. Prints p50, p99, the
 * server's CPU per message and the slowest messages of each pass (the first pass meets a cold process: JIT,
 * SQLite's page cache). With `--old REV` that revision's server (compiled from git) runs the same passes,
 * alternating with this one, so that a shared machine's load falls on both alike. Target: p99 < 10 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sha1Sorted } from '../../src/channels/wechat/signature.ts';
import { buildMessageXml } from '../../src/channels/wechat/xml.ts';
import type { Say } from '../../test/eval/runner.ts';
import { SETS } from '../../test/eval/sets.ts';
import { buildRevision, cpuTicks, startBaseline, startGuang, type Target } from './webhook.ts';

const TOKEN = 'benchtoken';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function post(url: string, body: string): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const target = new URL(`/wechat?signature=${sha1Sorted([TOKEN, timestamp, nonce])}&timestamp=${timestamp}&nonce=${nonce}`, url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'text/xml' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let msgId = 8_000_000_000_000_000_000n;
function xmlOf(user: string, say: Say): string {
  const head = { ToUserName: 'gh_bench', FromUserName: user, CreateTime: Math.floor(Date.now() / 1000) };
  if (typeof say === 'string') return buildMessageXml({ ...head, MsgType: 'text', Content: say, MsgId: String(msgId++) });
  const [lat, lng, label = ''] = say.location;
  return buildMessageXml({ ...head, MsgType: 'location', Location_X: lat, Location_Y: lng, Scale: 15, Label: label, MsgId: String(msgId++) });
}

const at = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { passes: { type: 'string', default: '2' }, set: { type: 'string', default: 'demo' }, old: { type: 'string' }, slowest: { type: 'string', default: '8' } } });
  const found = SETS.find((s) => s.name === values.set);
  if (!found) throw new Error(`--set must be one of: ${SETS.map((s) => s.name).join(', ')}`);
  const set = found;
  if (set.shop) throw new Error(`the server serves the demo catalogue; set ${set.name} has a shop of its own`);
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-bench-latency-'));
  const oldCli = values.old ? buildRevision(values.old, dir) : null;
  const guang = await startGuang('guang', dir);
  const old = oldCli ? await startGuang(values.old!, dir, { cli: oldCli }) : null;
  const baseline = await startBaseline();
  const passes = new Map<Target, { ms: number; say: string }[][]>();
  try {
    console.log(`idle latency: the ${set.name} eval set's messages one at a time over HTTP, each case from a follower of its own; ` +
      'the bare baseline (fixed reply) with the same messages for the floor of HTTP on this machine');
    for (let pass = 1; pass <= Number(values.passes); pass++) {
      // Which revision goes first alternates, so neither always follows the baseline's pass.
      const servers = old ? (pass % 2 === 1 ? [guang, old] : [old, guang]) : [guang];
      for (const target of [baseline, ...servers]) await onePass(target, pass);
    }
    // One pass's slowest are mostly the moments the process waited for a core; slow in every warm pass is the message.
    for (const target of [guang, ...(old ? [old] : [])]) {
      const warm = passes.get(target)!.slice(1);
      if (warm.length < 2) continue;
      const median = (i: number) => warm.map((t) => t[i]!.ms).sort((a, b) => a - b)[Math.floor((warm.length - 1) / 2)]!;
      const slow = warm[0]!.map((t, i) => ({ say: t.say, ms: median(i) })).sort((a, b) => b.ms - a.ms).slice(0, Number(values.slowest));
      console.log(`  ${target.name}: slowest by their median over passes 2–${warm.length + 1} (ms): ${slow.map((t) => `${t.say} ${t.ms.toFixed(1)}`).join('; ')}`);
    }
    console.log(`\ntarget: guang p99 < 10 ms\ncommand: npm run bench -- latency ${args.join(' ')}`);
  } finally {
    agent.destroy();
    await Promise.all([guang.stop(), baseline.stop(), old?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }

  async function onePass(target: Target, pass: number): Promise<void> {
      const times: { ms: number; say: string }[] = [];
      const ticks = cpuTicks(target.pid);
      for (const [n, c] of set.cases.entries()) {
        const user = `o_latency_${pass}_${n}`;
        for (const say of Array.isArray(c.say) ? (c.say as readonly Say[]) : [c.say as Say]) {
          const ms = await post(target.url, xmlOf(user, say));
          times.push({ ms, say: typeof say === 'string' ? (say.length > 24 ? `${say.slice(0, 24)}…` : say) : `[位置 ${say.location.join(',')}]` });
        }
      }
      // The server's CPU per message: less moved than the times by other processes on a shared machine.
      const cpuUs = ((cpuTicks(target.pid) - ticks) * 10_000) / times.length;
      (passes.get(target) ?? passes.set(target, []).get(target)!).push(times);
      const sorted = times.map((t) => t.ms).sort((a, b) => a - b);
      const slowest = [...times].sort((a, b) => b.ms - a.ms).slice(0, Number(values.slowest)).map((t) => `${t.say} ${t.ms.toFixed(1)}`).join('; ');
      console.log(`  pass ${pass} ${target.name.padEnd(8)} ${times.length} messages  p50 ${at(sorted, 0.5).toFixed(2)} ms  p99 ${at(sorted, 0.99).toFixed(2)} ms  ` +
        `max ${sorted.at(-1)!.toFixed(1)} ms  CPU ${cpuUs.toFixed(0)} µs/message\n      slowest (ms): ${slowest}`);
  }
}
