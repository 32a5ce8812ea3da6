/**
 * `npm run bench -- crash [--seconds S] [--rate R] [--kills K] [--customer-service on|off]`
 *
 * A bad day in production, measured: followers send at R messages a second for S seconds while the server is
 * SIGKILLed K times and restarted on the same database and port. The probe plays the platform: every message
 * is delivered at most three times, each delivery dropped after 5 s, the next one 5 s after the previous one
 * started, and the first 200 ends the message's deliveries (a reply or `success`). With the customer-service
 * API on, answers may also arrive through a standalone simulator (`guang sim`), whose deliveries are counted.
 *
 * It prints, per message: answered exactly once, lost (no reply and nothing sent), answered twice, and the
 * messages none of whose deliveries reached a live server (the platform's limit, not Guang's), plus the
 * dedup records left `pending` at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { demoEnv } from '../../src/core/config.ts';
import { MessageCrypto } from '../../src/channels/wechat/crypto.ts';
import { msgSignature, sha1Sorted } from '../../src/channels/wechat/signature.ts';
import { buildMessageXml } from '../../src/channels/wechat/xml.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TOKEN = 'crashprobe';
// Safe mode, as a real account should run: the demo's AppID and EncodingAESKey.
const { WECHAT_APPID: APPID, WECHAT_AES_KEY: AES_KEY } = demoEnv() as { WECHAT_APPID: string; WECHAT_AES_KEY: string };
const crypto = new MessageCrypto({ aesKey: AES_KEY, appId: APPID });
const DELIVERY_TIMEOUT_MS = 5_000;
const DELIVERIES = 3;
/** The queries followers send, in turn: a list over the demo catalogue is the product's real work. */
const MESSAGES = ['女装', '200元以下的连衣裙', '上海酒店', '北京团购', '你好'];

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/guang.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      if (ready.test(out)) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`guang ${args[0]} exited (${code}) before it was ready:\n${out}`)));
  });
}

type Outcome = { replied: boolean; success: boolean; reachedServer: boolean };

/** Plays the platform's deliveries of one message. */
async function deliver(url: string, user: string, msgId: string, content: string): Promise<Outcome> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const plain = buildMessageXml({ ToUserName: 'gh_crash', FromUserName: user, CreateTime: Number(timestamp), MsgType: 'text', Content: content, MsgId: msgId });
  const encrypt = crypto.encrypt(plain, randomBytes(16));
  const query = `signature=${sha1Sorted([TOKEN, timestamp, nonce])}&timestamp=${timestamp}&nonce=${nonce}` +
    `&encrypt_type=aes&msg_signature=${msgSignature(TOKEN, timestamp, nonce, encrypt)}`;
  const body = buildMessageXml({ ToUserName: 'gh_crash', Encrypt: encrypt });
  const outcome: Outcome = { replied: false, success: false, reachedServer: false };
  for (let attempt = 0; attempt < DELIVERIES; attempt++) {
    const started = Date.now();
    try {
      const res = await fetch(`${url}/wechat?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      outcome.reachedServer = true;
      const text = await res.text();
      if (res.status === 200) {
        if (text === 'success' || text === '') outcome.success = true;
        else outcome.replied = true;
        return outcome;
      }
    } catch (err) {
      // Connection refused (the server is down) or dropped at 5 s: the platform tries again.
      if ((err as Error).name === 'TimeoutError') outcome.reachedServer = true;
    }
    await new Promise((r) => setTimeout(r, Math.max(0, started + DELIVERY_TIMEOUT_MS - Date.now())));
  }
  return outcome;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string', default: '40' },
      rate: { type: 'string', default: '300' },
      kills: { type: 'string', default: '5' },
      'customer-service': { type: 'string', default: 'on' },
    },
  });
  const seconds = Number(values.seconds);
  const rate = Number(values.rate);
  const kills = Number(values.kills);
  const customerService = values['customer-service'] === 'on';
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-crash-'));
  const db = path.join(dir, 'crash.db');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let sim: ChildProcess | null = null;
  let simUrl = '';
  if (customerService) {
    const simPort = await freePort();
    sim = await start(['sim'], { PORT: String(simPort) }, /simulator/);
    simUrl = `http://127.0.0.1:${simPort}/sim`;
  }
  const env: Record<string, string> = {
    PORT: String(port), GUANG_DB: db, GUANG_LOG_LEVEL: 'warn', WECHAT_TOKEN: TOKEN, WECHAT_CUSTOMER_SERVICE: customerService ? 'on' : 'off',
    ...(customerService ? { WECHAT_APPSECRET: 'simulator-secret', WECHAT_API_BASE: simUrl } : {}),
  };
  // --demo: the demo catalogue, seeded at the first start; the environment above overrides its settings.
  const serve = () => start(['serve', '--demo'], env, /Webhook URL/);
  let server = await serve();
  console.log(`crash probe: ${rate} msg/s for ${seconds} s, ${kills} SIGKILLs, customer service ${customerService ? 'on' : 'off'}; ` +
    `deliveries dropped at ${DELIVERY_TIMEOUT_MS / 1000} s, at most ${DELIVERIES} per message`);

  const killer = (async () => {
    for (let k = 1; k <= kills; k++) {
      await new Promise((r) => setTimeout(r, (seconds * 1000) / (kills + 1)));
      server.kill('SIGKILL');
      await new Promise((r) => server.once('exit', r));
      const down = Date.now();
      server = await serve();
      console.log(`  kill ${k}: down ${((Date.now() - down) / 1000).toFixed(1)} s`);
    }
  })();

  const users: string[] = [];
  const outcomes: Promise<Outcome>[] = [];
  const t0 = Date.now();
  for (let i = 0; Date.now() - t0 < seconds * 1000; i++) {
    const due = t0 + (i * 1000) / rate;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const user = `o_crash_${i}`;
    users.push(user);
    const msgId = String(8_000_000_000_000_000_000n + BigInt(i));
    outcomes.push((async () => {
      // The follower's message opens the 48-hour window on the platform before it reaches the server.
      if (simUrl) await fetch(`${simUrl}/interactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: user }) });
      return deliver(url, user, msgId, MESSAGES[i % MESSAGES.length]!);
    })());
  }
  await killer;
  const results = await Promise.all(outcomes);
  // Late answers through the customer-service API leave within the hold, and a claim whose every retry failed
  // to connect is closed by the live server's sweep after ~16 s: give both time before counting.
  await new Promise((r) => setTimeout(r, 20_000));
  const sent = new Map<string, number>();
  if (simUrl) {
    const { deliveries } = (await (await fetch(`${simUrl}/deliveries`)).json()) as { deliveries: { touser: string }[] };
    for (const d of deliveries) sent.set(d.touser, (sent.get(d.touser) ?? 0) + 1);
  }
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  sim?.kill('SIGTERM');

  let once = 0;
  let lost = 0;
  let twice = 0;
  let unreachable = 0;
  results.forEach((r, i) => {
    const answers = (r.replied ? 1 : 0) + (sent.get(users[i]!) ?? 0);
    if (!r.reachedServer) unreachable++;
    else if (answers === 0) lost++;
    else if (answers === 1) once++;
    else twice++;
  });
  const check = new Database(db, { readonly: true });
  const pending = (check.prepare("SELECT count(*) AS n FROM handled_messages WHERE status = 'pending'").get() as { n: number }).n;
  check.close();
  rmSync(dir, { recursive: true, force: true });

  console.log('\n| messages | answered once | lost | answered twice | never reached a live server | records left pending |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  console.log(`| ${results.length} | ${once} | ${lost} | ${twice} | ${unreachable} | ${pending} |`);
}
