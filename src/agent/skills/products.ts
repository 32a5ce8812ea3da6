/**
 * Products: a query from what the follower said (or a refinement of the last one), the best matches
 * as a numbered list, and — when nothing fits — what does exist instead. Never padded with unrelated items.
 */
import type { Product } from '../../catalogue/types.ts';
import type { ProductQuery, Slots, Understanding } from '../../search/types.ts';
import type { TurnContext } from '../context.ts';
import { yuan } from '../format.ts';
import { PAGE_SIZE, productList } from '../replies.ts';
import { text } from '../types.ts';
import { saveState, type ConversationState, type RememberedProductQuery, type ShoppingDeps } from './conversation.ts';
import { linksFor } from './links.ts';

const leaf = (path: string) => path.split('/').pop() ?? path;

/** The words a follower would recognise for a query: 「红色 连衣裙」. */
function labelOf(slots: Pick<Slots, 'brands' | 'attributes' | 'categories' | 'keywords'>): string {
  const words = [...slots.brands, ...slots.attributes, ...new Set(slots.categories.map(leaf)), ...slots.keywords];
  return [...new Set(words)].join(' ') || '商品';
}

export function freshQuery(u: Understanding): RememberedProductQuery {
  const s = u.slots;
  return {
    terms: [...s.keywords, ...s.attributes],
    categories: s.categories,
    brands: s.brands,
    audience: s.audience,
    minPriceFen: s.price?.minFen ?? null,
    maxPriceFen: s.price?.maxFen ?? null,
    sort: s.sort && s.sort !== 'distance' ? s.sort : s.relativePrice === 'cheaper' ? 'price_asc' : s.relativePrice === 'pricier' ? 'price_desc' : 'relevance',
    label: labelOf(s),
  };
}

/**
 * Does this message only adjust the last list (便宜点, 要红色的, 300以内的, 男款; after products also 华为的)?
 * A brand alone narrows a product list (手机 → 华为的) but starts a new search otherwise.
 */
export function isRefinement(u: Understanding, afterProducts: boolean): boolean {
  const s = u.slots;
  const subject = s.categories.length > 0 || s.keywords.length > 0 || (s.brands.length > 0 && !afterProducts);
  const adjusts =
    s.price !== null || s.relativePrice !== null || s.attributes.length > 0 || s.sort !== null || s.audience !== null || s.brands.length > 0;
  return !subject && adjusts && !s.hotel && !s.deal && s.city === null;
}

/** The last query with this message's adjustments; `shownPrices` are the prices on the last page. */
export function refine(last: RememberedProductQuery, u: Understanding, shownPrices: readonly number[]): RememberedProductQuery {
  const s = u.slots;
  let { minPriceFen, maxPriceFen } = last;
  if (s.price) ({ minFen: minPriceFen, maxFen: maxPriceFen } = s.price);
  const average = shownPrices.length ? Math.round(shownPrices.reduce((a, b) => a + b, 0) / shownPrices.length) : null;
  if (s.relativePrice === 'cheaper' && average !== null) {
    // Cheaper than what was just shown (on average), and never above an earlier cap.
    maxPriceFen = Math.min(average - 1, maxPriceFen ?? Infinity);
  } else if (s.relativePrice === 'pricier' && average !== null) {
    minPriceFen = Math.max(average + 1, minPriceFen ?? 0);
    maxPriceFen = null;
  }
  const attributes = s.attributes.filter((a) => !last.terms.includes(a));
  return {
    ...last,
    terms: [...last.terms, ...attributes],
    brands: s.brands.length > 0 ? s.brands : last.brands,
    audience: s.audience ?? last.audience,
    minPriceFen,
    maxPriceFen,
    sort: s.sort && s.sort !== 'distance' ? s.sort : last.sort,
    label: [...s.brands.filter((b) => !last.brands.includes(b)), ...attributes, last.label].join(' '),
  };
}

export function toIndexQuery(q: RememberedProductQuery, exclude: ReadonlySet<string>, limit = PAGE_SIZE): ProductQuery {
  return { ...q, exclude, limit };
}

function priceLabel(q: Pick<RememberedProductQuery, 'minPriceFen' | 'maxPriceFen'>): string {
  const { minPriceFen: min, maxPriceFen: max } = q;
  if (min !== null && max !== null) return `${yuan(min)}–${yuan(max)}`;
  if (max !== null) return `${yuan(max)}以下`;
  if (min !== null) return `${yuan(min)}以上`;
  return '';
}

