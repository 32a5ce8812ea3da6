/**
 * The console's 规则测试 (`POST /api/rules/test`) on a server running on PostgreSQL (issue 18): it answers as on
 * SQLite — as the webhook then does — and leaves every table as it was.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { atFileEnd } from '../helpers/file-end.ts';
import { migratedDatabase, noPostgres } from '../helpers/postgres.ts';
import { everyTable } from '../helpers/tables.ts';
import { adminServer } from './harness.ts';

const database = noPostgres ? null : await migratedDatabase();
// Registered before the server registers its own cleanup (atFileEnd runs the last first), so the database is
// dropped after the server has closed: dropped first, its open connections end under it (an uncaught error).
atFileEnd(() => database?.drop());
const s = database ? await adminServer({ dbPath: database.url, demo: true, env: { GUANG_SECRET_KEY: randomBytes(32).toString('base64') } }) : null;
const says = (t: string) => ({ type: 'text', content: t });
const text = (t: string) => ({ type: 'text', text: t });
/** Every table but the one the server itself writes every second (its liveness lease). */
const tables = () => everyTable(s!.server.sql, { except: ['process_leases'] });

describe.skipIf(noPostgres)('POST /api/rules/test on PostgreSQL', () => {
  it('answers as the webhook does, names the rule, and saves nothing', async () => {
    const rule = await s!.api('POST', '/rules', { name: '优惠券规则', match: 'contains', keywords: ['优惠券'], replies: [says('本周满 100 减 20'), says('还有新人券')], reply_mode: 'all' });
    expect(rule.status).toBe(201);
    expect(await s!.say('o_dry_1', '女装')).toMatch(/^为你找到「女装」/);
    await s!.server.agent.drain();
    const before = await tables();

    const r = await s!.api('POST', '/rules/test', { text: '有优惠券吗', follower: 'o_dry_1' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      answered_by: `rule:${rule.body.id}`, rule: { id: rule.body.id, name: '优惠券规则' },
      reply: text('本周满 100 减 20'), follow_ups: [text('还有新人券')], follower: 'o_dry_1',
    });
    // The follower's conversation is read: 「更多」 pages the search they made through the webhook.
    expect((await s!.api('POST', '/rules/test', { text: '更多', follower: 'o_dry_1' })).body.answered_by).toBe('more');
    expect((await s!.api('POST', '/rules/test', { text: 'TD', follower: 'o_dry_1' })).body.answered_by).toBe('opt_out');
    const night = await s!.api('POST', '/rules/test', { text: '女装', at: '2027-03-01T23:30:00+08:00' }, { headers: { 'accept-language': 'zh-CN' } });
    expect(night.body).toMatchObject({ answered_by: 'products', intent: 'product', at: '2027-03-01T15:30:00.000Z' });
    expect(night.body.explanation.at(-1)).toMatch(/^（试运行于北京时间 2027-03-01 23:30；没有保存也没有发送任何内容。）$/);

    expect(await tables()).toEqual(before);
    // And the webhook answers the same.
    expect(await s!.say('o_dry_2', '有优惠券吗')).toBe('本周满 100 减 20');
  }, 60_000);

  it('answers a dry run while the live server takes a message from the same follower', async () => {
    const [dry, live] = await Promise.all([
      s!.api('POST', '/rules/test', { text: '女装', follower: 'o_dry_3' }),
      s!.say('o_dry_3', '女装'),
    ]);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.answered_by).toBe('products');
    expect(live).toMatch(/^为你找到「女装」/);
  }, 60_000);
});
