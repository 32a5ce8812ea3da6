import { describe, expect, it } from 'vitest';
import type { Product } from '../../src/catalogue/types.ts';
import { audienceOf } from '../../src/search/index/audience.ts';
import { popularity } from '../../src/search/index/popularity.ts';
import { createProductIndex } from '../../src/search/index/product-index.ts';
import { normalizeText, queryTokens, tokens } from '../../src/search/index/tokenize.ts';
import type { ProductQuery, Without } from '../../src/search/types.ts';
import { OTHER, SHOP, prng, product, query, skus } from './fixtures.ts';

const DICT = ['连衣裙', '半身裙', '牛仔裤', '优衣库', '太平鸟', '红色', '纯棉', '碎花', '腰带'];

function indexOf(...products: Product[]) {
  const index = createProductIndex({ dictionary: DICT });
  for (const p of products) index.upsert(p);
  return index;
}

describe('ranking', () => {
  const inCategory = product('a-cat', '法式碎花长裙', { category: ['女装', '连衣裙'] });
  const inCategoryAndTitle = product('b-both', '法式碎花连衣裙', { category: ['女装', '连衣裙'] });
  const titleOnly = product('c-title', '连衣裙专用腰带', { category: ['配饰', '腰带'] });

  it('ranks products whose category names the word above products that only mention it', () => {
    const index = indexOf(titleOnly, inCategory, inCategoryAndTitle);
    expect(skus(index.search(SHOP, query({ terms: ['连衣裙'] })))).toEqual(['b-both', 'a-cat', 'c-title']);
  });

  it('only lets products of the asked categories qualify, by path prefix', () => {
    const index = indexOf(titleOnly, inCategory, inCategoryAndTitle);
    expect(skus(index.search(SHOP, query({ terms: ['连衣裙'], categories: ['女装/连衣裙'] })))).toEqual(['b-both', 'a-cat']);
    expect(index.search(SHOP, query({ categories: ['女装'] })).total).toBe(2);
    expect(index.search(SHOP, query({ categories: ['女'] })).total).toBe(0); // whole path segments only
    expect(index.search(SHOP, query({ categories: ['配饰/腰带', '女装/连衣裙'] })).total).toBe(3);
  });

  it('requires every term (multi-word queries narrow)', () => {
    const red = product('red', '红色碎花连衣裙');
    const blue = product('blue', '蓝色碎花连衣裙');
    const redSkirt = product('red-skirt', '红色半身裙', { category: ['女装', '半身裙'] });
    const index = indexOf(red, blue, redSkirt);
    expect(skus(index.search(SHOP, query({ terms: ['红色', '连衣裙'] })))).toEqual(['red']);
    expect(skus(index.search(SHOP, query({ terms: ['红色 连衣裙'] })))).toEqual(['red']);
    expect(index.search(SHOP, query({ terms: ['红色', '不存在的词'] })).total).toBe(0);
  });

  it('matches a phrase through its dictionary words even when the title separates them', () => {
    const index = indexOf(product('x', '碎花雪纺连衣裙'));
    expect(skus(index.search(SHOP, query({ terms: ['碎花连衣裙'] })))).toEqual(['x']);
  });

  it('ranks a rarer matching word higher than a common one', () => {
    const common = Array.from({ length: 20 }, (_, i) => product(`common-${i}`, `纯棉连衣裙 ${i}`));
    const index = indexOf(...common, product('rare', '纯棉 真丝'), product('both', '纯棉 真丝 连衣裙'));
    const r = index.search(SHOP, query({ terms: ['真丝'] }));
    expect(skus(r).sort()).toEqual(['both', 'rare']);
    expect(r.hits[0]!.score).toBeGreaterThan(0);
  });

  it('returns scores best first', () => {
    const index = indexOf(titleOnly, inCategory, inCategoryAndTitle);
    const scores = index.search(SHOP, query({ terms: ['连衣裙'] })).hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });
});

