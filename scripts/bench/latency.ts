/**
 * `npm run bench -- latency [--passes N] [--set demo]`
 *
 * One message at a time to an idle server: Guang's full server (`guang serve --demo`, as the webhook benchmark
 * starts it) gets every message of the eval set (test/eval/sets.ts), each case from a follower of its own and
 * its messages in order, over HTTP on loopback, the next sent only once the answer is in. Prints p50, p99 and
 * the slowest messages of each pass (the first pass meets a cold process: JIT, SQLite's page cache).
 * Target: p99 < 10 ms.
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
import { startBaseline, startGuang, type Target } from './webhook.ts';

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
  const { values } = parseArgs({ args, options: { passes: { type: 'string', default: '2' }, set: { type: 'string', default: 'demo' } } });
  const found = SETS.find((s) => s.name === values.set);
  if (!found) throw new Error(`--set must be one of: ${SETS.map((s) => s.name).join(', ')}`);
  const set = found;
  if (set.shop) throw new Error(`the server serves the demo catalogue; set ${set.name} has a shop of its own`);
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-bench-latency-'));
  const guang = await startGuang('guang', dir);
  const baseline = await startBaseline();
  try {
    console.log(`idle latency: the ${set.name} eval set's messages one at a time over HTTP, each case from a follower of its own; ` +
      'the bare baseline (fixed reply) with the same messages for the floor of HTTP on this machine');
    for (let pass = 1; pass <= Number(values.passes); pass++) {
      for (const target of [baseline, guang]) await onePass(target, pass);
    }
    console.log(`\ntarget: guang p99 < 10 ms\ncommand: npm run bench -- latency ${args.join(' ')}`);
  } finally {
    agent.destroy();
    await Promise.all([guang.stop(), baseline.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }

  async function onePass(target: Target, pass: number): Promise<void> {
      const times: { ms: number; say: string }[] = [];
      for (const [n, c] of set.cases.entries()) {
        const user = `o_latency_${pass}_${n}`;
        for (const say of Array.isArray(c.say) ? (c.say as readonly Say[]) : [c.say as Say]) {
          const ms = await post(target.url, xmlOf(user, say));
          times.push({ ms, say: typeof say === 'string' ? say : `[位置 ${say.location.join(',')}]` });
        }
      }
      const sorted = times.map((t) => t.ms).sort((a, b) => a - b);
      const slowest = [...times].sort((a, b) => b.ms - a.ms).slice(0, 5).map((t) => `${t.say} ${t.ms.toFixed(1)}`).join('; ');
      console.log(`  pass ${pass} ${target.name.padEnd(8)} ${times.length} messages  p50 ${at(sorted, 0.5).toFixed(2)} ms  p99 ${at(sorted, 0.99).toFixed(2)} ms  ` +
        `max ${sorted.at(-1)!.toFixed(1)} ms  (slowest: ${slowest})`);
  }
}
