import { describe, expect, it } from 'vitest';
import { loadLexicon } from '../../src/search/understand/lexicon.ts';
import { normalize } from '../../src/search/understand/normalize.ts';
import { extractPrice } from '../../src/search/understand/price.ts';
import { buildRewrites, withChineseWords, withEmojiWords } from '../../src/search/understand/rewrite.ts';
import { createUnderstander } from '../../src/search/understand/understand.ts';
import { fixtureVocabulary } from './fixture.ts';

const lexicon = loadLexicon();
const rewrites = buildRewrites(lexicon);
const nothingKnown = () => false;
const english = (text: string, known: (w: string) => boolean = nothingKnown) => withChineseWords(normalize(text), rewrites, known);

describe('withEmojiWords', () => {
  it('puts the word an emoji stands for in its place, set apart', () => {
    expect(normalize(withEmojiWords('👗200以下', rewrites))).toBe('连衣裙 200以下');
    expect(normalize(withEmojiWords('想买👟', rewrites))).toBe('想买 运动鞋');
  });

  it('reads an emoji with a variation selector as the plain one (❤️)', () => {
    expect(normalize(withEmojiWords('❤️连衣裙', rewrites))).toBe('红色 连衣裙');
  });

  it('leaves emoji the table does not list (normalising drops them) and text without emoji untouched', () => {
    expect(normalize(withEmojiWords('🦄连衣裙', rewrites))).toBe('连衣裙');
    const plain = '200元以下的连衣裙';
    expect(withEmojiWords(plain, rewrites)).toBe(plain);
  });

  it('drops WeChat stickers, which arrive as their names in brackets ([呲牙], [Smile])', () => {
    expect(normalize(withEmojiWords('奶瓶[呲牙]', rewrites))).toBe('奶瓶');
    expect(normalize(withEmojiWords('[微笑]你好[Smile]', rewrites))).toBe('你好');
    expect(normalize(withEmojiWords('[玫瑰][玫瑰]连衣裙', rewrites))).toBe('连衣裙');
  });

  it('keeps brackets around anything that is not a sticker ([奶瓶], [2件])', () => {
    expect(normalize(withEmojiWords('[奶瓶]', rewrites))).toBe('奶瓶');
    expect(normalize(withEmojiWords('连衣裙[2件]', rewrites))).toBe('连衣裙 2件');
  });
});

describe('withChineseWords', () => {
  it.each([
    ['red dress', '红色 连衣裙'],
    ['rice cooker', '电饭煲'],
    ['running shoes', '运动鞋'],
    ["women's jacket", '女士 外套'],
  ])('rewrites English shopping words, longest phrase first: %s → %s', (typed, read) => {
    expect(english(typed)).toBe(read);
  });

  it('turns English price phrases into the ones the price reader knows', () => {
    expect(extractPrice(english('dress under 200')).price).toEqual({ minFen: null, maxFen: 20000 });
    expect(extractPrice(english('less than 300 yuan')).price).toEqual({ minFen: null, maxFen: 30000 });
    expect(extractPrice(english('phone over 5000')).price).toEqual({ minFen: 500000, maxFen: null });
    expect(extractPrice(english('200 to 500')).price).toEqual({ minFen: 20000, maxFen: 50000 });
  });

  it('drops English filler', () => {
    expect(english('show me some sneakers please')).toBe('运动鞋');
    expect(english('shoes for men')).toBe('鞋 男士');
  });

  it('leaves what the vocabulary knows as typed: brands, models, title words', () => {
    const known = (w: string) => ['newbalance', 'iphone', 'watch'].includes(w);
    expect(english('new balance shoes', known)).toBe('new balance 鞋');
    expect(english('iphone', known)).toBe('iphone');
    expect(english('apple watch', known)).toBe('apple watch');
  });

  it('leaves pinyin, model codes and text without English alone', () => {
    expect(english('lian yi qun')).toBe('lian yi qun');
    expect(english('mate60pro')).toBe('mate60pro');
    expect(english('连衣裙 300以内')).toBe('连衣裙 300以内');
  });
});

describe('the rewrite tables (english.json, emoji.json)', () => {
  const vocabulary = fixtureVocabulary();
  const { understand } = createUnderstander(vocabulary);
  /** A word the demo vocabulary reads, one searched for whole (咖啡机), or a price word the price reader takes around an amount. */
  const readable = (word: string) =>
    vocabulary.entries.has(word) || understand(word).slots.keywords.includes(word) ||
    [`${word}200`, `200${word}`, `100${word}200`, `${word} 200`].some((t) => extractPrice(t).price !== null);

  it('rewrites into words the demo vocabulary, its search or the price reader knows', () => {
    const targets = new Set([...rewrites.english.values(), ...rewrites.emoji.values()].filter((w) => w !== ''));
    expect([...targets].filter((w) => !readable(w))).toEqual([]);
  });

  it('lists each English phrase once, and no filler that is also a shopping word', () => {
    const phrases = Object.values(lexicon.english.words).flat().map(normalize);
    expect(phrases.filter((p, i) => phrases.indexOf(p) !== i)).toEqual([]);
    const ignored = new Set(lexicon.english.ignore.map(normalize));
    expect(phrases.filter((p) => ignored.has(p))).toEqual([]);
  });

  it('reads a message of stickers and greetings as no search, and a sticker beside a product as that product', () => {
    expect(understand('你好[微笑]').intent).toBe('none');
    expect(understand('[捂脸][捂脸]').intent).toBe('none');
    expect(understand('连衣裙[呲牙]').slots).toMatchObject({ categories: ['女装/连衣裙'], keywords: [] });
  });

  it('maps each emoji to one pictograph', () => {
    for (const key of rewrites.emoji.keys()) expect([...key], key).toHaveLength(1);
  });
});
