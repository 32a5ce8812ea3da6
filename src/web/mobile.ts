/**
 * The mobile (H5) pages followers open from a reply: result lists and item pages for products, hotels
 * and deals, under /m/:account/…. Server-rendered, every catalogue value escaped, one small script that
 * the pages do without (page-script.ts). Lists sort and filter by price through links and a GET form;
 * link parameters the bot wrote are checked strictly (a broken link answers 400 with a way back), what a
 * follower types in the price filter leniently (a bad field is ignored and said so).
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { describeDeals, findDeals, type DealSearch } from '../agent/skills/deals.ts';
import { findHotels, starsOfParam } from '../agent/skills/hotels.ts';
import { accountId, type AccountId } from '../core/messages.ts';
import type { Hotel, Product } from '../catalogue/types.ts';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import { distanceKm } from '../search/index/geo-index.ts';
import type { CatalogueSearch } from '../search/catalogue-search.ts';
import { excludesAny, productQuery, withoutOfSlots, type ProductQuery } from '../search/types.ts';
import { createLinks } from '../core/page-links.ts';
import { html, page, PAGE_HEADERS, type Html, type Layout } from './html.ts';
import { dealPage, hotelPage, productPage, type ItemLinks, type ItemPage } from './items.ts';
import {
  backFrom, fromOf, listState, pager, pastTheEnd, priceFilter, priceInput, sortTabs, type ListState, type SortOption,
} from './list-controls.ts';
import { dealRow, hotelRow, productRow } from './rows.ts';
import type { ProductOrdering } from './product-ordering.ts';

const PER_PAGE = 20;
/** Pages beyond 50 (1,000 rows) are not offered: one request reads at most page × 20 + 1 rows. */
const MAX_PAGE = 50;
/** How many others of the kind an item page shows. */
const MORE = 4;

const list = (s: string | undefined) => (s ? s.split(/[,\s]+/).filter(Boolean) : []);
const fen = z.coerce.number().int().min(0).max(1e10).optional();
const PAGE = z.coerce.number().int().min(1).max(MAX_PAGE).optional();
const lat = z.coerce.number().min(-90).max(90).optional();
const lng = z.coerce.number().min(-180).max(180).optional();
const productParams = z.object({
  q: z.string().max(200).optional(),
  terms: z.string().max(200).optional(),
  cat: z.string().max(500).optional(),
  brand: z.string().max(200).optional(),
  audience: z.enum(['women', 'men', 'kids']).optional(),
  min: fen,
  max: fen,
  sort: z.enum(['relevance', 'price_asc', 'price_desc']).optional(),
  label: z.string().max(100).optional(),
  // What the conversation left out (不要红色的): words, brands, categories, an audience.
  not: z.string().max(200).optional(),
  notbrand: z.string().max(200).optional(),
  notcat: z.string().max(500).optional(),
  notaud: z.enum(['women', 'men', 'kids']).optional(),
  page: PAGE,
});
const hotelParams = z.object({
  lat,
  lng,
  city: z.string().max(50).optional(),
  min: fen,
  max: fen,
  /** In a city: best rated first (the default), or by price; near a point: nearest first (the default). */
  sort: z.enum(['rating', 'price_asc', 'price_desc', 'distance']).optional(),
  /** Star levels: 「5」 or a range 「0-2」. */
  stars: z
    .string()
    .max(3)
    .refine((s) => starsOfParam(s) !== null, 'stars: a level 0–5 or a range such as 0-2')
    .optional(),
  page: PAGE,
});
const dealParams = z.object({
  city: z.string().max(50),
  cat: z.string().max(50).optional(),
  /** Words a deal's title or merchant must contain (one of them), space-separated. */
  q: z.string().max(100).optional(),
  min: fen,
  max: fen,
  sort: z.enum(['discount', 'price_asc', 'price_desc', 'distance']).optional(),
  /** Where 附近 is, for the `distance` sort. */
  lat,
  lng,
  page: PAGE,
});

