import { describe, expect, it } from 'vitest';
import type { PriceRange } from '../../src/search/types.ts';
import { normalize } from '../../src/search/understand/normalize.ts';
import { extractPrice } from '../../src/search/understand/price.ts';

const max = (yuan: number): PriceRange => ({ minFen: null, maxFen: yuan * 100 });
const min = (yuan: number): PriceRange => ({ minFen: yuan * 100, maxFen: null });
const range = (low: number, high: number): PriceRange => ({ minFen: low * 100, maxFen: high * 100 });
const around = (yuan: number): PriceRange => ({ minFen: Math.round(yuan * 80), maxFen: Math.round(yuan * 120) });

describe('extractPrice', () => {
  it.each([
    ['200以下', max(200)], ['200以内', max(200)], ['200元以下', max(200)], ['200块以下', max(200)],
    ['200块钱以内', max(200)], ['不超过200', max(200)], ['不超过200元', max(200)], ['低于200', max(200)],
    ['200内', max(200)], ['预算300', max(300)], ['2k以下', max(2000)], ['1万以内', max(10000)],
    ['200以上', min(200)], ['200元起', min(200)], ['超过500', min(500)], ['至少100块', min(100)],
    ['200元左右', around(200)], ['200上下', around(200)], ['大概300', around(300)], ['¥199', around(199)],
    ['200块的', around(200)],
    ['300到500', range(300, 500)], ['300-500', range(300, 500)], ['300~500', range(300, 500)],
    ['300至500', range(300, 500)], ['300元-500元', range(300, 500)], ['300 - 500', range(300, 500)],
    ['300到500之间', range(300, 500)], ['500-300', range(300, 500)], ['1-2千', range(1000, 2000)],
    ['200多', range(200, 300)], ['99.9元以下', { minFen: null, maxFen: 9990 }],
    // A negated floor is a cap: 「不要超过300」 must never read as 300以上.
    ['不要超过300', max(300)], ['别超过100', max(100)], ['价格不要超过600块', max(600)], ['不能超过2千', max(2000)],
    ['控制在500以内', max(500)], ['不要低于100', min(100)],
  ] as const)('%s', (text, price) => {
    expect(extractPrice(text).price).toEqual(price);
  });

  it('never reads a number on its own as a price', () => {
    for (const text of ['2', '10', '200', '连衣裙200', 'iphone15']) expect(extractPrice(text).price, text).toBeNull();
  });

  it('does not read counts, ages, sizes or distances as prices', () => {
    for (const text of ['1-3岁', '2-3个', '不超过3个', '500米以内', '20寸', '2kg以下', '5星']) {
      expect(extractPrice(text).price, text).toBeNull();
    }
  });

  it('combines a lower and an upper bound', () => {
    expect(extractPrice('200以上300以下').price).toEqual(range(200, 300));
  });

  it('blanks the phrase out of the rest of the message', () => {
    const { rest } = extractPrice('200元以下的连衣裙');
    expect(rest.trim()).toBe('的连衣裙');
    expect(rest).not.toMatch(/\d/);
  });
});

describe('spoken ranges and comparison signs (through normalize)', () => {
  it.each([
    ['连衣裙 两三百', range(200, 300)], ['五六千的手机', range(5000, 6000)],
    ['连衣裙 ‹200', max(200)], ['<200', max(200)], ['≤200', max(200)], ['>1000', min(1000)],
    ['预算大概在三百块以内吧', max(300)],
  ] as const)('%s', (text, price) => {
    expect(extractPrice(normalize(text)).price).toEqual(price);
  });

  it('does not read neighbouring numerals before a measure as money', () => {
    expect(extractPrice(normalize('三四百米')).price).toBeNull();
  });

  it('drops 0元 without reading it as a price or leaving it as a word', () => {
    const { price, rest } = extractPrice(normalize('连衣裙 0元'));
    expect(price).toBeNull();
    expect(rest.trim()).toBe('连衣裙');
  });
});
