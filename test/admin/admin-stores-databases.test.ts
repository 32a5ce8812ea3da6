/**
 * The service answers, the merchant's follower tags and the page views on both databases, and with two instances
 * on one database (issue 18): patches of different topics made at once on two instances both land, an edit on
 * one instance is what the other's agent reads next, a tag given twice at once is one tag, and a page view is
 * counted without the page waiting for it or ever seeing its failure.
 */
import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { createFollowerTags } from '../../src/merchant/follower-tags.ts';
import { createServiceSettingsStore } from '../../src/merchant/service/answers.ts';
import { createPageViews } from '../../src/web/page-views.ts';
import { DATABASES, openEach } from '../helpers/databases.ts';

const T0 = Date.UTC(2026, 11, 4, 2);
const ACCOUNT = accountId('default');

describe.each(DATABASES)('service answers, tags and page views on $name', (database) => {
  const opened = openEach(database, { instances: 2 });
  let one: Sql;
  let two: Sql;
  beforeEach(() => {
    if (!database.skip) [one, two] = opened.instances as [Sql, Sql];
  });

  it.skipIf(database.skip)('keeps both topics when two instances patch the answers at once, and each reads the other\'s edit next', async () => {
    const a = createServiceSettingsStore(one);
    const b = createServiceSettingsStore(two);
    expect(await b.get(ACCOUNT)).toEqual({ answers: {}, humanTransfer: false });
    await Promise.all([
      a.update(ACCOUNT, { answers: { stores: '门店在静安寺' } }),
      b.update(ACCOUNT, { answers: { coupons: '满 200 减 20' }, human_transfer: true }),
      a.update(ACCOUNT, { answers: { sizes: '看尺码表' } }),
    ]);
    const both = { answers: { stores: '门店在静安寺', coupons: '满 200 减 20', sizes: '看尺码表' }, humanTransfer: true };
    expect(await a.get(ACCOUNT)).toEqual(both);
    expect(await b.update(ACCOUNT, { answers: { stores: null } })).toEqual({ answers: { coupons: '满 200 减 20', sizes: '看尺码表' }, humanTransfer: true });
    expect((await a.get(ACCOUNT)).answers.stores).toBeUndefined();
    expect(await a.get('another')).toEqual({ answers: {}, humanTransfer: false });
  });

  it.skipIf(database.skip)('tags a follower once when two instances tag them at once, and untags them once', async () => {
    const a = createFollowerTags(one);
    const b = createFollowerTags(two);
    const added = await Promise.all([a.add('default', 'o_1', 'vip', T0), b.add('default', 'o_1', 'vip', T0), a.add('default', 'o_1', '老客户', T0)]);
    expect(added.filter((x) => x)).toHaveLength(2);
    expect(await one.all('SELECT tag FROM subscriber_tags WHERE user_id = ? ORDER BY tag', ['o_1'])).toEqual([{ tag: 'vip' }, { tag: '老客户' }]);
    expect(await Promise.all([a.remove('default', 'o_1', 'vip'), b.remove('default', 'o_1', 'vip')])).toEqual(expect.arrayContaining([true, false]));
    expect(await b.remove('default', 'o_1', 'vip')).toBe(false);
    expect(await two.all('SELECT tag FROM subscriber_tags WHERE user_id = ?', ['o_1'])).toEqual([{ tag: '老客户' }]);
  });

  it.skipIf(database.skip)('records page views from two instances without the page waiting, and only logs a view it could not record', async () => {
    let logged = '';
    const logger = createLogger('warn', new Writable({ write: (chunk, _enc, done) => ((logged += String(chunk)), done()) }));
    const view = (itemId: string, at: number) => ({ account: ACCOUNT, kind: 'product' as const, itemId, user: userId('o_1'), storeId: null, referrer: 'r1', query: '连衣裙'.repeat(100), at });
    const recordA = createPageViews(one, { logger });
    const recordB = createPageViews(two, { logger });
    expect(recordA(view('SKU-1', T0))).toBeUndefined();
    recordB(view('SKU-2', T0 + 1));
    recordA(view('S'.repeat(300), T0 + 2));
    const count = () => one.get<{ n: number }>('SELECT count(*) AS n FROM page_views');
    await expect.poll(async () => (await count())!.n).toBe(3);
    const rows = await one.all<{ item_id: string; query: string; referrer: string }>('SELECT item_id, query, referrer FROM page_views ORDER BY at');
    expect(rows.map((r) => r.item_id.length)).toEqual([5, 5, 200]);
    expect(rows.every((r) => r.query.length === 200 && r.referrer === 'r1')).toBe(true);

    // A database that refuses the write, even at once: the page goes on, the log says why.
    const refusing: Sql = { ...one, run: () => { throw new Error('disk I/O error'); } };
    expect(() => createPageViews(refusing, { logger })(view('SKU-3', T0 + 3))).not.toThrow();
    await expect.poll(() => logged).toContain('could not record a page view');
    expect((await count())!.n).toBe(3);
  });
});
