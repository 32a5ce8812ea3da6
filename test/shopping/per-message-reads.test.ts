/**
 * What one message costs the shopping skills: how often they read the subscriber record and a
 * city's deals. Real agent over the demo data; a skill placed before the shopping skills counts.
 */
import { afterAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { Step } from '../../src/agent/pipeline.ts';
import { createShopAgent } from '../../src/app/shop-agent.ts';
import { accountId, userId, type Inbound } from '../../src/core/messages.ts';
import type { SubscriberStore } from '../../src/db/subscribers.ts';
import { seedDemoData } from '../../src/catalogue/demo.ts';
import { manualClock } from '../../src/core/clock.ts';
import { openDatabase } from '../../src/db/open.ts';
import { runDatabase } from '../helpers/run-database.ts';
import { EVAL_NOW } from '../eval/runner.ts';

const account = accountId('default');
const database = await runDatabase();
const { sql: db } = await openDatabase(database.dbPath, { secretKey: database.env.GUANG_SECRET_KEY ?? null });
await seedDemoData(db, account);
const clock = manualClock(EVAL_NOW);
/** Subscriber reads made after the agent's own steps, by the shopping skills. */
let subscriberReads: MockInstance<SubscriberStore['get']> | null = null;
const counter: Step = (ctx, next) => {
  subscriberReads ??= vi.spyOn(ctx.subscribers, 'get');
  subscriberReads.mockClear();
  return next();
};
const { agent, search, stop, ready } = createShopAgent({
  db,
  clock,
  pollMs: 0,
  // What is answered, not how fast: a turn on a loaded machine (CI runs two forks beside PostgreSQL) must not be cut
  // off by the 300 ms turn budget and answered by the fallback (as test/eval/runner.ts).
  budget: { ms: 60_000 },
  publicBase: () => 'https://shop.example.com',
  skills: [counter],
});
// As the server does before it answers: the indexes loaded (on PostgreSQL the first reads take longer than one turn).
await ready;
afterAll(async () => {
  stop();
  await db.close();
});

let followers = 0;
async function send(user: string, say: string | readonly [number, number]): Promise<void> {
  clock.advance(1000);
  const id = `${user}-${clock.now()}`;
  const base = { channel: 'wechat', account, user: userId(user), createdAt: clock.now() / 1000, dedupKey: id, msgId: id } as const;
  const inbound: Inbound =
    typeof say === 'string' ? { ...base, kind: 'text', text: say, viaVoice: false } : { ...base, kind: 'location', lat: say[0], lng: say[1], scale: 15, label: '' };
  await (await agent.receive(inbound)).answer;
}

describe('reads per message', () => {
  let user = '';
  beforeEach(() => {
    user = `o_reads_${++followers}`;
  });

  it('reads the subscriber record once for 附近团购', async () => {
    await send(user, [31.2317, 121.4726]);
    await send(user, '附近团购');
    expect(subscriberReads!.mock.calls.length).toBe(1);
  });

  it('reads a city\'s deals once for a merchant name in the remembered city (海底捞)', async () => {
    await send(user, '上海团购');
    const deals = vi.spyOn(search, 'deals');
    try {
      await send(user, '海底捞');
      expect(deals).toHaveBeenCalledTimes(1);
    } finally {
      deals.mockRestore();
    }
  });

  // Last: it moves the clock a day on.
  it('reads the subscriber record once for 附近团购 after a day-old location', async () => {
    await send(user, [31.2317, 121.4726]);
    clock.advance(25 * 3600_000);
    await send(user, '附近团购');
    expect(subscriberReads!.mock.calls.length).toBe(1);
  });
});
