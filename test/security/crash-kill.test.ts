/**
 * Issue 10, item 3: an answer lost after a crash. A real server process claims messages and is SIGKILLed
 * mid-answer; a second server on the same database (the run's kind) gets the platform's retries at every timing from 0 to
 * 10 s after the claim. Each follower must be answered exactly once: a passive answer to one delivery, or one
 * customer-service message — never none, never two — and no claim may stay pending.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWechatPlayer, nextMsgId } from '../../src/channels/wechat/player.ts';
import { sleep } from '../../src/core/clock.ts';
import { openDatabase } from '../../src/db/open.ts';
import { ROOT } from '../helpers/process.ts';
import { runDatabase } from '../helpers/run-database.ts';

const TOKEN = 'crashtoken42';
const children: ChildProcess[] = [];
// At collection: a hook registered inside a test never runs.
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** `test/helpers/slow-serve.ts` (guang serve plus a `slow N` skill) as a real child process. */
async function slowServer(db: string, env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WECHAT_') && !k.startsWith('GUANG_') && k !== 'PORT'));
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/run-ts.js'), 'test/helpers/slow-serve.ts'], {
    cwd: ROOT,
    env: {
      ...clean, PORT: '0', GUANG_DB: db, GUANG_LOG_LEVEL: 'warn', WECHAT_TOKEN: TOKEN, WECHAT_APPID: 'wx1234567890abcdef',
      // The embedded WeChat API simulator receives the customer-service messages (explicitly on).
      GUANG_SIMULATOR: 'on', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  children.push(child);
  const waitFor = async (pattern: RegExp, ms = 20_000) => {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) {
      const m = pattern.exec(out);
      if (m) return m;
      if (child.exitCode !== null) break;
    }
    throw new Error(`no ${pattern} in stdout: ${out}\nstderr: ${err}`);
  };
  const [, port] = await waitFor(/listening on (\d+)/);
  const url = `http://127.0.0.1:${port}`;
  return { child, url, webhook: `${url}/wechat`, waitFor, exited, stderr: () => err };
}

type Outcome = 'passive' | 'success' | 'dropped';

/**
 * The platform's deliveries of one message after the first (which went to the killed server): one at
 * `firstRetryAt` ms after the claim, then every 5 s while unanswered, three deliveries in all, none later
 * than ~10 s after the first; each dropped after 5 s.
 */
async function platformRetries(webhook: string, user: string, text: string, msgId: string, claimedAt: number, firstRetryAt: number) {
  const player = createWechatPlayer({ url: webhook, token: TOKEN, timeoutMs: 5_000 });
  const outcomes: Outcome[] = [];
  let delivery = firstRetryAt >= 7_500 ? 3 : 2;
  for (let at = firstRetryAt; delivery <= 3; at += 5_000, delivery++) {
    await sleep(Math.max(0, claimedAt + at - Date.now()));
    try {
      const res = await player.text(user, text, msgId);
      if (res.reply) {
        expect(res.reply.Content).toContain(msgId);
        outcomes.push('passive');
      } else outcomes.push(res.status === 200 && res.body === 'success' ? 'success' : 'dropped');
    } catch {
      outcomes.push('dropped'); // the platform's 5-second timeout
    }
    if (outcomes.at(-1) !== 'dropped') break; // answered (or told `success`): the platform stops
  }
  return outcomes;
}

async function customerServiceMessages(url: string, user: string): Promise<string[]> {
  const body = (await (await fetch(`${url}/sim/deliveries`)).json()) as { deliveries: { touser: string; content?: string }[] };
  return body.deliveries.filter((d) => d.touser === user).map((d) => d.content ?? '');
}