describe('brands', () => {
  const uniqlo = product('u1', '优衣库 纯棉连衣裙', { brand: '优衣库' });
  const uniqloNoWord = product('u2', '纯棉连衣裙 夏季', { brand: '优衣库' });
  const unbrandedNaming = product('n1', '优衣库 同款 纯棉连衣裙'); // imported without a brand column
  const otherNaming = product('p1', '优衣库同款 纯棉连衣裙', { brand: '太平鸟' });
  const other = product('p2', '纯棉连衣裙', { brand: '太平鸟' });
  const index = indexOf(uniqlo, uniqloNoWord, unbrandedNaming, otherNaming, other);

  it('keeps only products of the brand: by the brand field, or by the title when the field is empty', () => {
    expect(skus(index.search(SHOP, query({ brands: ['优衣库'] }))).sort()).toEqual(['n1', 'u1', 'u2']);
  });

  it('combines a brand with words', () => {
    expect(skus(index.search(SHOP, query({ brands: ['优衣库'], terms: ['纯棉'] }))).sort()).toEqual(['n1', 'u1', 'u2']);
    expect(skus(index.search(SHOP, query({ brands: ['太平鸟'], terms: ['纯棉'] }))).sort()).toEqual(['p1', 'p2']);
  });

  it('accepts several brands, compared without case or width', () => {
    const nike = product('nk', 'NIKE 跑步鞋', { brand: 'Nike', category: ['鞋靴', '运动鞋'] });
    const idx = indexOf(uniqlo, nike, other);
    expect(skus(idx.search(SHOP, query({ brands: ['ｎｉｋｅ', '太平鸟'] }))).sort()).toEqual(['nk', 'p2']);
  });

  it("within a category, also keeps other brands' products made for the brand (its name in the title or tags)", () => {
    const CASES = ['手机壳膜', '手机壳'];
    const charger = product('a1', 'Apple 20W 电源适配器', { brand: 'Apple', category: ['充电', '充电器'] });
    const ownCase = product('a2', 'Apple iPhone 15 硅胶保护壳', { brand: 'Apple', category: CASES });
    const titled = product('c1', '图拉斯 iPhone 15 磁吸手机壳', { brand: '图拉斯', category: CASES });
    const tagged = product('c2', '透明防摔手机壳', { brand: '亿色', category: CASES, tags: ['苹果'] });
    const huawei = product('c3', '华为 Mate 60 透明手机壳', { brand: '亿色', category: CASES });
    const idx = indexOf(charger, ownCase, titled, tagged, huawei);
    const apple = ['Apple', 'iphone', '苹果'];
    expect(skus(idx.search(SHOP, query({ brands: apple, categories: ['手机壳膜/手机壳'] }))).sort()).toEqual(['a2', 'c1', 'c2']);
    expect(idx.search(SHOP, query({ brands: apple, categories: ['手机壳膜/手机壳'], terms: ['15'] })).total).toBe(2);
    // Without a category, a brand means made by it.
    expect(skus(idx.search(SHOP, query({ brands: apple }))).sort()).toEqual(['a1', 'a2']);
  });

  it('finds a model written glued or spaced', () => {
    const idx = indexOf(product('m1', '华为 Mate 60 手机壳'), product('m2', '华为Mate60Pro 手机壳'), product('x', '华为 nova 12 手机壳'));
    expect(skus(idx.search(SHOP, query({ terms: ['mate60'] }))).sort()).toEqual(['m1', 'm2']);
  });

  it('finds nothing for a brand the shop does not carry', () => {
    expect(index.search(SHOP, query({ brands: ['李宁'] })).total).toBe(0);
  });
});