const PRODUCT_SORTS: readonly SortOption[] = [
  { value: 'relevance', label: '综合' },
  { value: 'price_asc', label: '低价优先' },
  { value: 'price_desc', label: '高价优先' },
];
const PRICE_SORTS: readonly SortOption[] = PRODUCT_SORTS.slice(1);

export interface MobilePagesOptions {
  readonly search: CatalogueSearch;
  /** The public base URL links are built on. */
  readonly baseUrl: () => string;
  /** The shop's name shown in every page's bar (the account_name setting, or its default). */
  readonly shopName: (account: AccountId) => string;
  readonly clock?: Clock;
  /** Ordering on the product pages (立即下单, page views); without it they only link to the merchant's shop. */
  readonly ordering?: ProductOrdering;
}

/** What a list route found: its canonical parameters, controls and rows. */
interface ListPage {
  readonly title: string;
  readonly state: ListState;
  readonly controls: Html;
  /** Rows of this page; empty when nothing matches (or past the end). */
  readonly rows: readonly Html[];
  readonly n: number;
  readonly hasNext: boolean;
  /** Something matched on an earlier page (so an empty page is past the end). */
  readonly pastEnd: boolean;
  readonly empty: string;
  /** A price filter applies (an empty list then keeps its controls, to change it). */
  readonly filtered: boolean;
  /** A line over the rows (「共 n 件」). */
  readonly count?: string;
  readonly notice?: string | null;
}

