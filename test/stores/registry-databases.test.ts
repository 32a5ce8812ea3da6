/**
 * The store registry on both databases, and with two instances at once (issue 18): one row when two instances
 * create the same store id, attribution (first or last) with its tag, the per-store counts, QR codes, and the
 * merchant book of one instance seeing another's store change.
 */
import { describe, expect, it } from 'vitest';
import { MerchantError } from '../../src/core/errors.ts';
import { manualClock } from '../../src/core/clock.ts';
import { createMerchantBook } from '../../src/merchant/book.ts';
import { createStoreRegistry } from '../../src/merchant/shops/registry.ts';
import { DATABASES, openEach } from '../helpers/databases.ts';

const A = 'default';
const NOW = Date.UTC(2026, 11, 4, 4);
const DAY = 86_400_000;

describe.each(DATABASES)('stores on $name', (database) => {
  const opened = openEach(database);

  it.skipIf(database.skip)('creates, pages, changes and deletes stores; a patch keeps what it leaves out and null clears', async () => {
    const stores = createStoreRegistry(opened.sql, manualClock(NOW));
    await stores.create(A, { id: 'sh-jingan', name: '静安店', city: '上海', hours: '每天 10:00–22:00' });
    await stores.create(A, { id: 'bj-sanlitun', name: '三里屯店' });
    expect((await stores.list(A, { limit: 1 })).map((s) => s.id)).toEqual(['bj-sanlitun']);
    expect((await stores.list(A, { limit: 5, after: 'bj-sanlitun' })).map((s) => s.id)).toEqual(['sh-jingan']);
    expect(await stores.update(A, 'sh-jingan', { welcome: '欢迎', city: null })).toMatchObject({ name: '静安店', city: null, hours: '每天 10:00–22:00', welcome: '欢迎' });
    expect(await stores.update(A, 'nowhere', { name: 'x' })).toBeNull();
    expect(await stores.names(A)).toEqual(new Map([['bj-sanlitun', '三里屯店'], ['sh-jingan', '静安店']]));
    expect(await stores.remove(A, 'bj-sanlitun')).toBe(true);
    expect(await stores.remove(A, 'bj-sanlitun')).toBe(false);
    expect((await stores.all()).map((s) => s.id)).toEqual(['sh-jingan']);
  });

  it.skipIf(database.skip)('keeps one store when two instances create the same id at once; the others get a conflict', async () => {
    const one = createStoreRegistry(opened.sql);
    const two = createStoreRegistry(await opened.another());
    const outcomes = await Promise.allSettled([one.create(A, { id: 'sh-jingan', name: '一' }), two.create(A, { id: 'sh-jingan', name: '二' }), two.create(A, { id: 'sh-jingan', name: '三' })]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'conflict' });
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(MerchantError);
    expect(await opened.sql.get('SELECT count(*) AS n FROM stores WHERE id = ?', ['sh-jingan'])).toEqual({ n: 1 });
  });

  it.skipIf(database.skip)('attributes first or last with one store tag, and counts follows, scans and active followers per store', async () => {
    const stores = createStoreRegistry(opened.sql, manualClock(NOW));
    await stores.create(A, { id: 'a', name: '甲店' });
    await stores.create(A, { id: 'b', name: '乙店' });
    for (const [user, lastMessage] of [['o1', NOW - DAY], ['o2', NOW - 40 * DAY]] as const) {
      await opened.sql.run('INSERT INTO subscribers (account, user_id, subscribed, last_message_at, created_at, updated_at) VALUES (?, ?, 1, ?, 0, 0)', [A, user, lastMessage]);
    }
    expect(await stores.attribute({ account: A, user: 'o1', storeId: 'a', via: 'follow', at: NOW - 2 * DAY, mode: 'first' })).toBe('a');
    expect(await stores.attribute({ account: A, user: 'o1', storeId: 'b', via: 'scan', at: NOW - DAY, mode: 'first' })).toBe('a');
    expect(await stores.attribute({ account: A, user: 'o2', storeId: 'a', via: 'follow', at: NOW - 2 * DAY, mode: 'last' })).toBe('a');
    expect(await stores.attribute({ account: A, user: 'o2', storeId: 'b', via: 'scan', at: NOW - DAY, mode: 'last' })).toBe('b');
    expect(await stores.storeOf(A, 'o2')).toBe('b');
    expect(await stores.storeOf(A, 'nobody')).toBeNull();
    const tags = await opened.sql.all<{ user_id: string; tag: string }>('SELECT user_id, tag FROM subscriber_tags ORDER BY user_id, tag');
    expect(tags).toEqual([{ user_id: 'o1', tag: 'store:a' }, { user_id: 'o2', tag: 'store:b' }]);
    expect(await stores.counts(A, { from: NOW - 7 * DAY, to: NOW })).toEqual([
      { store: 'a', name: '甲店', city: null, follows: 2, scans: 0, followers: 1, activeFollowers: 1 },
      { store: 'b', name: '乙店', city: null, follows: 0, scans: 2, followers: 1, activeFollowers: 0 },
    ]);
  });

  it.skipIf(database.skip)('two instances attributing one follower at once leave one attribution and one tag', async () => {
    const one = createStoreRegistry(opened.sql);
    const two = createStoreRegistry(await opened.another());
    await one.create(A, { id: 'a', name: '甲店' });
    await one.create(A, { id: 'b', name: '乙店' });
    const [x, y] = await Promise.all([
      one.attribute({ account: A, user: 'o1', storeId: 'a', via: 'follow', at: NOW, mode: 'first' }),
      two.attribute({ account: A, user: 'o1', storeId: 'b', via: 'scan', at: NOW, mode: 'first' }),
    ]);
    expect(x).toBe(y);
    expect(await opened.sql.all('SELECT store_id FROM store_followers WHERE user_id = ?', ['o1'])).toEqual([{ store_id: x }]);
    expect(await opened.sql.all('SELECT tag FROM subscriber_tags WHERE user_id = ?', ['o1'])).toEqual([{ tag: `store:${x}` }]);
  });

  it.skipIf(database.skip)('records QR codes and lists them by store', async () => {
    const stores = createStoreRegistry(opened.sql, manualClock(NOW));
    await stores.create(A, { id: 'a', name: '甲店' });
    const code = { storeId: 'a', scene: 'a', ticket: 'gQ1', url: 'http://weixin.qq.com/q/1', showUrl: 'https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=gQ1' };
    const permanent = await stores.saveQrCode(A, { ...code, permanent: true, expiresAt: null });
    const temporary = await stores.saveQrCode(A, { ...code, ticket: 'gQ2', permanent: false, expiresAt: NOW + DAY });
    expect(await stores.qrCodes(A, 'a')).toEqual([permanent, temporary]);
    expect(temporary).toMatchObject({ permanent: false, expiresAt: NOW + DAY, createdAt: NOW });
    expect(await stores.qrCodes(A, 'b')).toEqual([]);
  });

  it.skipIf(database.skip)('the merchant book of one instance sees a store another instance changed, on its next look', async () => {
    const book = createMerchantBook({ db: opened.sql, pollMs: 0 });
    await book.ready;
    const elsewhere = createStoreRegistry(await opened.another());
    await elsewhere.create(A, { id: 'a', name: '甲店', welcome: '欢迎来到甲店' });
    expect(book.view(A).stores.has('a')).toBe(false);
    expect(await book.refresh()).toBe(true);
    expect(book.view(A).stores.get('a')?.welcome).toBe('欢迎来到甲店');
    await elsewhere.update(A, 'a', { welcome: '新欢迎语' });
    await book.refresh();
    expect(book.view(A).stores.get('a')?.welcome).toBe('新欢迎语');
    book.stop();
  });
});
