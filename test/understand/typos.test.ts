import { describe, expect, it } from 'vitest';
import { editDistance, TypoIndex } from '../../src/search/understand/typos.ts';

const words = (...list: string[]) => list.map((w) => ({ text: w, word: w }));

describe('editDistance', () => {
  it.each([
    ['连衣裙', '连衣裙', 0], ['连依裙', '连衣裙', 1], ['adidsa', 'adidas', 1], ['uniqo', 'uniqlo', 1],
    ['连衣', '连衣裙', 1], ['abc', 'xyz', 3],
  ] as const)('%s ↔ %s = %d', (a, b, d) => {
    expect(editDistance([...a], [...b])).toBe(d);
  });
});

describe('TypoIndex', () => {
  const index = new TypoIndex([
    ...words('连衣裙', '牛仔裤', '半身裙', '羽绒服', '扫地机器人', 'adidas', 'uniqlo'),
    { text: 'lianyiqun', word: '连衣裙' },
  ]);

  it('corrects one character that sounds alike', () => {
    expect(index.correct('连衣君')).toBe('连衣裙');
    expect(index.correct('牛仔库')).toBe('牛仔裤');
  });

  it('corrects one edit in longer words', () => {
    expect(index.correct('扫地机器')).toBe('扫地机器人');
    expect(index.correct('扫地机噐人')).toBe('扫地机器人');
    expect(index.correct('adidsa')).toBe('adidas');
    expect(index.correct('uniqo')).toBe('uniqlo');
    expect(index.correct('lianyiqum')).toBe('连衣裙');
  });

  it('leaves a three-character word alone when the changed character sounds different', () => {
    expect(index.correct('西装裙')).toBeNull();
    expect(index.correct('连衣服')).toBeNull();
  });

  it('never corrects two edits or short words', () => {
    expect(index.correct('连依群')).toBeNull();
    expect(index.correct('连衣')).toBeNull();
    expect(index.correct('adi')).toBeNull();
  });

  it('gives up when two words are equally close', () => {
    const twins = new TypoIndex(words('红色裙', '黄色裙'));
    expect(twins.correct('绿色裙')).toBeNull();
  });
});