/** Sends each case's first delivery to `first`, kills it once every case is claimed, replays the retries to `second`. */
async function crashAndRetry(cases: { firstRetryAt: number; slowMs: number }[], customerService: 'on' | 'off') {
  const database = await runDatabase();
  const first = await slowServer(database.dbPath, { ...database.env, WECHAT_CUSTOMER_SERVICE: customerService });
  const second = await slowServer(database.dbPath, { ...database.env, WECHAT_CUSTOMER_SERVICE: customerService });
  const messages = cases.map((c, i) => ({ ...c, user: `o_kill_${customerService}_${i}_${c.firstRetryAt}`, msgId: nextMsgId(), text: `slow ${c.slowMs}` }));

  const firstDeliveries = messages.map((m) =>
    createWechatPlayer({ url: first.webhook, token: TOKEN, timeoutMs: 5_000 }).text(m.user, m.text, m.msgId).then(() => 'answered', () => 'dropped'));
  for (const m of messages) await first.waitFor(new RegExp(`handling ${m.msgId}`));
  const claimedAt = Date.now();
  first.child.kill('SIGKILL');
  await first.exited;
  expect(await Promise.all(firstDeliveries)).toEqual(messages.map(() => 'dropped'));

  const outcomes = await Promise.all(messages.map((m) => platformRetries(second.webhook, m.user, m.text, m.msgId, claimedAt, m.firstRetryAt)));
  // A customer-service hand-off sends when its answer is ready: wait for those (then a little, to see a double).
  for (const end = Date.now() + 8_000; Date.now() < end; await sleep(100)) {
    const waiting = await Promise.all(messages.map(async (m, i) =>
      !outcomes[i]!.includes('passive') && (await customerServiceMessages(second.url, m.user)).length === 0));
    if (!waiting.includes(true)) break;
  }
  await sleep(500);
  const results = await Promise.all(messages.map(async (m, i) => {
    const sent = await customerServiceMessages(second.url, m.user);
    return { at: m.firstRetryAt, slowMs: m.slowMs, passive: outcomes[i]!.filter((o) => o === 'passive').length, customerService: sent.length, ok: sent.every((c) => c.includes(m.msgId)) };
  }));

  const check = await openDatabase(database.dbPath, database.env.GUANG_SECRET_KEY ? { secretKey: database.env.GUANG_SECRET_KEY } : {});
  const pending = (await check.sql.all<{ dedup_key: string }>("SELECT dedup_key FROM handled_messages WHERE status = 'pending'")).map((r) => r.dedup_key);
  await check.sql.close();
  return { results, pending, stderr: second.stderr() };
}

const TIMINGS = [0, 1_000, 3_000, 5_000, 7_000, 10_000];

describe('a server killed mid-answer', () => {
  it('has every follower answered exactly once by the server that gets the retries (customer service on)', async () => {
    const cases = [
      ...TIMINGS.map((firstRetryAt) => ({ firstRetryAt, slowMs: 1_500 })),
      // Taken over by the last delivery and still too slow for it: the customer-service hand-off must happen.
      { firstRetryAt: 10_000, slowMs: 6_000 },
    ];
    const { results, pending } = await crashAndRetry(cases, 'on');
    for (const r of results) {
      expect({ ...r, answers: r.passive + r.customerService }).toEqual({ ...r, answers: 1, ok: true });
    }
    expect(results.at(-1)).toMatchObject({ passive: 0, customerService: 1 });
    expect(pending).toEqual([]);
  }, 45_000);

  it('answers the retry still inside the platform\'s window when customer service is off', async () => {
    const cases = [
      ...TIMINGS.map((firstRetryAt) => ({ firstRetryAt, slowMs: 1_500 })),
      // Slower than the retry that takes it over: the next delivery, to the same server, carries it.
      { firstRetryAt: 3_000, slowMs: 6_000 },
    ];
    const { results, pending } = await crashAndRetry(cases, 'off');
    for (const r of results) {
      expect({ ...r, answers: r.passive + r.customerService }).toEqual({ ...r, answers: 1, customerService: 0, ok: true });
    }
    expect(pending).toEqual([]);
  }, 45_000);
});
