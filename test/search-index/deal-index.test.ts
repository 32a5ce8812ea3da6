import { describe, expect, it } from 'vitest';
import type { Deal } from '../../src/catalogue/types.ts';
import { createDealIndex } from '../../src/search/index/deal-index.ts';
import { OTHER, SHOP, deal } from './fixtures.ts';

const NOW = Date.parse('2025-06-01T12:00:00+08:00');
const HOUR = 3_600_000;
const ids = (ds: Deal[]) => ds.map((d) => d.id);

describe('live deals', () => {
  const index = createDealIndex();
  index.upsert(deal('live', { startsAt: NOW - HOUR, endsAt: NOW + HOUR }));
  index.upsert(deal('open', {}));
  index.upsert(deal('not-started', { startsAt: NOW + HOUR }));
  index.upsert(deal('expired', { endsAt: NOW - HOUR }));
  index.upsert(deal('ends-now', { endsAt: NOW }));
  index.upsert(deal('sold-out', { stock: 0 }));
  index.upsert(deal('ktv', { category: 'KTV' }));
  index.upsert(deal('hz', { city: '杭州' }));
  index.upsert(deal('theirs', { account: OTHER }));

  it('leaves out deals not started, expired or sold out', () => {
    expect(ids(index.live(SHOP, { city: '上海', now: NOW, limit: 10 })).sort()).toEqual(['ktv', 'live', 'open']);
  });

  it('filters by category, without case or width', () => {
    expect(ids(index.live(SHOP, { city: '上海', category: 'ktv', now: NOW, limit: 10 }))).toEqual(['ktv']);
    expect(ids(index.live(SHOP, { city: '上海市', category: '美食', now: NOW, limit: 10 })).sort()).toEqual(['live', 'open']);
    expect(index.live(SHOP, { city: '上海', category: '电影', now: NOW, limit: 10 })).toEqual([]);
  });

  it('honours limit and exclude, and keeps accounts apart', () => {
    expect(index.live(SHOP, { city: '上海', now: NOW, limit: 2 })).toHaveLength(2);
    expect(ids(index.live(SHOP, { city: '上海', now: NOW, limit: 10, exclude: new Set(['live', 'ktv']) }))).toEqual(['open']);
    expect(ids(index.live(OTHER, { city: '上海', now: NOW, limit: 10 }))).toEqual(['theirs']);
  });

  it('lists the cities and categories that exist, optionally only live ones', () => {
    expect(index.cities(SHOP)).toEqual(['上海', '杭州']);
    expect(index.categories(SHOP, { city: '上海', now: NOW })).toEqual(['美食', 'KTV']);
    expect(index.categories(SHOP, { city: '杭州' })).toEqual(['美食']);
    expect(index.categories(SHOP, { city: '北京' })).toEqual([]);
    const onlyExpired = createDealIndex();
    onlyExpired.upsert(deal('old', { city: '北京', endsAt: NOW - HOUR }));
    expect(onlyExpired.cities(SHOP)).toEqual(['北京']);
    expect(onlyExpired.cities(SHOP, { now: NOW })).toEqual([]);
  });
});

describe('order', () => {
  it('puts the deepest discount first, then the cheaper, then by id', () => {
    const index = createDealIndex();
    index.upsert(deal('none', { priceFen: 1000 }));
    index.upsert(deal('half', { priceFen: 5000, originalPriceFen: 10000 }));
    index.upsert(deal('half-cheaper', { priceFen: 2000, originalPriceFen: 4000 }));
    index.upsert(deal('tenth', { priceFen: 9000, originalPriceFen: 10000 }));
    index.upsert(deal('b-same', { priceFen: 1000 }));
    expect(ids(index.live(SHOP, { city: '上海', now: NOW, limit: 10 }))).toEqual(['half-cheaper', 'half', 'tenth', 'b-same', 'none']);
  });
});

describe('updates', () => {
  it('moves a deal when its city changes and forgets removed deals', () => {
    const index = createDealIndex();
    index.upsert(deal('x'));
    index.upsert(deal('x', { city: '杭州' }));
    expect(index.live(SHOP, { city: '上海', now: NOW, limit: 5 })).toEqual([]);
    expect(ids(index.live(SHOP, { city: '杭州', now: NOW, limit: 5 }))).toEqual(['x']);
    expect(index.cities(SHOP)).toEqual(['杭州']);
    expect(index.remove(SHOP, 'x')).toBe(true);
    expect(index.remove(SHOP, 'x')).toBe(false);
    expect(index.size(SHOP)).toBe(0);
    expect(index.cities(SHOP)).toEqual([]);
  });

  it('hides a deal as soon as it sells out', () => {
    const index = createDealIndex();
    index.upsert(deal('x', { stock: 3 }));
    index.upsert(deal('x', { stock: 0 }));
    expect(index.live(SHOP, { city: '上海', now: NOW, limit: 5 })).toEqual([]);
  });
});
