import { describe, expect, it } from 'vitest';
import { normalize, parseChineseNumber } from '../../src/search/understand/normalize.ts';

describe('normalize', () => {
  it('turns full-width letters, digits and spaces into half width', () => {
    expect(normalize('ＮＩＫＥ　２００以下')).toBe('nike 200以下');
  });

  it('turns traditional characters into simplified ones (Taiwan and Hong Kong forms)', () => {
    expect(normalize('連衣裙 運動鞋 團購 賓館')).toBe('连衣裙 运动鞋 团购 宾馆');
    expect(normalize('衞衣')).toBe('卫衣');
  });

  it('lower-cases ASCII', () => {
    expect(normalize('T恤 KTV Uniqlo')).toBe('t恤 ktv uniqlo');
  });

  it('removes emoji, punctuation and symbols, collapsing the spaces they leave', () => {
    expect(normalize('👗连衣裙！！')).toBe('连衣裙');
    expect(normalize('  有没有…红色的？ 😊 连衣裙~~ ')).toBe('有没有 红色的 连衣裙');
    expect(normalize('【上海】《酒店》')).toBe('上海 酒店');
  });

  it('writes ü as v, the way pinyin keyboards take it', () => {
    expect(normalize('nüzhuang')).toBe('nvzhuang');
  });

  it('writes digits with Chinese units as one amount in a price phrase', () => {
    expect(normalize('3千以下的手机')).toBe('3000以下的手机');
    expect(normalize('1.5万以内')).toBe('15000以内');
    expect(normalize('3千5以内')).toBe('3500以内');
    expect(normalize('2千5百以下')).toBe('2500以下');
    expect(normalize('预算2万')).toBe('预算20000');
    expect(normalize('2千到3千')).toBe('2000到3000');
  });

  it('writes a formula stage in digits (二段 → 2段), but not 一段 of something else', () => {
    expect(normalize('二段奶粉')).toBe('2段奶粉');
    expect(normalize('飞鹤三段')).toBe('飞鹤3段');
    expect(normalize('要一段的')).toBe('要1段的');
    expect(normalize('用了一段时间')).toBe('用了一段时间');
  });

  it('leaves digits with units alone outside a price phrase', () => {
    expect(normalize('5千米')).toBe('5千米');
    expect(normalize('3千步')).toBe('3千步');
  });

  it('keeps the symbols of a price phrase', () => {
    expect(normalize('300-500')).toBe('300-500');
    expect(normalize('300～500元')).toBe('300~500元');
    expect(normalize('￥199.9')).toBe('¥199.9');
    expect(normalize('300元—500元')).toBe('300元-500元');
  });

  it('drops price symbols that are not between amounts', () => {
    expect(normalize('t-shirt')).toBe('t shirt');
    expect(normalize('连衣裙.')).toBe('连衣裙');
    expect(normalize('¥ 呢')).toBe('呢');
  });

  it('writes Chinese numerals in price phrases as digits', () => {
    expect(normalize('两百以下')).toBe('200以下');
    expect(normalize('三百五以内')).toBe('350以内');
    expect(normalize('一千到两千')).toBe('1000到2000');
    expect(normalize('不超过两百')).toBe('不超过200');
    expect(normalize('五十元')).toBe('50元');
    expect(normalize('千元以下')).toBe('1000元以下');
  });

  it('leaves numerals that are not prices alone', () => {
    expect(normalize('看一下')).toBe('看一下');
    expect(normalize('五星级酒店')).toBe('五星级酒店');
    expect(normalize('三只松鼠')).toBe('三只松鼠');
    expect(normalize('一块蛋糕')).toBe('一块蛋糕');
  });
});

describe('parseChineseNumber', () => {
  it.each([
    ['一', 1], ['十', 10], ['十五', 15], ['二十', 20], ['一百', 100], ['两百', 200], ['三百五', 350],
    ['三百五十', 350], ['一百零五', 105], ['一百一', 110], ['一千', 1000], ['一千五', 1500],
    ['两千三百', 2300], ['一万', 10000], ['两万五', 25000], ['十万', 100000],
  ] as const)('%s = %d', (text, value) => {
    expect(parseChineseNumber(text)).toBe(value);
  });

  it('refuses what is not one number', () => {
    expect(parseChineseNumber('三四百')).toBeNull();
    expect(parseChineseNumber('百货')).toBeNull();
  });
});
