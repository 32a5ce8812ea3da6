/**
 * `npm run bench -- upload [--mb 50] [--idle 5] [--root DIR]`
 *
 * Starts Guang (`guang serve`, admin API on) as a real process, pings its webhook with signed text messages
 * (one every 20 ms, each awaited) while idle, then uploads a generated products CSV of about `--mb` MB
 * through `POST /api/products/import` (multipart, streamed from disk) while still pinging, and prints:
 * - the server's peak RSS (VmHWM from /proc/<pid>/status): at start, after the idle pings, when the import
 *   answered, and 5 s later (the search index has taken the new rows in by then);
 * - the webhook's p50 / p99 / max latency while idle and during the upload + import;
 * - the server's CPU time from the upload's start to its answer (less noisy than the wall time on a busy machine),
 *   and about how much of it answered the pings (their count during the import × the CPU a ping took while idle).
 * Target: peak RSS under 300 MB for a 50 MB import; the webhook's p99 during it close to idle.
 * Then the same file through `guang import products` (a process with no search index): its peak RSS is what
 * the import itself costs, apart from the catalogue the server's search index holds in memory afterwards.
 * `--root` runs the server from another checkout (e.g. the previous commit) for a before/after comparison.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sha1Sorted } from '../../src/channels/wechat/signature.ts';
import { buildMessageXml } from '../../src/channels/wechat/xml.ts';
import { PRODUCT_COLUMNS, generateProducts, productRow, toCsv } from '../gen-demo-data.ts';

const TOKEN = 'benchtoken';
const ADMIN = 'bench-admin-token-0123456789';
const ROOT = path.resolve(import.meta.dirname, '../..');
const PING_EVERY_MS = 20;

interface Server {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

function startServer(root: string, dbPath: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bin/guang.js'), 'serve'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0', GUANG_DB: dbPath, WECHAT_TOKEN: TOKEN, GUANG_ADMIN_TOKEN: ADMIN, GUANG_LOG_LEVEL: 'warn',
        GUANG_SECRET_KEY: 'bench secret key passphrase',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /localhost:(\d+)\/wechat/.exec(out);
      if (m) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({
          url: `http://127.0.0.1:${m[1]}`,
          pid: child.pid!,
          stop: () => new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`guang exited (${code}) before listening:\n${out}`)));
  });
}

/** CPU time a process has used (user + system), in seconds; 100 clock ticks a second, as on Linux. */
function cpuSeconds(pid: number): number {
  // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** VmHWM and VmRSS of a process, in MB. */
function memory(pid: number): { peak: number; rss: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peak: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
}

let msgSeq = 6_000_000_000_000_000_000n;
async function ping(url: string): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const msgId = String(msgSeq++);
  const body = buildMessageXml({ ToUserName: 'gh_bench', FromUserName: `o_bench_${Number(msgSeq % 100n)}`, CreateTime: Number(timestamp), MsgType: 'text', Content: '嗯嗯', MsgId: msgId });
  const started = performance.now();
  const res = await fetch(`${url}/wechat?signature=${sha1Sorted([TOKEN, timestamp, nonce])}&timestamp=${timestamp}&nonce=${nonce}`, {
    method: 'POST', headers: { 'content-type': 'text/xml' }, body,
  });
  await res.text();
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  return performance.now() - started;
}

