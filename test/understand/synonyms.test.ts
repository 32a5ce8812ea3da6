/** The per-account synonym rewrite (search/synonyms.ts), pure: what a message becomes before it is understood. */
import { describe, expect, it } from 'vitest';
import { applyRewrite, compileRewrite } from '../../src/search/synonyms.ts';

describe('the synonym rewrite', () => {
  const rewrite = compileRewrite([
    { phrase: '小黑裙', meaning: '黑色连衣裙' },
    { phrase: '小黑裙子', meaning: '黑色 半身裙' },
    { phrase: 'lbd', meaning: 'Little Black Dress' },
  ]);

  it('replaces a phrase anywhere in the normalised message, spaced from its neighbours', () => {
    expect(applyRewrite(rewrite, '有没有小黑裙？200元以下')).toBe('有没有 黑色连衣裙 200元以下');
    expect(applyRewrite(rewrite, '小黑裙')).toBe('黑色连衣裙');
  });

  it('matches as messages are normalised (case, width, traditional characters)', () => {
    expect(applyRewrite(rewrite, 'ＬＢＤ')).toBe('little black dress');
    expect(applyRewrite(rewrite, '小黑裙！')).toBe('黑色连衣裙');
  });

  it('prefers the longest phrase, and never rewrites a meaning again', () => {
    expect(applyRewrite(rewrite, '小黑裙子')).toBe('黑色 半身裙');
    const loop = compileRewrite([{ phrase: '裙子', meaning: '连衣裙子' }]);
    expect(applyRewrite(loop, '裙子')).toBe('连衣裙子');
  });

  it('leaves a message that already says the meaning a phrase is short for (耶加 → 耶加雪菲)', () => {
    const short = compileRewrite([{ phrase: '耶加', meaning: '耶加雪菲' }]);
    expect(applyRewrite(short, '耶加')).toBe('耶加雪菲');
    expect(applyRewrite(short, '耶加雪菲挂耳')).toBe('耶加雪菲 挂耳');
    expect(applyRewrite(short, '耶加 耶加雪菲')).toBe('耶加雪菲 耶加雪菲');
  });

  it('leaves a message without any phrase exactly as it was', () => {
    expect(applyRewrite(rewrite, '连衣裙！！')).toBe('连衣裙！！');
  });
});