describe('filters', () => {
  const at = (sku: string, priceFen: number, over: Partial<Product> = {}) => product(sku, '纯棉连衣裙', { priceFen, ...over });

  it('applies price bounds inclusively, with and without words', () => {
    const index = indexOf(at('a', 9999), at('b', 10000), at('c', 15000), at('d', 20000), at('e', 20001));
    for (const terms of [[], ['纯棉']]) {
      const r = index.search(SHOP, query({ terms, minPriceFen: 10000, maxPriceFen: 20000 }));
      expect(skus(r).sort()).toEqual(['b', 'c', 'd']);
      expect(r.total).toBe(3);
      expect(skus(index.search(SHOP, query({ terms, maxPriceFen: 10000 }))).sort()).toEqual(['a', 'b']);
      expect(skus(index.search(SHOP, query({ terms, minPriceFen: 20000 }))).sort()).toEqual(['d', 'e']);
      expect(index.search(SHOP, query({ terms, minPriceFen: 30000, maxPriceFen: 10000 })).total).toBe(0);
    }
  });

  it('derives the audience from the category root and title words; no signal suits anyone', () => {
    const women = product('w', '法式连衣裙', { category: ['女装', '连衣裙'] });
    const men = product('m', '纯棉T恤 男士', { category: ['男装', 'T恤'] });
    const kid = product('k', '男童 纯棉T恤', { category: ['童装', 'T恤'] });
    const unisex = product('u', '男女同款 纯棉T恤', { category: ['服饰', 'T恤'] });
    const anyone = product('n', '纯棉T恤', { category: ['服饰', 'T恤'] });
    expect(audienceOf(kid)).toEqual(['kids']);
    expect(audienceOf(unisex)).toEqual(['women', 'men']);
    expect(audienceOf(anyone)).toEqual([]);
    // Made for women whatever the title says: heels and dresses are not offered to men.
    expect(audienceOf(product('h', '百丽 尖头高跟鞋', { category: ['鞋靴', '高跟鞋'] }))).toEqual(['women']);
    expect(audienceOf(product('d', '优衣库 亚麻连衣裙', { category: ['服饰', '连衣裙'] }))).toEqual(['women']);
    const index = indexOf(women, men, kid, unisex, anyone);
    for (const terms of [[], ['t恤']]) {
      const get = (audience: 'women' | 'men' | 'kids') => skus(index.search(SHOP, query({ terms, audience }))).sort();
      expect(get('men')).toEqual(['m', 'n', 'u']);
      expect(get('kids')).toEqual(['k', 'n']);
    }
    expect(skus(index.search(SHOP, query({ audience: 'women' }))).sort()).toEqual(['n', 'u', 'w']);
  });

  it('never returns sold-out products (stock 0), but does return untracked stock', () => {
    const index = indexOf(at('sold', 100, { stock: 0 }), at('none', 200, { stock: null }), at('some', 300, { stock: 3 }));
    for (const q of [query(), query({ terms: ['纯棉'] }), query({ sort: 'price_asc' }), query({ terms: ['纯棉'], sort: 'price_asc' })]) {
      const r = index.search(SHOP, q);
      expect(skus(r).sort()).toEqual(['none', 'some']);
      expect(r.total).toBe(2);
    }
  });

  it('honours exclude (「更多」) and does not count excluded products', () => {
    const index = indexOf(at('a', 100), at('b', 200), at('c', 300));
    for (const terms of [[], ['纯棉']]) {
      const r = index.search(SHOP, query({ terms, sort: 'price_asc', exclude: new Set(['a', 'c', 'missing']) }));
      expect(skus(r)).toEqual(['b']);
      expect(r.total).toBe(1);
    }
  });

  it('leaves out what `without` names — a word in the text, a brand (field or title), a category, an audience alone — and does not count it', () => {
    const index = indexOf(
      product('red', '红色 纯棉连衣裙', { category: ['女装', '连衣裙'], brand: '太平鸟' }),
      product('blue', '蓝色 纯棉连衣裙', { category: ['女装', '连衣裙'], brand: '优衣库' }),
      product('titled', '优衣库 碎花连衣裙', { category: ['女装', '连衣裙'], brand: null }),
      product('skirt', '纯棉半身裙', { category: ['女装', '半身裙'], brand: null }),
      product('men', '纯棉T恤 男士', { category: ['男装', 'T恤'], brand: null }),
      product('unisex', '男女同款 纯棉T恤', { category: ['服饰', 'T恤'], brand: null }),
    );
    const none: Without = { terms: [], brands: [], categories: [], audience: null };
    for (const terms of [[], ['纯棉']]) {
      const get = (without: Partial<Without>) => {
        const r = index.search(SHOP, query({ terms, without: { ...none, ...without } }));
        expect(r.total).toBe(r.hits.length);
        return skus(r).sort();
      };
      const all = skus(index.search(SHOP, query({ terms }))).sort();
      const but = (...out: string[]) => all.filter((x) => !out.includes(x));
      expect(get({ terms: ['红色'] })).toEqual(but('red'));
      expect(get({ brands: ['优衣库'] })).toEqual(but('blue', 'titled'));
      expect(get({ categories: ['女装/连衣裙'] })).toEqual(but('red', 'blue', 'titled'));
      expect(get({ audience: 'men' })).toEqual(but('men'));
      expect(get({ terms: ['红色', '没有这个词'] })).toEqual(but('red'));
      expect(get({})).toEqual(all);
    }
  });

  it('counts everything that qualifies but returns at most limit', () => {
    const index = indexOf(...Array.from({ length: 30 }, (_, i) => at(`s${String(i).padStart(2, '0')}`, 100 + i)));
    for (const terms of [[], ['纯棉']]) {
      const r = index.search(SHOP, query({ terms, limit: 5 }));
      expect(r.hits).toHaveLength(5);
      expect(r.total).toBe(30);
      expect(index.search(SHOP, query({ terms, limit: 0 }))).toEqual({ hits: [], total: 30 });
      expect(index.search(SHOP, query({ terms, limit: Infinity })).hits).toHaveLength(30);
    }
  });
});

