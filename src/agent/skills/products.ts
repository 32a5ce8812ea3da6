/**
 * Products: a query from what the follower said (or a refinement of the last one), the best matches
 * as a numbered list, and — when nothing fits — what does exist instead. Never padded with unrelated items.
 */
import type { ProductSummary } from '../../catalogue/types.ts';
import { audienceOf } from '../../search/index/audience.ts';
import { excludesAny, withoutOfSlots, type Audience, type Exclusions, type ProductQuery, type Slots, type Sort, type Understanding } from '../../search/types.ts';
import type { TurnContext } from '../context.ts';
import { rangeLabel, yuan } from '../format.ts';
import { PAGE_SIZE, productList } from '../replies.ts';
import { text } from '../../core/messages.ts';
import type { SkillAnswer } from '../../core/answered-by.ts';
import type { RememberedProductQuery, RememberedWithout } from './conversation.ts';
import { askedOrder, priceNote, priceRange } from './prices.ts';
import { itemLinks } from './item-links.ts';

const leaf = (path: string) => path.split('/').pop() ?? path;

/** A label is echoed back in replies: at most this many words and characters. */
const LABEL_WORDS = 4;
const LABEL_CHARS = 16;

/** Joins label words, without repeats and never longer than a short phrase: 「红色 连衣裙」. */
export function joinLabel(words: readonly string[]): string {
  const kept: string[] = [];
  let chars = 0;
  // Unique regardless of case: the word as typed (t恤) and the category leaf (T恤) are one word.
  const seen = new Set<string>();
  for (const w of words) {
    if (w === '' || w === '商品' || seen.has(w.toLowerCase())) continue;
    seen.add(w.toLowerCase());
    if (kept.length === LABEL_WORDS || chars + [...w].length > LABEL_CHARS) return `${kept.join(' ')}…`;
    kept.push(w);
    chars += [...w].length + 1;
  }
  return kept.join(' ') || '商品';
}

/**
 * The words a follower would recognise for a query: 「红色 连衣裙」. A word that stands for several categories
 * (大衣 → 风衣, 夹克, 羽绒服 …) is echoed as the follower wrote it, not as the list it stands for.
 */
function labelOf(slots: Pick<Slots, 'brands' | 'attributes' | 'categories' | 'categoryWords' | 'keywords'>): string {
  const broad = slots.categoryWords.length > 0 && slots.categories.length > slots.categoryWords.length;
  const categories = broad ? slots.categoryWords : slots.categories.map(leaf);
  return joinLabel([...slots.brands, ...slots.attributes, ...categories, ...slots.keywords]);
}

/** The orders a product list can take (not by distance). */
const PRODUCT_ORDERS: readonly Exclude<Sort, 'distance'>[] = ['relevance', 'price_asc', 'price_desc', 'rating'];

/** The query a message asks for on its own (not a refinement of the last list). */
export function freshQuery(u: Understanding): RememberedProductQuery {
  const s = u.slots;
  const q: RememberedProductQuery = {
    terms: [...s.keywords, ...s.attributes],
    categories: s.categories,
    brands: s.brands,
    audience: s.audience,
    minPriceFen: s.price?.minFen ?? null,
    maxPriceFen: s.price?.maxFen ?? null,
    sort: askedOrder(s, PRODUCT_ORDERS) ?? (s.relativePrice === 'pricier' ? 'price_desc' : 'relevance'),
    label: labelOf(s),
    ...withoutOf(undefined, s.excluded),
  };
  if (!s.nearest) return q;
  // 扫地机器人 in a shop without one: searched for as named, and the nearest kind (吸尘器) offered if nothing has it.
  const { word, categories } = s.nearest;
  const keywords = s.keywords.filter((k) => k !== word);
  const nearest = { ...q, terms: [...keywords, ...s.attributes], categories, label: labelOf({ ...s, keywords, categories, categoryWords: [] }) };
  const withNearest: RefinedQuery = { ...q, instead: { missing: word, query: nearest } };
  return withNearest;
}

