import { describe, expect, it } from 'vitest';
import { correct } from '../../src/search/understand/correct.ts';
import { segment } from '../../src/search/understand/segment.ts';
import { fixtureVocabulary } from './fixture.ts';

const vocabulary = fixtureVocabulary();
const pieces = (text: string) => segment(text, vocabulary).tokens.map((t) => `${t.kind}:${t.text}`);
const corrected = (text: string) => {
  const { tokens, chunks } = segment(text, vocabulary);
  return correct(tokens, vocabulary, chunks).map((t) => (t.kind === 'word' && t.from ? `${t.from}→${t.text}` : t.text));
};

describe('segment', () => {
  it('takes the longest vocabulary words', () => {
    expect(pieces('我想买红色的连衣裙')).toEqual(['word:我想买', 'word:红色', 'word:的', 'word:连衣裙']);
    expect(pieces('男士衬衫')).toEqual(['word:男士', 'word:衬衫']);
  });

  it('keeps unknown CJK text whole', () => {
    expect(pieces('我想买个保温杯子')).toEqual(['word:我想买', 'word:个', 'word:保温杯', 'han:子']);
    expect(pieces('锦里古街附近')).toEqual(['han:锦里古街', 'word:附近']);
  });

  it('folds a one-character word into the unknown text beside it', () => {
    expect(pieces('网红裙子')).toEqual(['word:网红', 'word:裙子']);
    expect(pieces('拖把')).toEqual(['word:拖把']);
    expect(pieces('茶几')).toEqual(['han:茶几']);
  });

  it('matches ASCII words only on letter boundaries', () => {
    expect(pieces('nike运动鞋')).toEqual(['word:nike', 'word:运动鞋']);
    expect(pieces('mini')).toEqual(['ascii:mini']);
    expect(pieces('iphone15')).toEqual(['word:iphone', 'digits:15']);
  });

  it('joins characters typed with spaces between when together they are a word', () => {
    expect(pieces('连 衣 裙')).toEqual(['word:连衣裙']);
    expect(pieces('我 要 连 衣 裙 子')).toEqual(['word:我要', 'word:连衣裙', 'han:子']);
    expect(segment('连 衣 裙', vocabulary).chunks).toEqual(['连衣裙']);
  });

  it('joins spaced characters that sound like a longer word, for correction to fix', () => {
    expect(corrected('连 衣 群')).toEqual(['连衣群→连衣裙']);
  });

  it('does not join real words typed apart', () => {
    expect(pieces('深圳 美食')).toEqual(['word:深圳', 'word:美食']);
    expect(pieces('红 裙子')).toEqual(['word:红', 'word:裙子']);
    expect(segment('红 裙', vocabulary).chunks).toEqual(['红', '裙']);
  });

  it('splits an attribute glued to a category word', () => {
    expect(pieces('碎花裙')).toEqual(['word:碎花', 'word:裙']);
    expect(pieces('长袖t恤')).toEqual(['word:长袖', 'word:t恤']);
    expect(pieces('纯棉t恤')).toEqual(['word:纯棉', 'word:t恤']);
  });

  it('takes a one-character city alias only when it stands alone', () => {
    expect(pieces('沪')).toEqual(['word:沪']);
    expect(pieces('沪 酒店')).toEqual(['word:沪', 'word:酒店']);
    expect(pieces('京东')).toEqual(['han:京东']);
  });
});

describe('correct', () => {
  it('reads ASCII as pinyin, across spaces', () => {
    expect(corrected('nvzhuang')).toEqual(['nvzhuang→女装']);
    expect(corrected('lian yi qun')).toEqual(['lian yi qun→连衣裙']);
    expect(corrected('shanghaijiudian')).toEqual(['shanghai→上海', 'jiudian→酒店']);
  });

  it('leaves English words that are not pinyin alone', () => {
    expect(corrected('pro max')).toEqual(['pro', 'max']);
  });

  it('fixes homophones and typos in unknown CJK text, across a known word next to it', () => {
    expect(corrected('连衣群')).toEqual(['连衣群→连衣裙']);
    expect(corrected('牛仔库')).toEqual(['牛仔库→牛仔裤']);
    expect(corrected('红色连依裙')).toEqual(['红色', '连依裙→连衣裙']);
  });

  it('does not take two characters that only sound like a word', () => {
    expect(corrected('衣架')).toEqual(['衣架']);
  });
});
