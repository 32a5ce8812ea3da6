/**
 * The popularity proxy that ranks products when a query has no words, and breaks ties otherwise: the
 * depth of the discount. Stored per doc as a small integer bucket (a byte), turned back into a score
 * for the hits.
 */
import type { Product } from '../../catalogue/types.ts';

/**
 * The popularity proxy that orders products when a query has no words: 0 without a discount, else
 * 1 + the discount depth in whole percent (1.35 for 35 % off), so discounted and deeper first.
 */
export function popularity(p: Pick<Product, 'priceFen' | 'originalPriceFen'>): number {
  return fromBucket(popularityBucket(p));
}

/** `popularity` as a small integer: 0, or 1 + whole percent off (1–101). */
export function popularityBucket(p: Pick<Product, 'priceFen' | 'originalPriceFen'>): number {
  const o = p.originalPriceFen;
  if (o === null || !(o > p.priceFen) || p.priceFen < 0) return 0;
  return 1 + Math.round((1 - p.priceFen / o) * 100);
}

/** The popularity score of a bucket (see `popularityBucket`). */
export const fromBucket = (b: number): number => (b === 0 ? 0 : 1 + (b - 1) / 100);