const AUDIENCE_EXCLUDED: Record<Audience, string> = { women: '女款', men: '男款', kids: '儿童款' };

/**
 * The exclusions after this message: the last ones (if any) with the new ones added; absent when nothing is
 * excluded. Returned spread-ready (`...withoutOf(…)`), so a query without exclusions has no `without` at all.
 */
export function withoutOf(last: RememberedWithout | undefined, x: Exclusions): { without?: RememberedWithout } {
  if (!excludesAny(x)) return last ? { without: last } : {};
  const union = (a: readonly string[] | undefined, b: readonly string[]) => [...new Set([...(a ?? []), ...b])];
  const now = withoutOfSlots(x);
  const without: RememberedWithout = {
    terms: union(last?.terms, now.terms),
    brands: union(last?.brands, now.brands),
    categories: union(last?.categories, now.categories),
    audience: now.audience ?? last?.audience ?? null,
    words: union(last?.words, [...x.attributes, ...x.brands, ...x.categories.map(leaf), ...(x.audience ? [AUDIENCE_EXCLUDED[x.audience]] : []), ...x.keywords]),
  };
  return { without };
}

/** 「（不要红色、耐克）」 for a lead line, or '' when nothing is left out. */
function withoutNote(q: RememberedProductQuery): string {
  const words = q.without?.words ?? [];
  return words.length ? `（不要${words.slice(0, 3).join('、')}${words.length > 3 ? '等' : ''}）` : '';
}

export function toIndexQuery(q: RememberedProductQuery, exclude: ReadonlySet<string>, limit = PAGE_SIZE): ProductQuery {
  // Object.assign, not `const { without, ...rest } = q; return { ...rest, exclude, limit, … }`: in Node 20's V8
  // a spread followed by more properties, and a rest destructure, cost microseconds each (5 µs for this
  // function, on every product answer); Object.assign a few hundred nanoseconds. An absent `without` stays
  // absent, an undefined one is read as absent everywhere (result-cache.ts, the index).
  return Object.assign({}, q, { exclude, limit });
}


/** A query as answered: what is remembered, plus what this turn's answer needs to know of how it came about. */
export interface RefinedQuery extends RememberedProductQuery {
  /** Items the follower just saw, not to be shown first again (便宜点 lists other, cheaper ones). */
  readonly seen?: readonly string[];
  /** The price bounds were kept from earlier messages, not said in this one: say when they hide products. */
  readonly keptPrice?: boolean;
  /** A kind the shop lacks (扫地机器人) and the nearest query to offer instead, saying so. */
  readonly instead?: { readonly missing: string; readonly query: RememberedProductQuery };
}

/**
 * Shows the first page of `asked` (or says what exists instead) and remembers it. A price limit kept from
 * earlier messages is said when it hides products: lifted, and said so, when nothing is under it
 * (「在¥190以下没有「兰蔻 口红」」); counted when 便宜点 set it and it hides some.
 */