describe('sorts', () => {
  const items = [
    product('d', '纯棉连衣裙', { priceFen: 300 }),
    product('a', '纯棉连衣裙', { priceFen: 100 }),
    product('c', '纯棉连衣裙', { priceFen: 200 }),
    product('b', '纯棉连衣裙', { priceFen: 200 }),
    product('e', '纯棉连衣裙', { priceFen: 200, originalPriceFen: 400 }),
  ];
  const index = indexOf(...items);

  it('sorts by price ascending and descending among matching products, ties by popularity then sku', () => {
    for (const terms of [[], ['纯棉']]) {
      expect(skus(index.search(SHOP, query({ terms, sort: 'price_asc' })))).toEqual(['a', 'e', 'b', 'c', 'd']);
      expect(skus(index.search(SHOP, query({ terms, sort: 'price_desc' })))).toEqual(['d', 'e', 'b', 'c', 'a']);
    }
  });

  it('keeps price-sorted pages exact at the limit boundary', () => {
    for (const terms of [[], ['纯棉']]) {
      expect(skus(index.search(SHOP, query({ terms, sort: 'price_asc', limit: 2 })))).toEqual(['a', 'e']);
      expect(skus(index.search(SHOP, query({ terms, sort: 'price_desc', limit: 3 })))).toEqual(['d', 'e', 'b']);
    }
  });

  it('orders a query without words by popularity (deeper discount first), then sku', () => {
    const idx = indexOf(
      product('z-plain', '连衣裙'),
      product('y-10', '连衣裙', { priceFen: 900, originalPriceFen: 1000 }),
      product('x-50', '连衣裙', { priceFen: 500, originalPriceFen: 1000 }),
      product('a-plain', '连衣裙'),
      product('w-sold', '连衣裙', { priceFen: 100, originalPriceFen: 1000, stock: 0 }),
    );
    expect(skus(idx.search(SHOP, query({ categories: ['女装/连衣裙'] })))).toEqual(['x-50', 'y-10', 'a-plain', 'z-plain']);
    expect(popularity({ priceFen: 500, originalPriceFen: 1000 })).toBe(1.5);
    expect(popularity({ priceFen: 500, originalPriceFen: null })).toBe(0);
  });

  it('breaks ties by the whole sku, also when skus share a long prefix or are not ASCII', () => {
    const names = ['SKU-000010', 'SKU-000002', 'SKU-000001', 'SKU-0000011', '货号-2', '货号-10', 'SKU-000003'];
    const idx = indexOf(...names.map((sku) => product(sku, '连衣裙')));
    expect(skus(idx.search(SHOP, query()))).toEqual([...names].sort());
    expect(skus(idx.search(SHOP, query({ terms: ['连衣裙'] })))).toEqual([...names].sort());
  });

  it('sorts prices that are not whole fen or not positive as well', () => {
    const idx = indexOf(product('a', '连衣裙', { priceFen: 10.5 }), product('b', '连衣裙', { priceFen: -1 }), product('c', '连衣裙', { priceFen: 10.25 }));
    expect(skus(idx.search(SHOP, query({ sort: 'price_asc' })))).toEqual(['b', 'c', 'a']);
  });

  it('treats distance and rating sorts as relevance for products', () => {
    expect(skus(index.search(SHOP, query({ sort: 'rating' })))).toEqual(skus(index.search(SHOP, query())));
  });
});