/** Pings until `stop` resolves; the latencies in ms. */
async function pingUntil(url: string, stop: Promise<unknown>): Promise<number[]> {
  let done = false;
  void stop.finally(() => (done = true));
  const times: number[] = [];
  while (!done) {
    times.push(await ping(url));
    await new Promise((r) => setTimeout(r, PING_EVERY_MS));
  }
  return times;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))]!;
};
const describe = (xs: number[]) => `${xs.length} pings, p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

/** A products CSV of about `mb` MB, written in pieces. */
async function writeCsv(file: string, mb: number): Promise<number> {
  const out = createWriteStream(file);
  let rows = 0;
  let seed = 1;
  out.write(PRODUCT_COLUMNS.join(',') + '\n');
  while (out.bytesWritten + out.writableLength < mb * 1e6) {
    const products = generateProducts(10_000, seed++).map((p, i) => productRow({ ...p, sku: `${p.sku}-${seed}-${i}` }));
    out.write(toCsv(PRODUCT_COLUMNS, products).slice(PRODUCT_COLUMNS.join(',').length + 1));
    rows += products.length;
  }
  await new Promise((r) => out.end(r));
  return rows;
}

/** Streams `file` as the multipart field `file`; resolves with the answer. */
function upload(url: string, file: string): Promise<{ status: number; body: string }> {
  const boundary = '----guangbench';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="products.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = head.length + statSync(file).size + tail.length;
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/products/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(length) },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.write(head);
    const stream = createReadStream(file);
    stream.on('end', () => req.end(tail));
    stream.pipe(req, { end: false });
  });
}

/** Runs `guang import products FILE` and samples its VmHWM until it exits; the last sample, in MB. */
async function cliImportPeak(root: string, file: string, dbPath: string): Promise<number> {
  const child = spawn(process.execPath, [path.join(root, 'bin/guang.js'), 'import', 'products', file], {
    cwd: root, env: { ...process.env, GUANG_DB: dbPath, GUANG_SECRET_KEY: 'bench secret key passphrase' }, stdio: 'ignore',
  });
  let peak = 0;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, memory(child.pid!).peak);
    } catch {
      // exited between two samples
    }
  }, 50);
  await new Promise((r) => child.once('exit', r));
  clearInterval(timer);
  return peak;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { mb: { type: 'string', default: '50' }, idle: { type: 'string', default: '5' }, root: { type: 'string' } } });
  const mb = Number(values.mb);
  const idleSeconds = Number(values.idle);
  const root = path.resolve(values.root ?? ROOT);
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-bench-upload-'));
  try {
    const file = path.join(dir, 'products.csv');
    const rows = await writeCsv(file, mb);
    console.log(`upload benchmark: ${rows.toLocaleString('en-US')} products, ${(statSync(file).size / 1e6).toFixed(1)} MB CSV, server from ${root} (node ${process.version})`);
    const server = await startServer(root, path.join(dir, 'bench.db'));
    try {
      const atStart = memory(server.pid);
      for (let i = 0; i < 50; i++) await ping(server.url); // warm-up
      const cpuIdle = cpuSeconds(server.pid);
      const idle = await pingUntil(server.url, new Promise((r) => setTimeout(r, idleSeconds * 1000)));
      // What a ping costs the server: the faster it answers during the import, the more pings it answers.
      const cpuPerPing = (cpuSeconds(server.pid) - cpuIdle) / idle.length;
      const afterIdle = memory(server.pid);
      const started = performance.now();
      const cpuBefore = cpuSeconds(server.pid);
      const answer = upload(server.url, file);
      const during = await pingUntil(server.url, answer);
      const { status, body } = await answer;
      const seconds = (performance.now() - started) / 1000;
      const atAnswer = memory(server.pid);
      const cpuImport = cpuSeconds(server.pid) - cpuBefore;
      const settled = await pingUntil(server.url, new Promise((r) => setTimeout(r, 5000)));
      const later = memory(server.pid);
      const r = JSON.parse(body) as { imported?: number; failed?: unknown[]; total?: number; error?: unknown };
      const cpuPings = cpuPerPing * during.length;
      console.log(`  upload + import: HTTP ${status} in ${seconds.toFixed(1)} s (server CPU ${cpuImport.toFixed(1)} s, of which ~${cpuPings.toFixed(1)} s answering pings); imported ${r.imported}, failed ${r.failed?.length}, total ${r.total}${r.error ? ' ' + JSON.stringify(r.error) : ''}`);
      console.log(`  server RSS at start ${atStart.rss.toFixed(0)} MB; after idle ${afterIdle.rss.toFixed(0)} MB`);
      console.log(`  server peak RSS (VmHWM): by the answer ${atAnswer.peak.toFixed(0)} MB; 5 s later ${later.peak.toFixed(0)} MB (RSS then ${later.rss.toFixed(0)} MB)`);
      console.log(`  webhook idle:            ${describe(idle)}`);
      console.log(`  webhook during upload:   ${describe(during)}`);
      console.log(`  webhook 5 s after:       ${describe(settled)}`);
      console.log(`  guang import products (no server, no search index): peak RSS ${(await cliImportPeak(root, file, path.join(dir, 'cli.db'))).toFixed(0)} MB`);
      console.log(`command: npm run bench -- upload${mb === 50 ? '' : ` --mb ${mb}`}${values.root ? ` --root ${values.root}` : ''}`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