export function answerProducts(ctx: TurnContext, asked: RefinedQuery, answered: SkillAnswer = 'products'): void {
  const { account } = ctx.inbound;
  const { seen, keptPrice, instead, ...q } = asked;
  const search = (query: RememberedProductQuery, skip: readonly string[] = []) => ctx.search.products(account, toIndexQuery(query, new Set(skip)));
  let shown: RememberedProductQuery = q;
  let result = search(q);
  if (seen?.length && result.total > 0) {
    // 便宜点: the page starts with the items not just seen; those seen that fit come after them (on this page when
    // there is room, else later). The count is of all.
    const unseen = search(q, seen).hits;
    const again = result.hits.filter((h) => seen.includes(h.product.sku));
    result = { hits: [...unseen, ...again].slice(0, PAGE_SIZE), total: result.total };
  }
  const { saidPrice: _said, ...unpriced } = { ...q, minPriceFen: null, maxPriceFen: null };
  const hiddenNote = (query: RememberedProductQuery, total: number): string => {
    // Only for a limit 便宜点 set and this message did not say: the follower never typed that figure.
    if (!keptPrice || !query.saidPrice) return '';
    const all = search(unpriced).total;
    if (all <= total) return '';
    return query.label.endsWith('…') ? `（不限价格有 ${all} 件）` : `（不限价格有 ${all} 件，回复「${query.label}」看全部）`;
  };
  let lead = (total: number) => `为你找到「${q.label}」${priceNote(q)}${withoutNote(q)}共 ${total} 件${sortLead(q)}${hiddenNote(q, total)}：`;
  let answeredBy = answered;
  if (result.total === 0 && keptPrice) {
    // The limit kept from before hides everything: lift it, and say so.
    const open = search(unpriced);
    if (open.total > 0) {
      [shown, result, answeredBy] = [unpriced, open, 'products_relaxed'];
      lead = (total) => `在${priceRange(q)}${q.minPriceFen !== null && q.maxPriceFen !== null ? '之间' : ''}没有「${q.label}」😅 去掉价格限制有 ${total} 件${withoutNote(q)}${sortLead(q)}：`;
    }
  }
  const named = result.total === 0 ? categoryNamed(q) : null;
  if (named) {
    // 口红礼盒: lipstick gift sets are filed under 套装, not 口红 — the category word may name what a product is of.
    const r = search(named);
    if (r.total > 0) {
      result = r;
      shown = named;
    }
  }
  if (result.total === 0) {
    // Nothing fits exactly: the same query with fewer soft words, said honestly.
    for (const looser of relaxations(ctx, q)) {
      result = search(looser);
      if (result.total > 0) {
        shown = looser;
        lead = (total) => `没有完全符合「${q.label}」的，先看看这些「${looser.label}」${priceNote(looser)}${withoutNote(looser)}共 ${total} 件${sortLead(looser)}：`;
        answeredBy = 'products_relaxed';
        break;
      }
    }
  }
  if (result.total === 0 && instead) {
    result = search(instead.query);
    if (result.total > 0) {
      shown = instead.query;
      lead = (total) => `没有${instead.missing}😅 有这些${instead.query.label}${priceNote(instead.query)}，共 ${total} 件：`;
      answeredBy = 'products_nearest';
    }
  }
  const products = result.hits.map((h) => h.product);
  ctx.note({ resultIds: products.map((p) => p.sku) });
  if (products.length === 0) {
    ctx.answer(text(nothingFits(ctx, q)), 'products_none');
    return;
  }
  ctx.answer(listOf(ctx, shown, products, lead(result.total), 1, result.total > products.length), answeredBy);
  // Object.assign rather than a spread followed by `shown` (see toIndexQuery).
  ctx.session = Object.assign({}, ctx.session, { shown: { kind: 'products', query: shown, ids: products.map((p) => p.sku) } as const });
}

/**
 * `q` with its one category read as a word of the product's text instead (口红礼盒: products whose title, tags or
 * category say both 口红 and 礼盒, wherever they are filed); null when `q` has no other words or several categories.
 */
function categoryNamed(q: RememberedProductQuery): RememberedProductQuery | null {
  if (q.categories.length !== 1 || q.terms.length === 0) return null;
  return { ...q, categories: [], terms: [leaf(q.categories[0]!), ...q.terms] };
}

/** A model number or code (13, mate60, 20w): what a product must fit, kept when a query is loosened. */
const MODEL_CODE = /\d/;

/** A colour as titles write it (红色, 米白色, 藏青色). */
export const isColour = (word: string) => word.endsWith('色');

/**
 * Ever looser versions of `q`, the softest words going first: words the vocabulary does not know, then
 * attributes other than colours, then colours. Category, brand, audience, price and model numbers stay; a query
 * with neither a category nor a brand keeps at least one attribute (it would match anything).
 */