describe('incremental updates', () => {
  it('replaces a product on upsert: a new title, category or price changes results', () => {
    const index = indexOf(product('x', '红色连衣裙', { priceFen: 10000 }));
    index.upsert(product('x', '蓝色牛仔裤', { category: ['女装', '牛仔裤'], priceFen: 10000 }));
    expect(index.search(SHOP, query({ terms: ['红色'] })).total).toBe(0);
    expect(index.search(SHOP, query({ categories: ['女装/连衣裙'] })).total).toBe(0);
    expect(skus(index.search(SHOP, query({ terms: ['牛仔裤'] })))).toEqual(['x']);
    expect(skus(index.search(SHOP, query({ categories: ['女装/牛仔裤'] })))).toEqual(['x']);

    index.upsert(product('x', '蓝色牛仔裤', { category: ['女装', '牛仔裤'], priceFen: 30000 }));
    expect(index.search(SHOP, query({ categories: ['女装'], maxPriceFen: 20000 })).total).toBe(0);
    expect(index.search(SHOP, query({ terms: ['牛仔裤'], maxPriceFen: 20000 })).total).toBe(0);
    expect(index.search(SHOP, query({ terms: ['牛仔裤'], minPriceFen: 30000 })).hits[0]!.product.priceFen).toBe(30000);
    expect(index.size(SHOP)).toBe(1);
  });

  it('hides a product whose stock drops to 0 and shows it again when restocked', () => {
    const index = indexOf(product('x', '红色连衣裙'), product('y', '红色连衣裙'));
    index.search(SHOP, query({ categories: ['女装'] })); // builds the category's sorted view
    index.upsert(product('x', '红色连衣裙', { stock: 0 }));
    expect(skus(index.search(SHOP, query({ categories: ['女装'] })))).toEqual(['y']);
    index.upsert(product('x', '红色连衣裙', { stock: 5 }));
    expect(skus(index.search(SHOP, query({ categories: ['女装'] })))).toEqual(['x', 'y']);
  });

  it('removes a product', () => {
    const index = indexOf(product('x', '红色连衣裙'), product('y', '红色连衣裙'));
    expect(index.remove(SHOP, 'x')).toBe(true);
    expect(index.remove(SHOP, 'x')).toBe(false);
    expect(skus(index.search(SHOP, query({ terms: ['红色'] })))).toEqual(['y']);
    expect(skus(index.search(SHOP, query({ categories: ['女装'] })))).toEqual(['y']);
    expect(index.size(SHOP)).toBe(1);
    index.upsert(product('x', '红色连衣裙'));
    expect(index.search(SHOP, query({ terms: ['红色'] })).total).toBe(2);
  });

  it('stays correct across many rewrites (dead ids compacted)', () => {
    const index = createProductIndex({ dictionary: DICT });
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 1500; i++) {
        const colour = (i + round) % 2 === 0 ? '红色' : '蓝色';
        index.upsert(product(`p${i}`, `${colour}连衣裙 款${round}`, { priceFen: 1000 + i }));
      }
    }
    for (let i = 0; i < 1500; i += 3) index.remove(SHOP, `p${i}`);
    expect(index.size(SHOP)).toBe(1000);
    const red = index.search(SHOP, query({ terms: ['红色'], limit: 2000 }));
    expect(red.total).toBe(500);
    expect(red.hits.every((h) => h.product.title.startsWith('红色') && h.product.title.endsWith('款3'))).toBe(true);
    expect(index.search(SHOP, query({ terms: ['款2'] })).total).toBe(0);
    expect(skus(index.search(SHOP, query({ sort: 'price_asc', limit: 2 })))).toEqual(['p1', 'p2']);
  });
});

