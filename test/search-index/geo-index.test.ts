import { describe, expect, it } from 'vitest';
import type { Hotel } from '../../src/catalogue/types.ts';
import { createGeoIndex, distanceKm, type LatLng } from '../../src/search/index/geo-index.ts';
import { OTHER, SHOP, hotel, prng } from './fixtures.ts';

const PEOPLES_SQUARE: LatLng = { lat: 31.2304, lng: 121.4737 };

describe('distanceKm', () => {
  it('measures great-circle kilometres', () => {
    expect(distanceKm(PEOPLES_SQUARE, { lat: 39.9042, lng: 116.4074 })).toBeCloseTo(1067, -1);
    expect(distanceKm(PEOPLES_SQUARE, PEOPLES_SQUARE)).toBe(0);
    // 0.01° of latitude ≈ 1.11 km
    expect(distanceKm({ lat: 31, lng: 121 }, { lat: 31.01, lng: 121 })).toBeCloseTo(1.112, 2);
  });
});

describe('nearest', () => {
  function bruteForce(hotels: Hotel[], at: LatLng, limit: number, maxKm = Infinity, maxPriceFen?: number) {
    return hotels
      .filter((h) => maxPriceFen === undefined || (h.priceFen !== null && h.priceFen <= maxPriceFen))
      .map((h) => ({ id: h.id, km: distanceKm(at, h) }))
      .filter((x) => x.km <= maxKm)
      .sort((a, b) => a.km - b.km || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }

  it('returns exactly the brute-force top k on random points, near and far', () => {
    const rnd = prng(7);
    const hotels: Hotel[] = [];
    // Clusters in five cities plus hotels scattered over China.
    const cities = [
      [31.23, 121.47],
      [39.9, 116.4],
      [30.27, 120.15],
      [22.54, 114.06],
      [30.66, 104.07],
    ] as const;
    for (let i = 0; i < 3000; i++) {
      const [clat, clng] = i < 2500 ? cities[i % cities.length]! : [20 + rnd() * 25, 100 + rnd() * 25];
      const spread = i < 2500 ? 0.3 : 1;
      hotels.push(hotel(`h${i}`, clat + (rnd() - 0.5) * spread, clng + (rnd() - 0.5) * spread, { priceFen: rnd() < 0.1 ? null : 10000 + Math.floor(rnd() * 50) * 1000 }));
    }
    const geo = createGeoIndex();
    for (const h of hotels) geo.upsert(h);

    for (let q = 0; q < 300; q++) {
      const near = q % 3 !== 0;
      const [clat, clng] = cities[q % cities.length]!;
      const at = near ? { lat: clat + (rnd() - 0.5) * 0.6, lng: clng + (rnd() - 0.5) * 0.6 } : { lat: 18 + rnd() * 30, lng: 95 + rnd() * 35 };
      const limit = 1 + Math.floor(rnd() * 20);
      const maxKm = q % 4 === 0 ? rnd() * 20 : undefined;
      const maxPriceFen = q % 5 === 0 ? 30000 : undefined;
      const got = geo.nearest(SHOP, at, { limit, maxKm, maxPriceFen });
      const want = bruteForce(hotels, at, limit, maxKm, maxPriceFen);
      expect(got.map((x) => x.hotel.id)).toEqual(want.map((x) => x.id));
      got.forEach((x, i) => expect(x.km).toBeCloseTo(want[i]!.km, 9));
    }
  });

  it('finds the nearest hotels from far away (a follower in another city)', () => {
    const rnd = prng(11);
    const hotels = Array.from({ length: 2000 }, (_, i) => hotel(`s${i}`, 30.7 + rnd(), 121 + rnd()));
    const geo = createGeoIndex();
    for (const h of hotels) geo.upsert(h);
    for (const at of [{ lat: 39.9042, lng: 116.4074 }, { lat: 22.54, lng: 114.06 }, { lat: 31.2, lng: 125.5 }]) {
      expect(geo.nearest(SHOP, at, { limit: 7 }).map((x) => x.hotel.id)).toEqual(bruteForce(hotels, at, 7).map((x) => x.id));
      expect(geo.nearest(SHOP, at, { limit: 7, maxKm: 50 })).toEqual([]);
    }
  });

  it('leaves out hotels beyond maxKm, even when fewer than limit remain', () => {
    const geo = createGeoIndex();
    geo.upsert(hotel('near', 31.231, 121.474));
    geo.upsert(hotel('mid', 31.26, 121.474)); // ~3.3 km
    geo.upsert(hotel('far', 31.4, 121.474)); // ~19 km
    expect(geo.nearest(SHOP, PEOPLES_SQUARE, { limit: 10, maxKm: 5 }).map((x) => x.hotel.id)).toEqual(['near', 'mid']);
    expect(geo.nearest(SHOP, PEOPLES_SQUARE, { limit: 10, maxKm: 0.01 })).toEqual([]);
  });

  it('filters by price bounds (inclusive) and leaves out hotels without a price when a bound is given', () => {
    const geo = createGeoIndex();
    geo.upsert(hotel('cheap', 31.231, 121.474, { priceFen: 20000 }));
    geo.upsert(hotel('dear', 31.232, 121.474, { priceFen: 80000 }));
    geo.upsert(hotel('unknown', 31.233, 121.474, { priceFen: null }));
    const ids = (o: { minPriceFen?: number; maxPriceFen?: number }) => geo.nearest(SHOP, PEOPLES_SQUARE, { limit: 5, ...o }).map((x) => x.hotel.id);
    expect(ids({ maxPriceFen: 20000 })).toEqual(['cheap']);
    expect(ids({ minPriceFen: 20001 })).toEqual(['dear']);
    expect(ids({})).toEqual(['cheap', 'dear', 'unknown']);
  });

  it('follows upserts that move a hotel and removals', () => {
    const geo = createGeoIndex();
    geo.upsert(hotel('a', 31.231, 121.474));
    geo.upsert(hotel('b', 31.3, 121.5));
    geo.upsert(hotel('a', 39.9, 116.4, { city: '北京' }));
    expect(geo.nearest(SHOP, PEOPLES_SQUARE, { limit: 1 })[0]!.hotel.id).toBe('b');
    expect(geo.inCity(SHOP, '上海', { limit: 5, sort: 'rating' }).map((h) => h.id)).toEqual(['b']);
    expect(geo.remove(SHOP, 'b')).toBe(true);
    expect(geo.nearest(SHOP, PEOPLES_SQUARE, { limit: 5 }).map((x) => x.hotel.id)).toEqual(['a']);
    expect(geo.size(SHOP)).toBe(1);
  });

  it('keeps accounts apart', () => {
    const geo = createGeoIndex();
    geo.upsert(hotel('mine', 31.231, 121.474));
    geo.upsert(hotel('theirs', 31.2305, 121.4737, { account: OTHER }));
    expect(geo.nearest(SHOP, PEOPLES_SQUARE, { limit: 5 }).map((x) => x.hotel.id)).toEqual(['mine']);
    expect(geo.inCity(OTHER, '上海', { limit: 5, sort: 'rating' }).map((h) => h.id)).toEqual(['theirs']);
  });

  it('rejects a hotel or a location without usable coordinates, saying what to fix', () => {
    const geo = createGeoIndex();
    expect(() => geo.upsert(hotel('bad', Number.NaN, 121))).toThrow(/coordinates/);
    geo.upsert(hotel('ok', 31.2, 121.4));
    expect(() => geo.nearest(SHOP, { lat: Number.NaN, lng: 121 }, { limit: 3 })).toThrow(/validate the location/);
  });
});

describe('inCity', () => {
  const geo = createGeoIndex();
  geo.upsert(hotel('a', 31.2, 121.4, { priceFen: 30000, rating: 4.8 }));
  geo.upsert(hotel('b', 31.2, 121.4, { priceFen: 20000, rating: 4.2 }));
  geo.upsert(hotel('c', 31.2, 121.4, { priceFen: 60000, rating: 4.8, city: '上海市' }));
  geo.upsert(hotel('d', 31.2, 121.4, { priceFen: null, rating: null }));
  geo.upsert(hotel('e', 30.2, 120.1, { city: '杭州' }));
  const ids = (hs: Hotel[]) => hs.map((h) => h.id);

  it('finds a city’s hotels, 上海 and 上海市 alike, best rated first (unrated last)', () => {
    expect(ids(geo.inCity(SHOP, '上海', { limit: 10, sort: 'rating' }))).toEqual(['a', 'c', 'b', 'd']);
    expect(ids(geo.inCity(SHOP, '上海市', { limit: 2, sort: 'rating' }))).toEqual(['a', 'c']);
  });

  it('sorts by price either way, hotels without a price last', () => {
    expect(ids(geo.inCity(SHOP, '上海', { limit: 10, sort: 'price_asc' }))).toEqual(['b', 'a', 'c', 'd']);
    expect(ids(geo.inCity(SHOP, '上海', { limit: 10, sort: 'price_desc' }))).toEqual(['c', 'a', 'b', 'd']);
  });

  it('applies the price bounds inclusively', () => {
    expect(ids(geo.inCity(SHOP, '上海', { limit: 10, sort: 'price_asc', maxPriceFen: 30000 }))).toEqual(['b', 'a']);
    expect(ids(geo.inCity(SHOP, '上海', { limit: 10, sort: 'price_asc', minPriceFen: 30000, maxPriceFen: 60000 }))).toEqual(['a', 'c']);
  });

  it('returns nothing for a city without hotels and lists the cities that have some', () => {
    expect(geo.inCity(SHOP, '北京', { limit: 10, sort: 'rating' })).toEqual([]);
    expect(geo.cities(SHOP)).toEqual(['上海', '杭州']);
  });
});
