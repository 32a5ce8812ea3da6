/**
 * Three real `guang serve --role worker` processes on one PostgreSQL database, sending broadcasts to a WeChat API
 * simulator (issue 18). The sender holding a run is stopped in the middle of a call the simulator has already
 * taken: killed (SIGKILL), its run is taken over by another worker at its next look (the holder is a process on
 * this host that is gone); frozen (SIGSTOP, as a host that vanished: nothing tells the others it is gone), its run
 * is taken over only once its lease has lapsed. Either way the run completes and every follower is served once.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountId, userId } from '../../src/core/messages.ts';
import { openDatabase } from '../../src/db/open.ts';
import { createSubscriberStore } from '../../src/db/subscribers.ts';
import { createBroadcastService } from '../../src/push/service.ts';
import { startStandaloneSimulator, type StandaloneSimulator } from '../../src/wechat-api/simulator/simulator.ts';
import { guang, type Proc } from '../helpers/process.ts';
import { migratedDatabase, noPostgres } from '../helpers/postgres.ts';

const APPID = 'wx5ca1e0ff7a4e0001';
const SECRET = 'scale-takeover-secret-0123456789';
/** Followers per broadcast: at the server's 20 customer-service calls a second, a run takes about 10 s. */
const N = 200;
/** The shortest lease GUANG_PUSH_LEASE_SECONDS takes, so the frozen holder's run is free within seconds. */
const LEASE_SECONDS = 10;
const SEND = '/cgi-bin/message/custom/send';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