describe('large lists', () => {
  it('intersects common words correctly (bitsets), also after appends, rewrites and compaction', () => {
    const index = createProductIndex({ dictionary: DICT });
    const catalogue = new Map<string, Product>();
    const put = (p: Product) => {
      index.upsert(p);
      catalogue.set(p.sku, p);
    };
    const colour = (i: number) => ['红色', '蓝色', '黑色'][i % 3]!;
    const fabric = (i: number) => ['纯棉', '碎花', '真丝', '雪纺'][i % 4]!;
    const noun = (i: number) => (i % 5 === 0 ? '连衣裙' : '半身裙');
    const make = (i: number, round: number) =>
      product(`s${i}`, `${colour(i + round)} ${fabric(i * 7 + round)} ${noun(i)}`, { category: ['女装', noun(i)] });
    const expectCounts = () => {
      for (const terms of [['红色', '纯棉'], ['蓝色', '碎花', '连衣裙'], ['黑色', '半身裙'], ['红色', '半身裙', '女装']]) {
        const want = [...catalogue.values()].filter((p) => terms.every((t) => p.title.includes(t) || p.category.includes(t))).length;
        expect(index.search(SHOP, query({ terms, limit: 3 })).total, terms.join(' ')).toBe(want);
      }
    };
    for (let i = 0; i < 9000; i++) put(make(i, 0));
    expectCounts(); // builds the bitsets
    for (let i = 9000; i < 12000; i++) put(make(i, 0)); // appends past them
    expectCounts();
    for (let i = 0; i < 12000; i += 2) put(make(i, 1)); // rewrites: dead ids, compaction
    expectCounts();
    for (let i = 0; i < 12000; i += 3) {
      index.remove(SHOP, `s${i}`);
      catalogue.delete(`s${i}`);
    }
    expectCounts();
  });
});

describe('accounts', () => {
  it('never shows one account’s products to another', () => {
    const index = indexOf(product('same', '红色连衣裙'), product('same', '红色连衣裙', { account: OTHER, priceFen: 1 }));
    expect(index.search(SHOP, query({ terms: ['红色'] })).hits.map((h) => h.product.account)).toEqual([SHOP]);
    expect(index.search(OTHER, query({ terms: ['红色'] })).hits.map((h) => h.product.priceFen)).toEqual([1]);
    index.remove(OTHER, 'same');
    expect(index.search(SHOP, query({ terms: ['红色'] })).total).toBe(1);
    expect(index.search(OTHER, query({ terms: ['红色'] })).total).toBe(0);
    expect(index.size()).toBe(1);
  });
});

// ----------------------------------------------------------------------------------------------
// Against a brute-force reference of the same rules, on generated catalogues and queries.