/** Shows the first page of `q` (or says what exists instead) and remembers it. */
export async function answerProducts(deps: ShoppingDeps, ctx: TurnContext, state: ConversationState, q: RememberedProductQuery): Promise<void> {
  const { account } = ctx.inbound;
  const result = deps.search.products(account, toIndexQuery(q, new Set()));
  const products = result.hits.map((h) => h.product);
  ctx.note({ resultIds: products.map((p) => p.sku) });
  if (products.length === 0) {
    ctx.answer(text(nothingFits(deps, ctx, q)), 'products_none');
    return;
  }
  const price = priceLabel(q);
  const lead = `为你找到「${q.label}」${price ? `（${price}）` : ''}共 ${result.total} 件${sortLead(q)}：`;
  ctx.answer(listOf(deps, ctx, q, products, lead, 1, result.total > products.length), 'products');
  await saveState(deps, ctx, { ...state, shown: { kind: 'products', query: q, ids: products.map((p) => p.sku) } });
}

/** The next page of the last product list. */
export async function moreProducts(deps: ShoppingDeps, ctx: TurnContext, state: ConversationState, shown: { query: RememberedProductQuery; ids: readonly string[] }): Promise<void> {
  const result = deps.search.products(ctx.inbound.account, toIndexQuery(shown.query, new Set(shown.ids)));
  const products = result.hits.map((h) => h.product);
  ctx.note({ intent: 'product', resultIds: products.map((p) => p.sku) });
  if (products.length === 0) {
    ctx.answer(text(`「${shown.query.label}」就这么多啦，一共 ${shown.ids.length} 件。回复序号看详情，或者换个说法再找找。`), 'more_end');
    return;
  }
  const lead = `「${shown.query.label}」第 ${shown.ids.length + 1}–${shown.ids.length + products.length} 件：`;
  ctx.answer(listOf(deps, ctx, shown.query, products, lead, shown.ids.length + 1, result.total > products.length), 'more');
  await saveState(deps, ctx, { ...state, shown: { kind: 'products', query: shown.query, ids: [...shown.ids, ...products.map((p) => p.sku)] } });
}

function sortLead(q: RememberedProductQuery): string {
  return q.sort === 'price_asc' ? '，从便宜的开始' : q.sort === 'price_desc' ? '，从贵的开始' : '';
}

function listOf(deps: ShoppingDeps, ctx: TurnContext, q: RememberedProductQuery, products: Product[], lead: string, first: number, more: boolean) {
  const links = deps.links(ctx.inbound.account);
  const pageUrl = links.products({
    terms: q.terms.join(' '), cat: q.categories.join(','), brand: q.brands.join(','), audience: q.audience,
    min: q.minPriceFen, max: q.maxPriceFen, sort: q.sort === 'relevance' ? null : q.sort, label: q.label,
  });
  return productList({ lead, first, more, pageUrl }, products, linksFor(links));
}

/** What to say when nothing matches: the nearest thing that does exist, never unrelated products. */
function nothingFits(deps: ShoppingDeps, ctx: TurnContext, q: RememberedProductQuery): string {
  const { account } = ctx.inbound;
  const count = (query: RememberedProductQuery) => deps.search.products(account, toIndexQuery(query, new Set(), 1));
  const price = priceLabel(q);
  if (price) {
    const unbounded = { ...q, minPriceFen: null, maxPriceFen: null };
    if (count(unbounded).total > 0) {
      const cheapest = count({ ...unbounded, sort: 'price_asc' }).hits[0]!.product.priceFen;
      const dearest = count({ ...unbounded, sort: 'price_desc' }).hits[0]!.product.priceFen;
      return `没有${price}的「${q.label}」😅 店里的「${q.label}」在 ${yuan(cheapest)}–${yuan(dearest)} 之间，回复「${q.label}」看看全部。`;
    }
  }
  if (q.categories.length > 0 && (q.terms.length > 0 || q.brands.length > 0)) {
    const broader = { ...q, terms: [], brands: [], minPriceFen: null, maxPriceFen: null };
    if (count(broader).total > 0) {
      const name = [...new Set(q.categories.map(leaf))].join('/');
      return `没有找到「${q.label}」😅 回复「${name}」看看店里所有的${name}。`;
    }
  }
  const roots = deps.search.productRoots(account).slice(0, 6);
  return roots.length
    ? `暂时没有「${q.label}」😅 店里有：${roots.join('、')}，回复分类名看看。`
    : `店里暂时还没有商品，过几天再来看看吧。`;
}

/** Prices of the last page shown (for 便宜点 / 贵一点). */
export function lastPagePrices(deps: ShoppingDeps, ctx: TurnContext, ids: readonly string[]): number[] {
  return ids
    .slice(-PAGE_SIZE)
    .map((sku) => deps.search.product(ctx.inbound.account, sku)?.priceFen)
    .filter((p): p is number => p !== undefined);
}
