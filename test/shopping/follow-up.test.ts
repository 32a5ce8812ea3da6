/**
 * The follow-up merge (src/agent/skills/follow-up.ts) as a specification: messages read by the real
 * understander over the demo-like vocabulary, a shelf answering from a few catalogue rows. The same
 * conversations through the whole agent and the demo catalogue are eval cases (test/eval/cases-followups.ts).
 */
import { describe, expect, it } from 'vitest';
import type { RememberedProductQuery } from '../../src/agent/skills/conversation.ts';
import { followUp, isNewTopic, isRefinement, visiblyCheaper, type FollowUp, type Shelf, type ShownPage } from '../../src/agent/skills/follow-up.ts';
import { pricesAfter } from '../../src/agent/skills/prices.ts';
import { AUDIENCE_WORD, freshQuery } from '../../src/agent/skills/products.ts';
import { createUnderstander } from '../../src/search/understand/understand.ts';
import { fixtureVocabulary } from '../understand/fixture.ts';

const { understand } = createUnderstander(fixtureVocabulary());

/** What the shelf sells: category path and brand. */
const ROWS: readonly (readonly [string, string])[] = [
  ['数码/手机', '苹果'], ['数码/手机', '华为'], ['数码/耳机', '华为'], ['鞋靴/运动鞋', '耐克'], ['鞋靴/运动鞋', '李宁'],
  ['美妆/口红', '兰蔻'], ['美妆/口红', '完美日记'], ['食品/零食', '三只松鼠'], ['女装/连衣裙', '优衣库'],
];
const shelf: Shelf = {
  sells: ({ categories, brands }) => ROWS.some(([path, brand]) => brands.includes(brand) && categories.some((c) => path.startsWith(c))),
  categoriesFor: (leaves, audience) => understand(`${AUDIENCE_WORD[audience]} ${leaves.join(' ')}`).slots.categories,
};

/** A page of five items at these prices (yuan). */
const page = (...yuan: number[]): ShownPage => ({ ids: yuan.map((_, i) => `P${i + 1}`), prices: yuan.map((y) => y * 100) });
const PAGE = page(119, 89, 179, 139, 829);

/** The remembered query after a conversation: the first message fresh, each next one a follow-up refined. */
function after(first: string, ...next: string[]): RememberedProductQuery {
  let q = freshQuery(understand(first));
  for (const text of next) {
    const move = followUp(q, understand(text), PAGE, shelf);
    if (move.move !== 'refine') throw new Error(`${text} did not refine`);
    const { seen: _seen, keptPrice: _kept, ...remembered } = move.query;
    q = remembered;
  }
  return q;
}

const refined = (move: FollowUp) => {
  if (move.move !== 'refine') throw new Error(`expected a refinement, got ${move.move}`);
  return move.query;
};

describe('a new wish replaces the one it conflicts with', () => {
  it('lifts the cap 便宜点 set when the follower asks for the dearest', () => {
    const q = refined(followUp(after('运动鞋', '便宜点'), understand('最贵的'), PAGE, shelf));
    expect(q).toMatchObject({ sort: 'price_desc', maxPriceFen: null, minPriceFen: null });
    expect(q.saidPrice).toBeUndefined();
  });

  it('keeps a cap the follower said in words (300以下 → 最贵的: the dearest under ¥300)', () => {
    expect(refined(followUp(after('300以下的连衣裙'), understand('最贵的'), PAGE, shelf))).toMatchObject({ sort: 'price_desc', maxPriceFen: 30000 });
  });

  it('goes back to the said cap, not to none, after 300以下 → 便宜点 → 最贵的', () => {
    const last = after('300以下的连衣裙', '便宜点');
    expect(last.maxPriceFen).toBeLessThan(30000);
    expect(refined(followUp(last, understand('最贵的'), PAGE, shelf)).maxPriceFen).toBe(30000);
  });

  it('drops the floor 贵一点 set when the follower asks for the cheapest', () => {
    const last = after('耳机', '贵一点');
    expect(last.minPriceFen).not.toBeNull();
    expect(refined(followUp(last, understand('最便宜的'), PAGE, shelf))).toMatchObject({ sort: 'price_asc', minPriceFen: null });
  });

  it('replaces a length, a fit or a material as it replaces a colour, and adds other attributes', () => {
    expect(after('羽绒服', '短款的', '长款的')).toMatchObject({ terms: ['长款'], label: '长款 羽绒服' });
    expect(after('连衣裙', '红色的', '黑色的').terms).toEqual(['黑色']);
    expect(after('卫衣', '纯棉的', '真丝的').terms).toEqual(['真丝']);
    expect(after('卫衣', '纯棉的', '宽松的').terms).toEqual(['纯棉', '宽松']);
  });

  it('replaces the audience and takes the categories with it (女款羽绒服 → 红色的 → 男款)', () => {
    const q = refined(followUp(after('女款羽绒服', '红色的'), understand('男款'), PAGE, shelf));
    expect(q).toMatchObject({ audience: 'men', categories: ['男装/羽绒服'], terms: ['红色'] });
    expect(q.label).toBe('男款 红色 羽绒服');
  });

  it('keeps the categories when the new audience has none of them (连衣裙 → 男款: said so by the answer)', () => {
    expect(refined(followUp(after('女款连衣裙'), understand('男款'), PAGE, shelf))).toMatchObject({ audience: 'men', categories: ['女装/连衣裙'] });
  });
});

