/**
 * `node bin/run-ts.js scripts/measure-long-message.ts [--rounds N]`
 *
 * Issue 10, item 5: how long one very long text message holds the server, and what it does to an innocent
 * follower. Starts `guang serve --demo` as a child process (its own event loop, as in production), then over
 * real HTTP on loopback:
 *   1. one 63 KB pinyin text message, alone (wall time of its delivery);
 *   2. ten of them at once plus one short message from another follower (the innocent one's wait).
 * Prints the medians over the rounds. A measurement, not a test: run it by hand before and after a change.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createWechatPlayer } from '../src/channels/wechat/player.ts';

const TOKEN = 'measuretoken';
const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);

// 63 KB of pinyin syllables separated by spaces (what a follower typing without an IME sends); the
// spaced form is the costly one for typo correction.
const WORDS = ['lian', 'yi', 'qun', 'shang', 'hai', 'jiu', 'dian', 'pian', 'yi', 'xie', 'zi'];
let long = '';
for (let i = 0; long.length < 63 * 1024; i++) long += `${WORDS[i % WORDS.length]} `;
long = long.slice(0, 63 * 1024);

const dir = mkdtempSync(path.join(tmpdir(), 'guang-measure-'));
const child = spawn(process.execPath, ['bin/guang.js', 'serve', '--demo'], {
  cwd: ROOT,
  env: { ...process.env, PORT: '0', GUANG_DB: path.join(dir, 'm.db'), WECHAT_TOKEN: TOKEN, GUANG_LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    const m = /localhost:(\d+)\/wechat/.exec(out);
    if (m) {
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve(`http://127.0.0.1:${m[1]}/wechat`);
    }
  });
  child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
});
const player = createWechatPlayer({ url, token: TOKEN, timeoutMs: 60_000 });

const timed = async (f: () => Promise<unknown>) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  await player.text('o_warmup', '连衣裙');
  await player.text('o_warmup', long);
  const alone: number[] = [];
  const innocent: number[] = [];
  const innocentAlone: number[] = [];
  for (let r = 0; r < rounds; r++) {
    innocentAlone.push(await timed(() => player.text(`o_innocent_${r}`, '上海酒店')));
    alone.push(await timed(() => player.text(`o_attacker_${r}`, long)));
    const attacks = Array.from({ length: 10 }, (_, i) => player.text(`o_attacker_${r}_${i}`, long));
    // The innocent message leaves right after the ten: it queues behind whatever they cost.
    innocent.push(await timed(() => player.text(`o_innocent_${r}_b`, '上海酒店')));
    await Promise.all(attacks);
  }
  const f = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`rounds: ${rounds}`);
  console.log(`innocent message alone:            median ${f(median(innocentAlone))}`);
  console.log(`one 63 KB pinyin message:          median ${f(median(alone))} (all: ${alone.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`innocent behind ten 63 KB at once: median ${f(median(innocent))} (all: ${innocent.map((x) => x.toFixed(0)).join(', ')})`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