describe.skipIf(noPostgres)('a broadcast run whose sender stops mid-send, with three workers on one PostgreSQL database', () => {
  let database: { url: string; drop: () => Promise<void> };
  let sim: StandaloneSimulator;
  let client: pg.Client;
  let service: ReturnType<typeof createBroadcastService>;
  let closeService: () => Promise<void>;
  const workers: Proc[] = [];
  const openids = Array.from({ length: N }, (_, i) => `o_takeover_${String(i).padStart(3, '0')}`);

  beforeAll(async () => {
    database = await migratedDatabase();
    const key = randomBytes(32).toString('base64');
    sim = await startStandaloneSimulator({ port: 0, accountType: 'service', credentials: { [APPID]: SECRET } });
    const opened = await openDatabase(database.url, { secretKey: key });
    closeService = () => opened.sql.close();
    const subscribers = createSubscriberStore(opened.sql);
    const lastMessage = Date.now() - 3600_000; // inside the 48-hour window, for the simulator too
    for (const openid of openids) {
      await subscribers.messaged({ account: accountId('default'), user: userId(openid) }, lastMessage);
      sim.simulator.recordInteraction(openid, 'message', lastMessage);
    }
    service = createBroadcastService({ sql: opened.sql, accountType: 'service', client: () => null });
    // No quiet hours (the test runs at any hour); two pushes a week, one per broadcast below.
    await service.saveSettings('default', { weeklyCap: 2, quietStart: '00:00', quietEnd: '00:00', tz: 'Asia/Shanghai' });
    const env = {
      PORT: '0', GUANG_DB: database.url, GUANG_SECRET_KEY: key, GUANG_LOG_LEVEL: 'silent', WECHAT_TOKEN: 'takeovertoken',
      WECHAT_APPID: APPID, WECHAT_APPSECRET: SECRET, WECHAT_API_BASE: sim.url, GUANG_PUSH_LEASE_SECONDS: String(LEASE_SECONDS),
    };
    const start = async () => {
      const proc = guang(['serve', '--role', 'worker'], env);
      await proc.waitFor(/Health:/, 60_000);
      return proc;
    };
    workers.push(...(await Promise.all([start(), start(), start()])));
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  }, 180_000);

  afterAll(async () => {
    const up = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    for (const w of up) {
      w.child.kill('SIGTERM');
      w.child.kill('SIGCONT'); // one left frozen by a failed test stops too
    }
    const codes = await Promise.all(up.map((w) => w.exited()));
    await client?.end();
    await closeService?.();
    await sim?.close();
    await database?.drop();
    expect(codes).toEqual(up.map(() => 0));
  }, 120_000);

  /** Plans a run of a new broadcast to everyone; the workers find it at their next look (every 5 s). */
  async function planRun(content: string): Promise<number> {
    const b = await service.create('default', { name: content, message: { type: 'text', content }, audience: { all: true }, channel: 'custom' });
    const run = await service.startRun(b, `manual:${Date.now()}`);
    expect(run.counts.planned).toBe(N);
    return run.id;
  }
  const deliveredOf = (content: string) => sim.simulator.deliveries().filter((d) => d.content === content);
  const sendCalls = () => sim.simulator.stats().requests[SEND] ?? 0;
  const runRow = async (id: number) => {
    const r = await client.query<{ status: string; lease_owner: string | null; lease_until: string | null }>(
      'SELECT status, lease_owner, lease_until FROM broadcast_runs WHERE id = $1', [id]);
    return r.rows[0]!;
  };
  /** The worker whose process holds the run's lease (owner: host:pid:random). */
  const holderOf = async (id: number): Promise<Proc> => {
    const owner = (await runRow(id)).lease_owner;
    const holder = workers.find((w) => owner?.split(':')[1] === String(w.child.pid));
    if (!holder) throw new Error(`the lease of run ${id} is held by ${owner}, none of the workers`);
    return holder;
  };
  const outboxStates = async (id: number) => {
    const r = await client.query<{ state: string; n: string }>('SELECT state, COUNT(*) AS n FROM push_outbox WHERE run_id = $1 GROUP BY state', [id]);
    return Object.fromEntries(r.rows.map((x) => [x.state, Number(x.n)]));
  };

  /**
   * Lets the run's sender get going, then holds its next call in the simulator (taken and recorded, the answer
   * kept back: the sender is mid-call) and waits until every row it has in flight has reached the simulator.
   */
  async function holdSenderMidCall(runId: number, content: string): Promise<Proc> {
    await until('the run is sending', () => deliveredOf(content).length >= 30, 30_000);
    const calls = sendCalls();
    sim.simulator.injectTimeouts(1, 60_000);
    await until('the sender is held in a call', () => sendCalls() > calls, 5_000);
    const holder = await holderOf(runId);
    await until('every row in flight has reached the simulator', async () => {
      const inFlight = await client.query<{ user_id: string }>("SELECT user_id FROM push_outbox WHERE run_id = $1 AND state = 'sending'", [runId]);
      const reached = new Set(deliveredOf(content).map((d) => d.touser));
      return inFlight.rows.length > 0 && inFlight.rows.every((r) => reached.has(r.user_id));
    }, 5_000);
    return holder;
  }

  /** Each follower received `content` exactly once; the outbox agrees (the held rows are unknown, the rest sent). */
  async function expectEachFollowerOnce(runId: number, content: string): Promise<void> {
    const perFollower = new Map<string, number>();
    for (const d of deliveredOf(content)) perFollower.set(d.touser, (perFollower.get(d.touser) ?? 0) + 1);
    expect(openids.filter((o) => perFollower.get(o) !== 1)).toEqual([]);
    expect(deliveredOf(content)).toHaveLength(N);
    const states = await outboxStates(runId);
    expect((states.sent ?? 0) + (states.unknown ?? 0)).toBe(N);
    // Only what the stopped sender had in flight is in doubt (a throttled sender claims two rows at a time).
    expect(states.unknown).toBeGreaterThanOrEqual(1);
    expect(states.unknown).toBeLessThanOrEqual(2);
  }

  it('takes over the run of a SIGKILLed sender, and every follower receives the message once', async () => {
    const content = '本周新品（一）';
    const runId = await planRun(content);
    const holder = await holdSenderMidCall(runId, content);
    const pid = String(holder.child.pid);
    holder.child.kill('SIGKILL');
    await holder.exited();
    const atKill = deliveredOf(content).length;
    expect(atKill).toBeLessThan(N);

    const takers = new Set<string>();
    await until('the run is done', async () => {
      const r = await runRow(runId);
      const owner = r.lease_owner?.split(':')[1];
      if (owner && owner !== pid) takers.add(owner);
      return r.status === 'done';
    }, 45_000);
    const others = workers.filter((w) => w !== holder).map((w) => String(w.child.pid));
    expect(takers.size).toBeGreaterThan(0);
    for (const taker of takers) expect(others).toContain(taker);
    await expectEachFollowerOnce(runId, content);
  }, 60_000);

  it('takes over the run of a sender that stops answering only once its lease has lapsed, and every follower receives the message once', async () => {
    const content = '本周新品（二）';
    const runId = await planRun(content);
    const holder = await holdSenderMidCall(runId, content);
    // Frozen, its process still exists: to the others it is a sender on another host that stopped renewing.
    holder.child.kill('SIGSTOP');
    const stoppedAt = Date.now();
    const leaseUntil = Number((await runRow(runId)).lease_until);
    // The lease GUANG_PUSH_LEASE_SECONDS asks for, renewed at the held call's claim, a moment before the stop.
    expect(leaseUntil - stoppedAt).toBeGreaterThan((LEASE_SECONDS - 5) * 1000);
    expect(leaseUntil - stoppedAt).toBeLessThanOrEqual(LEASE_SECONDS * 1000);
    const atStop = deliveredOf(content).length;

    await until('the run is done', async () => (await runRow(runId)).status === 'done', 50_000);
    // Nothing was sent for the run until the frozen sender's lease had lapsed.
    const resumedAt = Math.min(...deliveredOf(content).slice(atStop).map((d) => Date.parse(d.at)));
    expect(resumedAt).toBeGreaterThanOrEqual(leaseUntil);
    await expectEachFollowerOnce(runId, content);
    holder.child.kill('SIGKILL');
    await holder.exited();
  }, 60_000);
});
