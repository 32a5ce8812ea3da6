/**
 * Product follow-ups over the demo catalogue, through the real agent: what the follower reads when a
 * query is too strict, a brand changes, or a refinement finds nothing.
 */
import { describe, expect, it } from 'vitest';
import { roundDown, roundUp } from '../../src/agent/format.ts';
import { runEval } from '../eval/runner.ts';

/** The reply to the last of `says`. */
async function replyTo(...says: string[]): Promise<string> {
  const [result] = await runEval([{ say: says, expect: {} }]);
  return result!.reply;
}

const lead = (reply: string) => reply.split('\n')[0]!;

describe('a query that finds nothing exactly', () => {
  it('drops words the vocabulary does not know and says so, keeping colour, category and price', async () => {
    const reply = await replyTo('我想给我女朋友买一条红色的连衣裙，她比较喜欢韩系风格，预算大概在三百块以内吧，最好是显瘦一点的');
    expect(lead(reply)).toMatch(/^没有完全符合「[^」]*韩系[^」]*」的，先看看这些「红色 显瘦 连衣裙」（¥300以下）共 \d+ 件/);
    expect(reply).toContain('红色');
  });

  it('never makes filler (预算, 大概, 想买) a keyword', async () => {
    expect(lead(await replyTo('想买连衣裙，预算大概三百以内'))).toMatch(/^为你找到「连衣裙」（¥300以下）/);
  });

  it('echoes at most a short label back for a long message', async () => {
    const reply = await replyTo('我想买一个约会穿的 1 2 3 连衣裙 ins风 299 超级好看的那种 适合夏天 去海边 拍照 还要 配 一双 鞋子 和 包包 颜色 最好 是 白色 或者 米色 不要 太 贵 预算 299 以内');
    for (const label of lead(reply).matchAll(/「([^」]*)」/g)) expect([...label[1]!].length).toBeLessThanOrEqual(20);
  });
});

describe('what a list is called', () => {
  it('echoes a word that stands for several categories as the follower wrote it', async () => {
    expect(lead(await replyTo('裙子'))).toMatch(/^为你找到「裙子」/);
    const loosened = lead(await replyTo('想买个风格简约的大衣'));
    expect(loosened).toMatch(/先看看这些「大衣」/);
    expect(loosened).not.toMatch(/风衣|夹克|羽绒服/);
  });

  it('numbers a last page of one item as one item', async () => {
    expect(lead(await replyTo('星巴克', '更多'))).toBe('「星巴克」第 6 件：');
  });
});

describe('a new brand after a list', () => {
  it('replaces the previous brand instead of stacking it', async () => {
    expect(lead(await replyTo('小米手机', '华为', 'apple'))).toMatch(/^为你找到「苹果 手机」/);
  });

  it('starts a new search for a brand the last category does not have (issue 16: not 「没有耐克连衣裙」)', async () => {
    const reply = await replyTo('连衣裙', 'Nike');
    expect(lead(reply)).toBe('为你找到「耐克」共 6 件：');
  });
});

describe('a refinement that finds nothing', () => {
  it('says the category lacks that audience, and what the audience has', async () => {
    const reply = await replyTo('连衣裙', '男款');
    expect(reply).toMatch(/^连衣裙没有男款的😅 回复「连衣裙」看看店里的连衣裙；男装有：[^，]+，回复分类名看看。$/);
    expect(reply).not.toContain('暂时没有');
  });

  it('says so for a fresh query too (only women\'s jeans exist)', async () => {
    expect(await replyTo('牛仔裤 男')).toMatch(/^牛仔裤没有男款的/);
  });

  it('refines after 换成', async () => {
    expect(lead(await replyTo('连衣裙', '换成女款'))).toMatch(/^为你找到「连衣裙」/);
  });
});

describe('suggestions when nothing is sold', () => {
  it('lists every top-level category', async () => {
    const reply = await replyTo('冰箱');
    const roots = reply.match(/店里有：([^，]+)，/)![1]!.split('、');
    expect(roots).toHaveLength(12);
  });
});

describe('便宜点 / 贵一点', () => {
  it('rounds the limits to whole ten yuan in the label', async () => {
    expect(lead(await replyTo('连衣裙', '便宜点'))).toMatch(/（¥\d*0以下）/);
    expect(lead(await replyTo('连衣裙', '贵一点'))).toMatch(/（¥\d*0以上）/);
  });

  it('rounds down and up to ¥10 below ¥1000 and to ¥100 above', () => {
    expect(roundDown(13_899)).toBe(13_000);
    expect(roundUp(21_901)).toBe(22_000);
    expect(roundDown(123_456)).toBe(120_000);
    expect(roundUp(123_456)).toBe(130_000);
    expect(roundDown(500)).toBe(100);
  });
});

describe('the link to the whole list', () => {
  it('carries the price limit in the label the mobile page heads the list with', async () => {
    const reply = await replyTo('200元以下的连衣裙');
    const href = /全部结果：<a href="([^"]+)"/.exec(reply)![1]!.replaceAll('&amp;', '&');
    expect(new URL(href).searchParams.get('label')).toBe('连衣裙（¥200以下）');
  });
});