const COLOURS = ['红色', '蓝色', '黑色', '白色'];
const NOUNS = ['连衣裙', '半身裙', '牛仔裤', 'T恤', '卫衣'];
const BRANDS = ['优衣库', '太平鸟', 'Nike', null];

function randomCatalogue(rnd: () => number, n: number, account = SHOP): Product[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const brand = pick(BRANDS);
    const noun = pick(NOUNS);
    const root = pick(['女装', '男装', '童装']);
    const title = [rnd() < 0.2 ? pick(['优衣库', 'Nike']) : '', pick(['', '女士', '男款', '宝宝']), pick(COLOURS), pick(['纯棉', '碎花', '']), noun].join(' ');
    const priceFen = 1000 + Math.floor(rnd() * 20) * 500;
    return {
      account,
      sku: `k${String(Math.floor(rnd() * n * 3)).padStart(5, '0')}-${i}`,
      title,
      category: rnd() < 0.1 ? [root] : [root, noun],
      priceFen,
      originalPriceFen: rnd() < 0.3 ? priceFen + Math.floor(rnd() * 4) * 500 : null,
      brand,
      tags: rnd() < 0.2 ? ['新品'] : [],
      stock: rnd() < 0.1 ? 0 : rnd() < 0.5 ? null : 5,
      imageUrl: null,
      url: null,
      description: null,
    };
  });
}

function randomQuery(rnd: () => number): ProductQuery {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const some = <T>(xs: readonly T[], p: number): T[] => xs.filter(() => rnd() < p);
  const lo = rnd() < 0.3 ? 1000 + Math.floor(rnd() * 20) * 500 : null;
  return query({
    terms: some([...COLOURS, ...NOUNS, '纯棉', '碎花连衣裙'], 0.12),
    categories: rnd() < 0.4 ? [pick(['女装', '男装', '童装/T恤', '女装/连衣裙', '男装/牛仔裤'])] : [],
    brands: rnd() < 0.2 ? [pick(['优衣库', 'nike', '太平鸟'])] : [],
    audience: rnd() < 0.3 ? pick(['women', 'men', 'kids'] as const) : null,
    minPriceFen: lo,
    maxPriceFen: rnd() < 0.3 ? (lo ?? 1000) + Math.floor(rnd() * 10) * 500 : null,
    sort: pick(['relevance', 'price_asc', 'price_desc'] as const),
    limit: pick([0, 1, 5, 10, 50]),
  });
}

/** The rules, spelled out slowly. */
function reference(catalogue: Map<string, Product>, q: ProductQuery): Product[] {
  const brandKey = (s: string) => normalizeText(s).replace(/\s+/g, '');
  return [...catalogue.values()].filter((p) => {
    if (p.stock === 0 || q.exclude?.has(p.sku)) return false;
    const path = p.category.join('/');
    if (q.categories.length && !q.categories.some((c) => path === c || path.startsWith(`${c}/`))) return false;
    if (q.minPriceFen !== null && p.priceFen < q.minPriceFen) return false;
    if (q.maxPriceFen !== null && p.priceFen > q.maxPriceFen) return false;
    const aud = audienceOf(p);
    if (q.audience && aud.length > 0 && !aud.includes(q.audience)) return false;
    if (q.brands.length) {
      const wanted = q.brands.map(brandKey);
      const text = new Set([p.title, ...p.category, ...p.tags].flatMap((f) => tokens(f, DICT)));
      const named = (b: string) => queryTokens(b, DICT).length > 0 && queryTokens(b, DICT).every((t) => text.has(t));
      // Within the categories asked, another brand's product that names a wanted brand is made for it.
      const ok = p.brand ? wanted.includes(brandKey(p.brand)) || (q.categories.length > 0 && wanted.some(named)) : wanted.some(named);
      if (!ok) return false;
    }
    const have = new Set([p.title, p.brand ?? '', ...p.category, ...p.tags].flatMap((f) => tokens(f, DICT)));
    return q.terms.every((t) => queryTokens(t, DICT).every((x) => have.has(x)));
  });
}

