/**
 * Understanding a shop that is not the demo: its own roots and leaves, its title words and tags, what it has
 * besides products (no hotels, no deals), and model numbers with their units.
 */
import { describe, expect, it } from 'vitest';
import { createUnderstander, type ShopKinds } from '../../src/search/understand/understand.ts';
import { buildVocabulary } from '../../src/search/understand/vocabulary.ts';

const PETS = {
  categoryPaths: ['猫咪/主粮', '猫咪/罐头', '猫咪/冻干', '猫咪/猫砂', '猫咪/出行', '狗狗/主粮', '狗狗/罐头', '狗狗/零食', '狗狗/出行'],
  brands: ['皇家', '疯狂小狗'],
  cities: [],
  titleWords: ['幼猫粮', '大型犬成犬粮', '豆腐猫砂', '逗猫棒', '冻干鸡胸肉'],
  tags: ['幼猫', '老年猫', '大型犬', '成犬', '猫包', '体内驱虫', '遛狗'],
};
const pets = createUnderstander(buildVocabulary(PETS));
const ONLY_PRODUCTS: ShopKinds = { hotels: false, deals: false };

describe('a shop’s own roots', () => {
  it('narrows a leaf every root has to the root named beside it', () => {
    expect(pets.understand('猫罐头').slots.categories).toEqual(['猫咪/罐头']);
    expect(pets.understand('狗粮').slots.categories).toEqual(['狗狗/主粮']);
    expect(pets.understand('罐头').slots.categories).toEqual(['猫咪/罐头', '狗狗/罐头']);
  });

  it('reads a leaf only another root has as a word within the root named', () => {
    const u = pets.understand('狗狗冻干');
    expect(u.slots.categories).toEqual(['狗狗']);
    expect(u.slots.keywords).toEqual(['冻干']);
  });

  it('takes the root a catalogue word names inside it (老年猫 is about 猫)', () => {
    const u = pets.understand('老年猫粮');
    expect(u.slots.categories).toEqual(['猫咪/主粮']);
    expect(u.slots.keywords).toEqual(['老年猫']);
  });
});

describe('title words and tags', () => {
  it('keeps the shop’s own words whole: a tag, a title word with an unknown part', () => {
    expect(pets.understand('有猫包吗').slots.keywords).toEqual(['猫包']);
    expect(pets.understand('逗猫棒').slots.keywords).toEqual(['逗猫棒']);
    expect(pets.understand('遛狗绳').slots.keywords).toEqual(['遛狗']);
  });

  it('splits a title phrase made of known words, or ending in a category, into its parts', () => {
    expect(pets.understand('大型犬成犬粮').slots.keywords).toEqual(['大型犬', '成犬']);
    const tofu = pets.understand('豆腐猫砂').slots;
    expect([tofu.categories, tofu.keywords]).toEqual([['猫咪/猫砂'], ['豆腐']]);
  });
});

describe('a shop with products only', () => {
  it('reads a deal category as nothing, and its specific words as words', () => {
    const u = pets.understand('幼猫吃什么', ONLY_PRODUCTS);
    expect([u.intent, u.slots.deal, u.slots.keywords]).toEqual(['product', false, ['幼猫']]);
    expect(pets.understand('吃什么').intent).toBe('deal');
    expect(pets.understand('吃什么', ONLY_PRODUCTS).intent).toBe('none');
    expect(pets.understand('火锅', ONLY_PRODUCTS)).toMatchObject({ intent: 'product', slots: { deal: false, keywords: ['火锅'] } });
  });

  it('reads hotel words and cities as plain words', () => {
    expect(pets.understand('酒店', ONLY_PRODUCTS)).toMatchObject({ intent: 'product', slots: { hotel: false, keywords: ['酒店'] } });
    expect(pets.understand('北京', ONLY_PRODUCTS)).toMatchObject({ intent: 'product', slots: { city: null, keywords: ['北京'] } });
    expect(pets.understand('北京', { hotels: true, deals: false }).slots.city).toBe('北京');
  });
});

describe('accessories for a phone', () => {
  const digital = createUnderstander(buildVocabulary({
    categoryPaths: ['手机壳膜/手机壳', '充电/充电器', '充电/充电宝', '耳机/蓝牙耳机'], brands: ['Apple', '华为', '安克'], cities: [], titleWords: ['airpods'],
  }));

  it('keeps a number with its unit', () => {
    expect(digital.understand('20w快充头').slots.keywords).toEqual(['20w']);
    const bank = digital.understand('20000毫安的充电宝').slots;
    expect([bank.keywords, bank.attributes]).toEqual([['20000'], ['mah']]);
  });

  it('keeps a model word the catalogue files under no category of its own', () => {
    const u = digital.understand('airpods pro');
    expect([u.slots.brands, u.slots.keywords]).toEqual([['Apple'], ['airpods', 'pro']]);
    expect(digital.understand('mate60手机壳').slots).toMatchObject({ brands: ['华为'], keywords: ['mate', '60'], categories: ['手机壳膜/手机壳'] });
  });
});

describe('brands the shop does not sell', () => {
  const sellsPisen = createUnderstander(buildVocabulary({ ...PETS, brands: [...PETS.brands, '品胜'] }));

  it('are read as typed, for an honest no', () => {
    expect(pets.understand('耐克', ONLY_PRODUCTS).slots.brands).toEqual(['耐克']);
    expect(pets.understand('naike', ONLY_PRODUCTS).slots.brands).toEqual(['耐克']);
  });

  it('are never the correction of a typo (xinsheng is not pinsheng 品胜 where 品胜 is not sold)', () => {
    expect(pets.understand('xinsheng', ONLY_PRODUCTS).slots.brands).toEqual([]);
    expect(pets.understand('adidsa', ONLY_PRODUCTS).slots.brands).toEqual([]);
    expect(sellsPisen.understand('xinsheng', ONLY_PRODUCTS).slots.brands).toEqual(['品胜']);
  });
});
