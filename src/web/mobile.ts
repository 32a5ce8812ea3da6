/**
 * The mobile (H5) pages followers open from a reply: result lists and item pages for products, hotels
 * and deals, under /m/:account/…. Server-rendered, no scripts, every catalogue value escaped.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { addressLine, distance, yuan } from '../agent/format.ts';
import { describeDeals, findDeals, type DealSearch } from '../agent/skills/deals.ts';
import { findHotels, starsOfParam } from '../agent/skills/hotels.ts';
import { accountId, type AccountId } from '../core/messages.ts';
import type { Deal, Hotel, Product } from '../catalogue/types.ts';
import { isInStock, isLiveDeal } from '../catalogue/types.ts';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { CatalogueSearch } from '../search/catalogue-search.ts';
import type { ProductQuery } from '../search/types.ts';
import { html, page, PAGE_HEADERS, type Html } from './html.ts';
import { createLinks, safeUrl, type Links } from '../core/page-links.ts';

const PER_PAGE = 20;

const list = (s: string | undefined) => (s ? s.split(/[,\s]+/).filter(Boolean) : []);
const fen = z.coerce.number().int().min(0).max(1e10).optional();
/** Pages beyond 50 (1,000 rows) are not offered: one request reads at most page × 20 + 1 rows. */
const PAGE = z.coerce.number().int().min(1).max(50).optional();
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
  page: PAGE,
});
const hotelParams = z.object({
  lat,
  lng,
  city: z.string().max(50).optional(),
  min: fen,
  max: fen,
  /** In a city: best rated first (the default), or by price. */
  sort: z.enum(['rating', 'price_asc', 'price_desc']).optional(),
  /** Star levels: 「5」 or a range 「0-2」. */
  stars: z
    .string()
    .max(3)
    .transform((s, ctx) => starsOfParam(s) ?? (ctx.addIssue({ code: 'custom', message: 'stars: a level 0–5 or a range such as 0-2' }), z.NEVER))
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

export interface MobilePagesOptions {
  readonly search: CatalogueSearch;
  /** The public base URL links are built on. */
  readonly baseUrl: () => string;
  readonly clock?: Clock;
}

export function mobilePages(options: MobilePagesOptions): Router {
  const { search, clock = systemClock } = options;
  const router = express.Router();

  const send = (res: Response, status: number, title: string, body: Html) => {
    res.status(status).set(PAGE_HEADERS).type('html').send(page(title, body));
  };
  const notFound = (res: Response, what: string) =>
    send(res, 404, '没有找到', html`<p class="empty">${what}不存在或已下架。</p>`);
  const badRequest = (res: Response) => send(res, 400, '链接有误', html`<p class="empty">这个链接的参数不对，请回到公众号重新查询。</p>`);
  const ctx = (req: Request): { account: AccountId; links: Links } => {
    const account = accountId(String(req.params.account));
    return { account, links: createLinks(options.baseUrl(), account) };
  };

  router.get('/m/:account/products', (req, res) => {
    const parsed = productParams.safeParse(req.query);
    if (!parsed.success) return badRequest(res);
    const p = parsed.data;
    const { account, links } = ctx(req);
    let query: Omit<ProductQuery, 'limit' | 'exclude'>;
    let label: string;
    if (p.q) {
      const u = search.understand(p.q);
      query = {
        terms: [...u.slots.keywords, ...u.slots.attributes], categories: u.slots.categories, brands: u.slots.brands,
        audience: u.slots.audience, minPriceFen: u.slots.price?.minFen ?? null, maxPriceFen: u.slots.price?.maxFen ?? null,
        sort: u.slots.sort === 'price_asc' || u.slots.sort === 'price_desc' ? u.slots.sort : 'relevance',
      };
      label = p.q;
    } else {
      query = {
        terms: list(p.terms), categories: list(p.cat), brands: list(p.brand), audience: p.audience ?? null,
        minPriceFen: p.min ?? null, maxPriceFen: p.max ?? null, sort: p.sort ?? 'relevance',
      };
      label = p.label ?? [...query.brands, ...query.categories.map((c) => c.split('/').pop()), ...query.terms].join(' ');
    }
    const pageNo = p.page ?? 1;
    // The index pages by exclusion; collect the skus of earlier pages first (pages are short).
    const before = pageNo > 1 ? search.products(account, { ...query, limit: (pageNo - 1) * PER_PAGE }).hits.map((h) => h.product.sku) : [];
    const result = search.products(account, { ...query, exclude: new Set(before), limit: PER_PAGE });
    const title = `「${label || '全部商品'}」`;
    if (result.hits.length === 0) {
      return send(res, 200, title, pageNo > 1 && before.length > 0
        ? pastTheEnd(req)
        : html`<p class="empty">没有找到符合条件的商品，回到公众号换个说法试试。</p>`);
    }
    send(res, 200, title, html`
      <p class="meta">共 ${result.total + before.length} 件，第 ${pageNo} 页</p>
      ${result.hits.map(({ product }) => productRow(product, links))}
      ${pager(req, pageNo, result.total > result.hits.length)}`);
  });

  router.get('/m/:account/p/:sku', (req, res) => {
    const { account } = ctx(req);
    const p = search.product(account, String(req.params.sku));
    if (!p) return notFound(res, '这件商品');
    const buy = safeUrl(p.url);
    send(res, 200, p.title, html`
      ${image(p.imageUrl, 'hero')}
      <div class="card">
        <p class="title">${p.title}</p>
        <p><span class="price">${yuan(p.priceFen)}</span>${p.originalPriceFen && p.originalPriceFen > p.priceFen ? html`<span class="orig">${yuan(p.originalPriceFen)}</span>` : ''}</p>
        <p class="meta">${[p.brand, p.category.join(' / '), p.stock === 0 ? '已售罄' : p.stock !== null && p.stock <= 10 ? `仅剩${p.stock}件` : null].filter(Boolean).join(' · ')}</p>
        ${p.description ? html`<p>${p.description}</p>` : ''}
        ${buy && isInStock(p) ? html`<a class="buy" href="${buy}" rel="noopener noreferrer">去购买</a>` : ''}
      </div>`);
  });

  router.get('/m/:account/hotels', (req, res) => {
    const parsed = hotelParams.safeParse(req.query);
    if (!parsed.success) return badRequest(res);
    const q = parsed.data;
    const { account, links } = ctx(req);
    const stars = q.stars ?? null;
    const near = q.lat !== undefined && q.lng !== undefined ? { lat: q.lat, lng: q.lng } : null;
    if (!near && !q.city) return badRequest(res);
    const where = near ? { near, label: '' } : { city: q.city! };
    const n = q.page ?? 1;
    // One more than the pages so far tells whether there is a next page.
    const rows = findHotels(search, account, {
      where, minPriceFen: q.min ?? null, maxPriceFen: q.max ?? null, ...(q.sort ? { sort: q.sort } : {}), ...(stars ? { stars } : {}),
    }, { limit: n * PER_PAGE + 1 });
    const kind = `${stars?.label ?? ''}酒店`;
    const title = near ? `附近的${kind}` : `${q.city}的${kind}`;
    const shown = rows.slice((n - 1) * PER_PAGE, n * PER_PAGE);
    send(res, 200, title, shown.length
      ? html`${shown.map((r) => hotelRow(r.hotel, r.km, links))}${pager(req, n, rows.length > n * PER_PAGE)}`
      : n > 1 && rows.length > 0 ? pastTheEnd(req) : html`<p class="empty">暂时没有符合条件的酒店。</p>`);
  });

  router.get('/m/:account/h/:id', (req, res) => {
    const { account } = ctx(req);
    const h = search.hotel(account, String(req.params.id));
    if (!h) return notFound(res, '这家酒店');
    const book = safeUrl(h.url);
    send(res, 200, h.name, html`
      ${image(h.imageUrl, 'hero')}
      <div class="card">
        <p class="title">${h.name}</p>
        ${h.priceFen !== null ? html`<p><span class="price">${yuan(h.priceFen)}</span> 起/晚</p>` : ''}
        <p class="meta">${[h.rating !== null ? `评分 ${h.rating.toFixed(1)}` : null, h.stars ? `${h.stars}星` : null, ...h.tags].filter(Boolean).join(' · ')}</p>
        <p>${addressLine(h.address, h.city, h.district)}</p>
        ${h.phone ? html`<p>电话：${h.phone}</p>` : ''}
        ${book ? html`<a class="buy" href="${book}" rel="noopener noreferrer">预订</a>` : ''}
      </div>`);
  });

  router.get('/m/:account/deals', (req, res) => {
    const parsed = dealParams.safeParse(req.query);
    if (!parsed.success) return badRequest(res);
    const q = parsed.data;
    const { account, links } = ctx(req);
    const n = q.page ?? 1;
    const near = q.lat !== undefined && q.lng !== undefined ? { near: { lat: q.lat, lng: q.lng } } : {};
    const filter: DealSearch = {
      city: q.city, category: q.cat ?? null, keywords: list(q.q), minPriceFen: q.min ?? null, maxPriceFen: q.max ?? null, sort: q.sort ?? 'discount', ...near,
    };
    const deals = findDeals(search, account, filter, clock.now(), { limit: n * PER_PAGE + 1 });
    const shown = deals.slice((n - 1) * PER_PAGE, n * PER_PAGE);
    send(res, 200, describeDeals(filter), shown.length
      ? html`${shown.map((d) => dealRow(d, links))}${pager(req, n, deals.length > n * PER_PAGE)}`
      : n > 1 && deals.length > 0 ? pastTheEnd(req) : html`<p class="empty">暂时没有进行中的团购。</p>`);
  });

  router.get('/m/:account/d/:id', (req, res) => {
    const { account } = ctx(req);
    const d = search.deal(account, String(req.params.id));
    if (!d) return notFound(res, '这个团购');
    const live = isLiveDeal(d, clock.now());
    const buy = safeUrl(d.url);
    send(res, 200, d.title, html`
      ${image(d.imageUrl, 'hero')}
      <div class="card">
        <p class="title">${d.title}</p>
        <p><span class="price">${yuan(d.priceFen)}</span>${d.originalPriceFen && d.originalPriceFen > d.priceFen ? html`<span class="orig">${yuan(d.originalPriceFen)}</span>` : ''}</p>
        <p class="meta">${[d.merchant, d.city, d.district, d.category].filter(Boolean).join(' · ')}</p>
        ${d.endsAt ? html`<p class="meta">有效期至 ${new Date(d.endsAt).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })}</p>` : ''}
        ${!live ? html`<p class="empty">已结束或已售罄</p>` : buy ? html`<a class="buy" href="${buy}" rel="noopener noreferrer">去抢购</a>` : ''}
      </div>`);
  });

  return router;
}

