import { describe, expect, it } from 'vitest';
import { createDictionary, normalizeText, queryTokens, tokens } from '../../src/search/index/tokenize.ts';

const DICT = ['连衣裙', '牛仔裤', '优衣库', '红色', '碎花'];

describe('tokens (index side)', () => {
  it('splits a CJK run into overlapping bigrams', () => {
    expect(tokens('纯棉衬衫')).toEqual(['纯棉', '棉衬', '衬衫']);
  });

  it('keeps a one-character run as that character', () => {
    expect(tokens('T恤 男')).toEqual(['t', '恤', '男']);
  });

  it('adds the dictionary words found inside a run, besides the bigrams', () => {
    const t = tokens('法式碎花连衣裙', DICT);
    expect(t).toEqual(expect.arrayContaining(['法式', '式碎', '碎花', '花连', '连衣', '衣裙', '连衣裙']));
    expect(t.filter((x) => x === '碎花')).toHaveLength(1); // a 2-character word is already a bigram
  });

  it('finds overlapping dictionary words', () => {
    const t = tokens('优衣库牛仔裤', DICT);
    expect(t).toContain('优衣库');
    expect(t).toContain('牛仔裤');
  });

  it('keeps ASCII and digit words whole and also splits mixed letters and digits', () => {
    expect(tokens('iPhone15 Pro 2024新款')).toEqual(['iphone15', 'iphone', '15', 'pro', '2024', '新款']);
  });

  it('normalises full width and case (NFKC + lower case)', () => {
    expect(tokens('ＵＮＩＱＬＯ　Ｔ恤')).toEqual(['uniqlo', 't', '恤']);
    expect(normalizeText('ＡＢＣ１２３')).toBe('abc123');
  });

  it('treats punctuation, spaces and emoji as separators', () => {
    expect(tokens('红色！！连衣裙😍，')).toEqual(['红色', '连衣', '衣裙']);
  });

  it('returns nothing for an empty or symbol-only text', () => {
    expect(tokens('')).toEqual([]);
    expect(tokens('！？…😀')).toEqual([]);
  });

  it('accepts a compiled dictionary as well as a word list', () => {
    const dict = createDictionary(DICT);
    expect(tokens('牛仔裤', dict)).toEqual(tokens('牛仔裤', DICT));
    expect(dict.has('牛仔裤')).toBe(true);
    expect(dict.size).toBe(DICT.length);
  });
});

describe('queryTokens (what a product must contain to match a word)', () => {
  it('segments by dictionary words and keeps the bigrams between them', () => {
    expect(queryTokens('碎花连衣裙', DICT)).toEqual(['碎花', '连衣裙']);
    expect(queryTokens('雪纺连衣裙', DICT)).toEqual(['雪纺', '连衣裙']);
  });

  it('does not require bigrams that straddle two words', () => {
    expect(queryTokens('碎花连衣裙', DICT)).not.toContain('花连');
  });

  it('drops a lone leftover character next to a word (的, 子)', () => {
    expect(queryTokens('红色的', DICT)).toEqual(['红色']);
  });

  it('keeps a lone leftover that is no filler with its neighbour: 劳力士 is not 力士', () => {
    expect(queryTokens('劳力士', ['力士'])).toEqual(['劳力', '力士']);
    expect(queryTokens('青苹果', ['苹果'])).toEqual(['青苹', '苹果']);
    expect(queryTokens('连衣裙子', ['连衣裙'])).toEqual(['连衣裙']);
    const rolex = new Set(tokens('劳力士 手表', ['力士']));
    for (const t of queryTokens('劳力士', ['力士'])) expect(rolex).toContain(t);
    const showerGel = new Set(tokens('力士 沐浴露', ['力士']));
    expect(queryTokens('劳力士', ['力士']).every((t) => showerGel.has(t))).toBe(false);
  });

  it('falls back to bigrams without a dictionary', () => {
    expect(queryTokens('小白鞋')).toEqual(['小白', '白鞋']);
  });

  it('keeps a one-character word and ASCII words', () => {
    expect(queryTokens('裙')).toEqual(['裙']);
    expect(queryTokens('Nike Air')).toEqual(['nike', 'air']);
  });

  it('asks for a letters-and-digits word by its parts, so a glued model code finds a spaced one', () => {
    expect(queryTokens('mate60pro')).toEqual(['mate', '60', 'pro']);
    expect(queryTokens('20w')).toEqual(['20', 'w']);
    const spaced = new Set(tokens('华为 Mate 60 Pro 手机壳'));
    for (const t of queryTokens('mate60pro')) expect(spaced).toContain(t);
  });

  it('only asks for tokens the index side emits for a text containing the word', () => {
    for (const word of ['碎花连衣裙', '优衣库牛仔裤', '红色的', 'iPhone15', '小白鞋', '新碎花', '碎花裙']) {
      const indexed = new Set(tokens(`新款 ${word} 包邮`, DICT));
      for (const t of queryTokens(word, DICT)) expect(indexed).toContain(t);
    }
  });
});
