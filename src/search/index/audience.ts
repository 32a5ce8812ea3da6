/**
 * The per-doc flag byte of the product index: alive, in stock, and who the product is for (women, men,
 * kids: bits 2–4, so `(flags >>> AUDIENCE_SHIFT) & 7` is a 0–7 audience bucket). Queries test these
 * bits instead of looking at the product.
 */
import type { Product } from '../../catalogue/types.ts';
import { isInStock } from '../../catalogue/types.ts';
import type { Audience } from '../types.ts';

export const ALIVE = 1;
const IN_STOCK = 2;
export const ELIGIBLE = ALIVE | IN_STOCK;
const WOMEN = 4;
const MEN = 8;
const KIDS = 16;
export const AUDIENCE_BITS = WOMEN | MEN | KIDS;
/** Where the audience bits start in the flag byte. */
export const AUDIENCE_SHIFT = 2;
export const AUDIENCE_BIT: Record<Audience, number> = { women: WOMEN, men: MEN, kids: KIDS };

// Besides the words that say who: things made for women whatever the title says (百丽 尖头高跟鞋 is no man's shoe).
const WOMEN_WORDS = /女装|女款|女士|女式|女鞋|女生|男女|情侣|高跟|连衣裙|半身裙|百褶裙|包臀裙|吊带裙|文胸|卫生巾|孕妇/;
const MEN_WORDS = /男装|男款|男士|男式|男鞋|男生|男女|情侣/;
const KIDS_WORDS = /童装|童鞋|儿童|宝宝|婴儿|男童|女童|中大童|母婴|亲子/;

function audienceBits(p: Pick<Product, 'title' | 'category'>): number {
  const text = `${p.category[0] ?? ''} ${p.title}`;
  return (WOMEN_WORDS.test(text) ? WOMEN : 0) | (MEN_WORDS.test(text) ? MEN : 0) | (KIDS_WORDS.test(text) ? KIDS : 0);
}

/** The flag byte of a live product. */
export const flagsOf = (p: Pick<Product, 'title' | 'category' | 'stock'>): number => ALIVE | (isInStock(p) ? IN_STOCK : 0) | audienceBits(p);

/**
 * Who a product is for, from its category root and title (女装/女款/女士 → women, 男装/男款/男士 → men,
 * 童装/儿童/宝宝 → kids); empty when it does not say, and then it suits any audience.
 */
export function audienceOf(p: Pick<Product, 'title' | 'category'>): Audience[] {
  const bits = audienceBits(p);
  return (['women', 'men', 'kids'] as const).filter((a) => bits & AUDIENCE_BIT[a]);
}