export function mobilePages(options: MobilePagesOptions): Router {
  const { search, clock = systemClock } = options;
  const router = express.Router();

  const send = (res: Response, status: number, account: AccountId, layout: Omit<Layout, 'shop'>) => {
    res.status(status).set(PAGE_HEADERS).type('html').send(page({ shop: options.shopName(account), ...layout }));
  };
  const accountOf = (req: Request) => accountId(String(req.params.account));
  /** A hit as its row shows it (picture included): none when it went between the search and now. */
  const wholeProduct = (account: AccountId, sku: string): Product[] => {
    const p = search.product(account, sku);
    return p ? [p] : [];
  };
  const notFound = (req: Request, res: Response, what: string) =>
    send(res, 404, accountOf(req), { title: '没有找到', body: html`<p class="empty">${what}不存在或已下架。</p>` });
  const badRequest = (req: Request, res: Response) =>
    send(res, 400, accountOf(req), { title: '链接有误', body: html`<p class="empty">这个链接的参数不对，请回到公众号重新查询。</p>` });

  /** Item links that carry `from`, so the item's back link returns to this list (or to the item's own). */
  const itemLinks = (account: AccountId, from: string | null): ItemLinks => {
    const links = createLinks(options.baseUrl(), account);
    const tail = from ? `?from=${encodeURIComponent(from)}` : '';
    return { product: (sku) => links.product(sku) + tail, hotel: (id) => links.hotel(id) + tail, deal: (id) => links.deal(id) + tail };
  };

  const sendList = (req: Request, res: Response, l: ListPage) => {
    const body = l.rows.length
      ? html`${l.count ? html`<h1>${l.title}<small>${l.count}</small></h1>` : html`<h1>${l.title}</h1>`}${l.controls}${l.notice ? html`<p class="notice">${l.notice}</p>` : ''}${l.rows}${pager(l.state, l.n, l.hasNext)}`
      : html`<h1>${l.title}</h1>${l.filtered ? l.controls : ''}${l.notice ? html`<p class="notice">${l.notice}</p>` : ''}${l.n > 1 && l.pastEnd ? pastTheEnd(l.state) : html`<p class="empty">${l.empty}</p>`}`;
    send(res, 200, accountOf(req), { title: l.title, body });
  };

  /** The price a list applies: the filter form's fields when it was sent, else the link's `min`/`max`. */
  const priceOf = (req: Request, link: { min?: number | undefined; max?: number | undefined }) => {
    const typed = priceInput(req.query);
    return typed.given
      ? { minFen: typed.minFen, maxFen: typed.maxFen, given: true, notice: typed.problem }
      : { minFen: link.min ?? null, maxFen: link.max ?? null, given: link.min !== undefined || link.max !== undefined, notice: null };
  };

  router.get('/m/:account/products', (req, res) => {
    const parsed = productParams.safeParse(req.query);
    if (!parsed.success) return badRequest(req, res);
    const p = parsed.data;
    const account = accountOf(req);
    const price = priceOf(req, p);
    let query: Omit<ProductQuery, 'limit' | 'exclude'>;
    let label: string;
    let state: ListState;
    const priceParams = { min: price.minFen, max: price.maxFen };
    if (p.q) {
      // What the words say, unless the list's own controls say otherwise.
      const u = search.understand(p.q, account);
      const said = u.slots.sort === 'price_asc' || u.slots.sort === 'price_desc' ? u.slots.sort : 'relevance';
      query = productQuery({
        terms: [...u.slots.keywords, ...u.slots.attributes], categories: u.slots.categories, brands: u.slots.brands, audience: u.slots.audience,
        minPriceFen: price.given ? price.minFen : u.slots.price?.minFen ?? null, maxPriceFen: price.given ? price.maxFen : u.slots.price?.maxFen ?? null,
        sort: p.sort ?? said,
        ...(excludesAny(u.slots.excluded) ? { without: withoutOfSlots(u.slots.excluded) } : {}),
      });
      label = p.q;
      // A range cleared in the form while the words name one: min=0 keeps it cleared on the next pages.
      const cleared = price.given && price.minFen === null && price.maxFen === null && u.slots.price !== null;
      state = listState({ q: p.q, sort: p.sort, ...priceParams, ...(cleared ? { min: 0 } : {}) });
    } else {
      const without = { terms: list(p.not), brands: list(p.notbrand), categories: list(p.notcat), audience: p.notaud ?? null };
      const excludes = without.terms.length > 0 || without.brands.length > 0 || without.categories.length > 0 || without.audience !== null;
      query = productQuery({
        terms: list(p.terms), categories: list(p.cat), brands: list(p.brand), audience: p.audience ?? null,
        minPriceFen: price.minFen, maxPriceFen: price.maxFen, sort: p.sort ?? 'relevance', ...(excludes ? { without } : {}),
      });
      label = p.label ?? [...query.brands, ...query.categories.map((c) => c.split('/').pop()), ...query.terms].join(' ');
      state = listState({
        terms: p.terms, cat: p.cat, brand: p.brand, audience: p.audience, label: p.label, sort: p.sort, ...priceParams,
        not: p.not, notbrand: p.notbrand, notcat: p.notcat, notaud: p.notaud,
      });
    }
    const n = p.page ?? 1;
    // The index pages by exclusion; collect the skus of earlier pages first (pages are short).
    const before = n > 1 ? search.products(account, { ...query, limit: (n - 1) * PER_PAGE }).hits.map((h) => h.product.sku) : [];
    const result = search.products(account, { ...query, exclude: new Set(before), limit: PER_PAGE });
    const links = itemLinks(account, fromOf('products', state, n));
    sendList(req, res, {
      title: `「${label || '全部商品'}」`,
      state,
      controls: html`${sortTabs(state, PRODUCT_SORTS, query.sort)}${priceFilter(state, query.minPriceFen, query.maxPriceFen)}`,
      // Rows show pictures: the whole product (its details read from SQLite), for the page's few hits only.
      rows: result.hits.flatMap(({ product }) => wholeProduct(account, product.sku)).map((p) => productRow(p, links.product(p.sku))),
      n,
      hasNext: result.total > result.hits.length && n < MAX_PAGE,
      pastEnd: before.length > 0,
      filtered: price.given,
      empty: '没有找到符合条件的商品，换个价格或回到公众号换个说法试试。',
      count: `共 ${result.total + before.length} 件`,
      notice: price.notice,
    });
  });

  router.get('/m/:account/p/:sku', async (req, res) => {
    const account = accountOf(req);
    const p = search.product(account, String(req.params.sku));
    if (!p) return notFound(req, res, '这件商品');
    const from = typeof req.query.from === 'string' ? req.query.from : null;
    const similar = search
      .products(account, productQuery({ categories: p.category.length ? [p.category.join('/')] : [], exclude: new Set([p.sku]), limit: MORE }))
      .hits.flatMap((h) => wholeProduct(account, h.product.sku));
    await options.ordering?.viewed(req, account, p);
    const order = options.ordering?.orderHref(req, account, p) ?? null;
    sendItem(req, res, productPage(p, similar, itemLinks(account, backFrom(from) ? from : null), order), from);
  });

  router.get('/m/:account/hotels', (req, res) => {
    const parsed = hotelParams.safeParse(req.query);
    if (!parsed.success) return badRequest(req, res);
    const q = parsed.data;
    const account = accountOf(req);
    const stars = q.stars ? starsOfParam(q.stars) : null;
    const near = q.lat !== undefined && q.lng !== undefined ? { lat: q.lat, lng: q.lng } : null;
    if (!near && !q.city) return badRequest(req, res);
    const price = priceOf(req, q);
    const n = q.page ?? 1;
    const sorts: readonly SortOption[] = near ? [{ value: 'distance', label: '距离最近' }, { value: 'rating', label: '好评优先' }, ...PRICE_SORTS] : [{ value: 'rating', label: '好评优先' }, ...PRICE_SORTS];
    const sort = sorts.some((o) => o.value === q.sort) ? q.sort! : sorts[0]!.value;
    const filter = { minPriceFen: price.minFen, maxPriceFen: price.maxFen, ...(stars ? { stars } : {}) };
    // One more than the pages so far tells whether there is a next page. Near a point the index orders by
    // distance only: another order reads every hotel in range (at most the 50 pages offered) and sorts here.
    const rows = near
      ? sort === 'distance'
        ? findHotels(search, account, { where: { near, label: '' }, ...filter }, { limit: n * PER_PAGE + 1 })
        : orderHotels(findHotels(search, account, { where: { near, label: '' }, ...filter }, { limit: MAX_PAGE * PER_PAGE + 1 }), sort)
      : findHotels(search, account, { where: { city: q.city! }, sort: sort as 'rating' | 'price_asc' | 'price_desc', ...filter }, { limit: n * PER_PAGE + 1 });
    const state = listState({ lat: q.lat, lng: q.lng, city: near ? null : q.city, stars: q.stars, sort: q.sort && q.sort === sort ? sort : null, min: price.minFen, max: price.maxFen });
    const links = itemLinks(account, fromOf('hotels', state, n));
    const kind = `${stars?.label ?? ''}酒店`;
    sendList(req, res, {
      title: near ? `附近的${kind}` : `${q.city}的${kind}`,
      state,
      controls: html`${sortTabs(state, sorts, sort)}${priceFilter(state, price.minFen, price.maxFen)}`,
      rows: rows.slice((n - 1) * PER_PAGE, n * PER_PAGE).map((r) => hotelRow(r.hotel, r.km, links.hotel(r.hotel.id))),
      n,
      hasNext: rows.length > n * PER_PAGE && n < MAX_PAGE,
      pastEnd: rows.length > 0,
      filtered: price.given,
      empty: price.given ? '这个价格范围内暂时没有符合条件的酒店。' : '暂时没有符合条件的酒店。',
      notice: price.notice,
    });
  });

  router.get('/m/:account/h/:id', (req, res) => {
    const account = accountOf(req);
    const h = search.hotel(account, String(req.params.id));
    if (!h) return notFound(req, res, '这家酒店');
    const from = typeof req.query.from === 'string' ? req.query.from : null;
    const others = search.hotelsInCity(account, h.city, { limit: MORE + 1, sort: 'rating' }).filter((o) => o.id !== h.id).slice(0, MORE);
    sendItem(req, res, hotelPage(h, others, itemLinks(account, backFrom(from) ? from : null)), from);
  });

  router.get('/m/:account/deals', (req, res) => {
    const parsed = dealParams.safeParse(req.query);
    if (!parsed.success) return badRequest(req, res);
    const q = parsed.data;
    const account = accountOf(req);
    const n = q.page ?? 1;
    const price = priceOf(req, q);
    const point = q.lat !== undefined && q.lng !== undefined ? { lat: q.lat, lng: q.lng } : null;
    const sorts: readonly SortOption[] = [{ value: 'discount', label: '折扣最大' }, ...PRICE_SORTS, ...(point ? [{ value: 'distance', label: '距离最近' }] : [])];
    // 距离 without a point has nothing to measure from: the default order then.
    const sort = sorts.some((o) => o.value === q.sort) ? q.sort! : 'discount';
    const filter: DealSearch = {
      city: q.city, category: q.cat ?? null, keywords: list(q.q), minPriceFen: price.minFen, maxPriceFen: price.maxFen, sort, ...(point ? { near: point } : {}),
    };
    const deals = findDeals(search, account, filter, clock.now(), { limit: n * PER_PAGE + 1 });
    const state = listState({ city: q.city, cat: q.cat, q: q.q, sort: q.sort === sort ? sort : null, lat: q.lat, lng: q.lng, min: price.minFen, max: price.maxFen });
    const links = itemLinks(account, fromOf('deals', state, n));
    const km = (d: { lat: number | null; lng: number | null }) => (point && d.lat !== null && d.lng !== null ? distanceKm(point, { lat: d.lat, lng: d.lng }) : null);
    sendList(req, res, {
      title: describeDeals(filter),
      state,
      controls: html`${sortTabs(state, sorts, sort)}${priceFilter(state, price.minFen, price.maxFen)}`,
      rows: deals.slice((n - 1) * PER_PAGE, n * PER_PAGE).map((d) => dealRow(d, km(d), links.deal(d.id))),
      n,
      hasNext: deals.length > n * PER_PAGE && n < MAX_PAGE,
      pastEnd: deals.length > 0,
      filtered: price.given,
      empty: price.given ? '这个价格范围内暂时没有进行中的团购。' : '暂时没有进行中的团购。',
      notice: price.notice,
    });
  });

  router.get('/m/:account/d/:id', (req, res) => {
    const account = accountOf(req);
    const d = search.deal(account, String(req.params.id));
    if (!d) return notFound(req, res, '这个团购');
    const from = typeof req.query.from === 'string' ? req.query.from : null;
    const now = clock.now();
    const others = search.deals(account, { city: d.city, category: d.category, now, limit: MORE, exclude: new Set([d.id]) });
    sendItem(req, res, dealPage(d, others, now, itemLinks(account, backFrom(from) ? from : null)), from);
  });

  /** An item page; its back link goes to the list it was opened from when `from` names one. */
  function sendItem(req: Request, res: Response, item: ItemPage, from: string | null) {
    const back = backFrom(from);
    send(res, 200, accountOf(req), { title: item.title, back: back ? { href: back, label: '返回列表' } : item.back, body: item.body });
  }

  return router;
}

/** Hotels in another order than the index's: cheapest, dearest or best rated first (unknowns last). */
function orderHotels<R extends { hotel: Hotel }>(rows: R[], sort: string): R[] {
  const key = (r: R): number | null =>
    sort === 'rating' ? (r.hotel.rating === null ? null : -r.hotel.rating) : r.hotel.priceFen === null ? null : sort === 'price_desc' ? -r.hotel.priceFen : r.hotel.priceFen;
  return rows
    .map((r, i) => ({ r, i, k: key(r) }))
    .sort((a, b) => (a.k === null ? (b.k === null ? a.i - b.i : 1) : b.k === null ? -1 : a.k - b.k || a.i - b.i))
    .map(({ r }) => r);
}