function relaxations(ctx: TurnContext, q: RememberedProductQuery): RememberedProductQuery[] {
  if (q.terms.length === 0) return [];
  const isAttribute = (term: string) => ctx.search.understand(term).slots.attributes.includes(term);
  const attributes = q.terms.filter(isAttribute);
  // Without a category or a brand, an attribute (送女友) is what keeps a looser query from matching anything.
  const anchored = q.categories.length > 0 || q.brands.length > 0;
  if (!anchored && attributes.length === 0) return [];
  // A model number (iphone 13, 20w) says what the product must fit: never loosened away (13 is not 15).
  const codes = q.terms.filter((t) => MODEL_CODE.test(t) && !attributes.includes(t));
  const steps = [attributes, attributes.filter(isColour), []].map((kept) => [...codes, ...kept]);
  const result: RememberedProductQuery[] = [];
  let last = q.terms;
  for (const terms of steps) {
    if (terms.length === last.length || (!anchored && terms.length === 0)) continue;
    const dropped = q.terms.filter((t) => !terms.includes(t));
    const words = q.label.replace(/…$/, '').split(' ').filter((w) => !dropped.includes(w));
    // The category leaves back in, in case the label was cut short — unless a broad word stood for them.
    const leaves = q.categories.length <= 2 ? q.categories.map(leaf) : [];
    result.push({ ...q, terms, label: joinLabel([...q.brands, ...words, ...leaves]) });
    last = terms;
  }
  return result;
}

/** The next page of the last product list. */
export function moreProducts(ctx: TurnContext, shown: { query: RememberedProductQuery; ids: readonly string[] }): void {
  const result = ctx.search.products(ctx.inbound.account, toIndexQuery(shown.query, new Set(shown.ids)));
  const products = result.hits.map((h) => h.product);
  ctx.note({ intent: 'product', resultIds: products.map((p) => p.sku) });
  if (products.length === 0) {
    ctx.answer(text(`「${shown.query.label}」就这么多啦，一共 ${shown.ids.length} 件。回复序号看详情，或者换个说法再找找。`), 'more_end');
    return;
  }
  const lead = `「${shown.query.label}」${rangeLabel(shown.ids.length + 1, shown.ids.length + products.length, '件')}：`;
  ctx.answer(listOf(ctx, shown.query, products, lead, shown.ids.length + 1, result.total > products.length), 'more');
  ctx.session = { ...ctx.session, shown: { kind: 'products', query: shown.query, ids: [...shown.ids, ...products.map((p) => p.sku)] } };
}

function sortLead(q: RememberedProductQuery): string {
  return q.sort === 'price_asc' ? '，从便宜的开始' : q.sort === 'price_desc' ? '，从贵的开始' : '';
}

function listOf(ctx: TurnContext, q: RememberedProductQuery, products: ProductSummary[], lead: string, first: number, more: boolean) {
  const links = ctx.links;
  const pageUrl = links.products({
    terms: q.terms.join(' '), cat: q.categories.join(','), brand: q.brands.join(','), audience: q.audience,
    // The page heads its list with the label: the price limit belongs in it (「连衣裙（¥200以下）」).
    min: q.minPriceFen, max: q.maxPriceFen, sort: q.sort === 'relevance' ? null : q.sort, label: `${q.label}${priceNote(q)}${withoutNote(q)}`,
    not: q.without?.terms.join(' '), notbrand: q.without?.brands.join(','), notcat: q.without?.categories.join(','), notaud: q.without?.audience,
  });
  return productList({ lead, first, more, pageUrl }, products, itemLinks(links));
}