/** A page number beyond the list (an old link, a list that shrank): not "nothing matches", but where to go. */
function pastTheEnd(req: Request): Html {
  return html`<p class="empty">已经翻到最后啦。<a href="${withPage(req, 1)}">回到第一页 ›</a></p>`;
}

/** ‹ 上一页 · 下一页 › links around page `n` of a list. */
function pager(req: Request, n: number, hasNext: boolean): Html {
  const prev = n > 1 ? html`<a href="${withPage(req, n - 1)}">‹ 上一页</a>` : html`<span></span>`;
  const next = hasNext ? html`<a href="${withPage(req, n + 1)}">下一页 ›</a>` : html`<span></span>`;
  return html`<div class="pager">${prev}${next}</div>`;
}

function withPage(req: Request, n: number): string {
  const params = new URLSearchParams(req.query as Record<string, string>);
  params.set('page', String(n));
  return `${req.baseUrl}${req.path}?${params}`;
}

function image(url: string | null, cls = ''): Html {
  const safe = safeUrl(url);
  return safe ? html`<img class="${cls}" src="${safe}" alt="" loading="lazy">` : html`<img class="${cls}" alt="">`;
}

function productRow(p: Product, links: Links): Html {
  return html`<a class="item" href="${links.product(p.sku)}">${image(p.imageUrl)}<div>
    <p class="title">${p.title}</p>
    <span class="price">${yuan(p.priceFen)}</span>${p.originalPriceFen && p.originalPriceFen > p.priceFen ? html`<span class="orig">${yuan(p.originalPriceFen)}</span>` : ''}
    <p class="meta">${p.brand ?? ''}</p></div></a>`;
}

function hotelRow(h: Hotel, km: number | null, links: Links): Html {
  return html`<a class="item" href="${links.hotel(h.id)}">${image(h.imageUrl)}<div>
    <p class="title">${h.name}</p>
    ${h.priceFen !== null ? html`<span class="price">${yuan(h.priceFen)}</span> 起` : ''}
    <p class="meta">${[km !== null ? distance(km) : h.district, h.rating !== null ? `${h.rating.toFixed(1)}分` : null].filter(Boolean).join(' · ')}</p></div></a>`;
}

function dealRow(d: Deal, links: Links): Html {
  return html`<a class="item" href="${links.deal(d.id)}">${image(d.imageUrl)}<div>
    <p class="title">${d.title}</p>
    <span class="price">${yuan(d.priceFen)}</span>${d.originalPriceFen && d.originalPriceFen > d.priceFen ? html`<span class="orig">${yuan(d.originalPriceFen)}</span>` : ''}
    <p class="meta">${[d.merchant, d.district].filter(Boolean).join(' · ')}</p></div></a>`;
}
