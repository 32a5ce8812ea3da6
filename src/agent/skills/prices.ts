/**
 * Price wishes applied to the last list: an absolute phrase (300以下) replaces its bounds; 便宜点 / 贵一点 move
 * them; 最便宜 / 便宜点 order a list cheapest first.
 */
import type { Slots, Sort } from '../../search/types.ts';
import { roundDown, roundUp, yuan } from '../format.ts';

export interface PriceBounds {
  readonly minPriceFen: number | null;
  readonly maxPriceFen: number | null;
}

/** 「¥200以下」, 「¥300以上」, 「¥300–¥500」, or '' with no bounds. */
export function priceRange(b: PriceBounds): string {
  if (b.minPriceFen !== null && b.maxPriceFen !== null) return `${yuan(b.minPriceFen)}–${yuan(b.maxPriceFen)}`;
  if (b.maxPriceFen !== null) return `${yuan(b.maxPriceFen)}以下`;
  if (b.minPriceFen !== null) return `${yuan(b.minPriceFen)}以上`;
  return '';
}

/** The bounds as a lead line's note: 「（¥200以下）」, or '' with none. */
export function priceNote(b: PriceBounds): string {
  const range = priceRange(b);
  return range ? `（${range}）` : '';
}

/**
 * The bounds after a follow-up, given the prices just shown: 便宜点 caps below their average (never above an
 * earlier cap), 贵一点 starts above it with no cap; both rounded, so a lead reads 「¥130以下」, not 「¥138.99以下」.
 * @example adjustedPrices({ minPriceFen: null, maxPriceFen: 20000 }, cheaper, [16900, 9900]) // ¥130以下 (max 13000)
 */
function adjustedPrices(last: PriceBounds, s: Pick<Slots, 'price' | 'relativePrice'>, shownPrices: readonly number[]): PriceBounds {
  let { minPriceFen, maxPriceFen } = last;
  if (s.price) ({ minFen: minPriceFen, maxFen: maxPriceFen } = s.price);
  const average = shownPrices.length ? Math.round(shownPrices.reduce((a, b) => a + b, 0) / shownPrices.length) : null;
  if (s.relativePrice === 'cheaper' && average !== null) maxPriceFen = Math.min(roundDown(average - 1), maxPriceFen ?? Infinity);
  if (s.relativePrice === 'pricier' && average !== null) [minPriceFen, maxPriceFen] = [Math.max(roundUp(average + 1), minPriceFen ?? 0), null];
  return { minPriceFen, maxPriceFen };
}

/** Bounds as remembered with a list: `saidPrice` holds the bounds as said, when a relative wish has moved them since. */
export interface RememberedPrices extends PriceBounds {
  readonly saidPrice?: PriceBounds;
}

/**
 * The bounds after a follow-up, remembering the bounds as said while relative wishes move them: a price phrase
 * replaces everything (and is what was said); 便宜点 / 贵一点 move the bounds as `adjustedPrices` does, and
 * `cheaperCap` may lower 便宜点's cap further; 最贵的 lifts a cap only 便宜点 set, 最便宜的 a floor only 贵一点 set —
 * a new wish replaces the one it conflicts with, while 300以下 → 最贵的 keeps the ¥300 said.
 * @example pricesAfter({ minPriceFen: null, maxPriceFen: 13000, saidPrice: { minPriceFen: null, maxPriceFen: null } }, 最贵的, []) // no bounds
 */
export function pricesAfter(
  last: RememberedPrices,
  s: Pick<Slots, 'price' | 'relativePrice' | 'sort'>,
  shownPrices: readonly number[],
  cheaperCap: (cap: number | null, shownPrices: readonly number[]) => number | null = (cap) => cap,
): RememberedPrices {
  if (s.price !== null) return { minPriceFen: s.price.minFen, maxPriceFen: s.price.maxFen };
  const said = last.saidPrice ?? { minPriceFen: last.minPriceFen, maxPriceFen: last.maxPriceFen };
  let bounds = adjustedPrices(last, s, shownPrices);
  if (s.relativePrice === 'cheaper') bounds = { ...bounds, maxPriceFen: cheaperCap(bounds.maxPriceFen, shownPrices) };
  else if (s.relativePrice === null && s.sort === 'price_desc') bounds = { ...bounds, maxPriceFen: said.maxPriceFen };
  else if (s.relativePrice === null && s.sort === 'price_asc') bounds = { ...bounds, minPriceFen: said.minPriceFen };
  const same = bounds.minPriceFen === said.minPriceFen && bounds.maxPriceFen === said.maxPriceFen;
  return same ? bounds : { ...bounds, saidPrice: said };
}

/**
 * The order a message asks for among `orders` (those a list can take): the one it names (最便宜, 最贵, 附近,
 * 评分最高), else cheapest first for 便宜点; null when it asks for none of them.
 * @example askedOrder(understand('便宜点的').slots, ['price_asc', 'price_desc', 'rating']) // 'price_asc'
 */
export function askedOrder<S extends Sort>(s: Pick<Slots, 'sort' | 'relativePrice'>, orders: readonly (S | 'price_asc')[]): S | 'price_asc' | null {
  for (const order of orders) if (order === s.sort) return order;
  return s.relativePrice === 'cheaper' ? 'price_asc' : null;
}