/** What to say when nothing matches: the nearest thing that does exist, never unrelated products. */
function nothingFits(ctx: TurnContext, q: RememberedProductQuery): string {
  const { account } = ctx.inbound;
  const count = (query: RememberedProductQuery) => ctx.search.products(account, toIndexQuery(query, new Set(), 1));
  if (q.without && count({ ...q, without: undefined }).total > 0) {
    // Everything there is has what was left out: say so rather than pretend the shop has none.
    return `除了${q.without.words.join('、')}的，没有别的「${q.label}」了😅 回复「${q.label}」看看全部。`;
  }
  const price = priceRange(q);
  if (price) {
    const unbounded = { ...q, minPriceFen: null, maxPriceFen: null };
    if (count(unbounded).total > 0) {
      const cheapest = count({ ...unbounded, sort: 'price_asc' }).hits[0]!.product.priceFen;
      const dearest = count({ ...unbounded, sort: 'price_desc' }).hits[0]!.product.priceFen;
      return `没有${price}的「${q.label}」😅 店里的「${q.label}」在 ${yuan(cheapest)}–${yuan(dearest)} 之间，回复「${q.label}」看看全部。`;
    }
  }
  const name = namesOf(q.categories);
  if (q.audience !== null && q.categories.length > 0) {
    // 连衣裙 + 男款: the category exists, only not for this audience — say so, and what this audience has.
    if (count({ ...q, audience: null }).total > 0) {
      const theirs = audienceCategories(ctx, q.audience);
      return [
        `${name}没有${AUDIENCE_WORD[q.audience]}的😅 回复「${name}」看看店里的${name}`,
        theirs ? `；${theirs.root}有：${theirs.leaves.join('、')}，回复分类名看看。` : '。',
      ].join('');
    }
  }
  if (q.categories.length > 0 && (q.terms.length > 0 || q.brands.length > 0)) {
    const broader = { ...q, terms: [], brands: [], minPriceFen: null, maxPriceFen: null };
    if (count(broader).total > 0) return `没有找到「${q.label}」😅 回复「${name}」看看店里所有的${name}。`;
  }
  const roots = ctx.search.productRoots(account);
  return roots.length
    ? `暂时没有「${q.label}」😅 店里有：${roots.join('、')}，回复分类名看看。`
    : `店里暂时还没有商品，过几天再来看看吧。`;
}

/** An audience as a follower would say it (a label word, or a word the understander reads back). */
export const AUDIENCE_WORD: Record<Audience, string> = { women: '女款', men: '男款', kids: '儿童款' };

/** Category leaves as a follower would type them: at most three (连衣裙/半身裙). */
function namesOf(categories: readonly string[]): string {
  return [...new Set(categories.map(leaf))].slice(0, 3).join('/');
}

/** The categories made for an audience (男装: T恤、衬衫…), largest first, at most six; null when none. */
function audienceCategories(ctx: TurnContext, audience: Audience): { root: string; leaves: string[] } | null {
  const { hits } = ctx.search.products(ctx.inbound.account, toIndexQuery({ ...EVERYTHING, audience }, new Set(), 1000));
  const counts = new Map<string, number>();
  for (const { product: p } of hits) {
    if (p.category.length < 2 || !audienceOf(p).includes(audience)) continue;
    const path = p.category.slice(0, 2).join('/');
    counts.set(path, (counts.get(path) ?? 0) + 1);
  }
  // Ties in code-unit order, not localeCompare: its first call loads ICU's collator, tens of ms on a message.
  const paths = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([path]) => path);
  const root = paths[0]?.split('/')[0];
  if (root === undefined) return null;
  return { root, leaves: paths.filter((path) => path.startsWith(`${root}/`)).slice(0, 6).map(leaf) };
}

const EVERYTHING: RememberedProductQuery = {
  terms: [], categories: [], brands: [], audience: null, minPriceFen: null, maxPriceFen: null, sort: 'relevance', label: '商品',
};

/** Prices of the last page shown (for 便宜点 / 贵一点). */
export function lastPagePrices(ctx: TurnContext, ids: readonly string[]): number[] {
  return ids
    .slice(-PAGE_SIZE)
    .map((sku) => ctx.search.product(ctx.inbound.account, sku)?.priceFen)
    .filter((p): p is number => p !== undefined);
}
