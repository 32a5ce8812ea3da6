/**
 * What ordering in the conversation costs a message that is not about ordering: 「女装」 reads the session once
 * (as the shopping skills did before) and touches no order table. Real agent over the demo data; every statement
 * the agent prepares is counted when it runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createShopAgent } from '../../src/app/shop-agent.ts';
import { seedDemoData } from '../../src/catalogue/demo.ts';
import { manualClock } from '../../src/core/clock.ts';
import { accountId, userId, type Inbound } from '../../src/core/messages.ts';
import { openDb, type Db } from '../../src/db/db.ts';
import { tempDbPath } from '../helpers/temp.ts';

const account = accountId('default');
const db = openDb(tempDbPath());
await seedDemoData(db, account);

/** The SQL of every statement run since the last `take()`. */
const executed: string[] = [];
const take = () => executed.splice(0);
const prepare = db.prepare.bind(db);
(db as { prepare: Db['prepare'] }).prepare = ((sql: string) => {
  const statement = prepare(sql) as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ['get', 'all', 'run', 'iterate']) {
    const original = statement[method]!.bind(statement);
    statement[method] = (...args: unknown[]) => (executed.push(sql), original(...args));
  }
  return statement;
}) as unknown as Db['prepare'];

const clock = manualClock(Date.parse('2026-10-01T10:00:00+08:00'));
const { agent, stop } = createShopAgent({ db, clock, pollMs: 0, merchantPollMs: 0, publicBase: () => 'https://shop.example.com' });
afterAll(() => {
  stop();
  db.close();
});

async function send(user: string, text: string): Promise<void> {
  clock.advance(1000);
  const id = `${user}-${clock.now()}`;
  const inbound: Inbound = { channel: 'wechat', account, user: userId(user), createdAt: clock.now() / 1000, dedupKey: id, msgId: id, kind: 'text', text, viaVoice: false };
  await (await agent.receive(inbound)).answer;
  await agent.drain();
}

const ORDER_TABLES = /\b(?:orders|order_items|order_contacts|order_settings|order_events|referrers|group_leaders)\b/;
const SESSION_READ = /^SELECT state\b[^;]* FROM sessions/;

describe('the cost of orders in the conversation', () => {
  it('「女装」 reads the session once and no order table', async () => {
    await send('o_cost_1', '女装');
    take();
    await send('o_cost_1', '女装');
    const sql = take();
    expect(sql.filter((s) => SESSION_READ.test(s.trim()))).toHaveLength(1);
    expect(sql.filter((s) => ORDER_TABLES.test(s))).toEqual([]);
  });

  it('counts what it should: 「我的订单」 does read the orders', async () => {
    await send('o_cost_2', '我的订单');
    expect(take().some((s) => /FROM orders/.test(s))).toBe(true);
  });
});