function checkAgainstReference(index: ReturnType<typeof createProductIndex>, catalogue: Map<string, Product>, q: ProductQuery): void {
  const expected = reference(catalogue, q);
  const r = index.search(SHOP, q);
  expect(r.total, JSON.stringify(q)).toBe(expected.length);
  expect(r.hits.length).toBe(Math.min(q.limit, expected.length));
  const allowed = new Set(expected.map((p) => p.sku));
  for (const h of r.hits) expect(allowed.has(h.product.sku)).toBe(true);
  if (q.sort !== 'relevance') {
    const prices = r.hits.map((h) => h.product.priceFen);
    const sorted = [...prices].sort((a, b) => (q.sort === 'price_asc' ? a - b : b - a));
    expect(prices).toEqual(sorted);
    // The page is the cheapest (dearest) `limit`.
    const bound = [...expected.map((p) => p.priceFen)].sort((a, b) => (q.sort === 'price_asc' ? a - b : b - a));
    expect(prices).toEqual(bound.slice(0, q.limit));
    if (q.terms.length === 0) {
      const dir = q.sort === 'price_asc' ? 1 : -1;
      const order = [...expected].sort((a, b) => dir * (a.priceFen - b.priceFen) || popularity(b) - popularity(a) || (a.sku < b.sku ? -1 : 1));
      expect(skus(r)).toEqual(order.slice(0, q.limit).map((p) => p.sku));
    }
  } else if (q.terms.length === 0) {
    const order = [...expected].sort((a, b) => popularity(b) - popularity(a) || (a.sku < b.sku ? -1 : 1));
    expect(skus(r)).toEqual(order.slice(0, q.limit).map((p) => p.sku));
  } else {
    const scores = r.hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  }
}

describe('against a brute-force reference', () => {
  it('agrees on random catalogues and queries, before and after random updates', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const rnd = prng(seed * 7919);
      const index = createProductIndex({ dictionary: DICT });
      const catalogue = new Map<string, Product>();
      for (const p of randomCatalogue(rnd, 600)) {
        index.upsert(p);
        catalogue.set(p.sku, p);
      }
      index.upsert(randomCatalogue(rnd, 1, OTHER)[0]!); // noise in another account
      for (let i = 0; i < 150; i++) checkAgainstReference(index, catalogue, randomQuery(rnd));

      // Rewrites, price and stock changes, removals, then the same checks (seed 1 rewrites enough to compact).
      const keys = [...catalogue.keys()];
      const fresh = randomCatalogue(rnd, 400);
      const updates = seed === 1 ? 3000 : 400;
      for (let i = 0; i < updates; i++) {
        const sku = keys[Math.floor(rnd() * keys.length)]!;
        const r = rnd();
        if (r < 0.3) {
          index.remove(SHOP, sku);
          catalogue.delete(sku);
        } else if (r < 0.6) {
          const p = { ...(catalogue.get(sku) ?? fresh[i % 400]!), sku, priceFen: 1000 + Math.floor(rnd() * 20) * 500, stock: rnd() < 0.3 ? 0 : 2 };
          index.upsert(p);
          catalogue.set(sku, p);
        } else {
          const p = { ...fresh[i % 400]!, sku };
          index.upsert(p);
          catalogue.set(sku, p);
        }
        if (i % 97 === 0) checkAgainstReference(index, catalogue, randomQuery(rnd));
      }
      expect(index.size(SHOP)).toBe(catalogue.size);
      for (let i = 0; i < 150; i++) {
        const q = randomQuery(rnd);
        const exclude = new Set([...catalogue.keys()].filter(() => rnd() < 0.2));
        checkAgainstReference(index, catalogue, rnd() < 0.3 ? { ...q, exclude } : q);
      }
    }
  });
});