describe('price wishes on any list (pricesAfter: hotels and deals too)', () => {
  const said = { minPriceFen: null, maxPriceFen: null };
  it('remembers what was said when 便宜点 moves the bounds, and goes back to it for 最贵的', () => {
    const cheaper = pricesAfter(said, understand('便宜点').slots, [10000, 20000]);
    expect(cheaper).toEqual({ minPriceFen: null, maxPriceFen: 14000, saidPrice: said });
    expect(pricesAfter(cheaper, understand('最贵的').slots, [])).toEqual(said);
  });

  it('forgets what was said once a price phrase says it anew', () => {
    const cheaper = pricesAfter(said, understand('便宜点').slots, [10000, 20000]);
    expect(pricesAfter(cheaper, understand('100以下').slots, [])).toEqual({ minPriceFen: null, maxPriceFen: 10000 });
  });
});

describe('a brand alone after a list', () => {
  it('narrows the list when the last category has the brand (手机 → 华为的)', () => {
    expect(refined(followUp(freshQuery(understand('iphone')), understand('华为的'), PAGE, shelf))).toMatchObject({ brands: ['华为'], categories: ['数码/手机'] });
  });

  it('starts a new search when it does not (iphone → Nike, 牛奶 → 三只松鼠)', () => {
    for (const [first, brand, canonical] of [['iphone', 'Nike', '耐克'], ['牛奶', '三只松鼠', '三只松鼠']] as const) {
      const move = followUp(freshQuery(understand(first)), understand(brand), PAGE, shelf);
      expect(move).toMatchObject({ move: 'fresh', query: { brands: [canonical], categories: [], terms: [] } });
    }
  });

  it('leaves the exclusions and price limit with the old subject', () => {
    const move = followUp(after('连衣裙', '不要红色的', '便宜点'), understand('耐克'), PAGE, shelf);
    expect(move.move).toBe('fresh');
    expect(move.query.without).toBeUndefined();
    expect(move.query.maxPriceFen).toBeNull();
  });

  it('replaces the brand of a list that had no category (耐克 → 李宁)', () => {
    expect(refined(followUp(freshQuery(understand('耐克')), understand('李宁'), PAGE, shelf)).brands).toEqual(['李宁']);
  });
});

describe('便宜点 is visibly cheaper', () => {
  it('caps below the median of the page shown, rounded down, and marks that page as seen', () => {
    const q = refined(followUp(freshQuery(understand('女装')), understand('便宜点'), PAGE, shelf));
    expect(q.maxPriceFen).toBe(13000);
    expect(q.seen).toEqual(PAGE.ids);
    expect(q.saidPrice).toEqual({ minPriceFen: null, maxPriceFen: null });
  });

  it('caps below the average instead when one cheap outlier pulls it under the median', () => {
    expect(refined(followUp(freshQuery(understand('耳机')), understand('便宜点'), page(100, 100, 100, 1, 1), shelf)).maxPriceFen).toBe(6000);
  });

  it('never rises above the cap so far, and leaves it alone with no prices shown', () => {
    expect(visiblyCheaper(null, [10000, 10000, 10000, 100, 100])).toBe(9000);
    expect(visiblyCheaper(5000, [11900, 8900, 17900])).toBe(5000);
    expect(visiblyCheaper(null, [])).toBeNull();
  });
});

describe('a limit kept from before', () => {
  it('is marked when the message says nothing about price (口红 → 便宜点 → 兰蔻)', () => {
    const q = refined(followUp(after('口红', '便宜点'), understand('兰蔻'), PAGE, shelf));
    expect(q).toMatchObject({ brands: ['兰蔻'], keptPrice: true });
    expect(q.maxPriceFen).not.toBeNull();
  });

  it('is not marked when the message sets the price itself', () => {
    expect(refined(followUp(after('口红'), understand('200以下'), PAGE, shelf)).keptPrice).toBeUndefined();
  });
});

describe('exclusions over follow-ups', () => {
  it('keeps what was left out through 便宜点 and a new audience', () => {
    const q = after('羽绒服', '不要红色的', '便宜点', '男款');
    expect(q.without?.terms).toEqual(['红色']);
  });
});

describe('a new topic', () => {
  it('is a gift, not a cut of the list shown', () => {
    expect(isNewTopic(understand('送老婆的礼物'))).toBe(true);
    expect(isNewTopic(understand('男款'))).toBe(false);
    expect(isRefinement(understand('男款'), true)).toBe(true);
  });
});
