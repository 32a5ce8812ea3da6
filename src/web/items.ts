/**
 * The item pages: a product, a hotel, a deal. Above the fold at 390×844: the picture, the price and the
 * title; then every fact the catalogue has, the description, the merchant's own link, and a few more of
 * the same kind, so the page is never a picture over a blank screen. No fixed bottom bar here: the bottom
 * of the screen is left to ordering (issue 14).
 */
import { addressLine, yuan } from '../agent/format.ts';
import { isInStock, isLiveDeal, type Deal, type Hotel, type Product } from '../catalogue/types.ts';
import { safeUrl } from '../core/page-links.ts';
import { html, type Html } from './html.ts';
import { listHref, listState } from './list-controls.ts';
import { cell, dealPicture, hotelPicture, leafOf, priceLine, productPicture } from './rows.ts';

/** What an item page needs besides the item: how to link to an item, keeping where the follower came from. */
export interface ItemLinks {
  readonly product: (sku: string) => string;
  readonly hotel: (id: string) => string;
  readonly deal: (id: string) => string;
}

export interface ItemPage {
  readonly title: string;
  /** The list to go back to when the page was not opened from one. */
  readonly back: { readonly href: string; readonly label: string };
  readonly body: Html;
}

/** A list of these pages, relative to an item page (`../products?cat=…`). */
const list = (kind: 'products' | 'hotels' | 'deals', params: Record<string, string | null>) => {
  const query = listHref(listState(params));
  return query === '?' ? `../${kind}` : `../${kind}${query}`;
};

const chips = (words: readonly (string | null)[]): Html => {
  const shown = words.filter((w): w is string => !!w);
  return shown.length ? html`<ul class="chips">${shown.map((w) => html`<li>${w}</li>`)}</ul>` : html``;
};

const facts = (rows: readonly (readonly [string, Html | string | null])[]): Html =>
  html`<dl class="facts">${rows.filter(([, v]) => v !== null && v !== '').map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;

const more = (title: string, all: string, cells: readonly Html[]): Html =>
  cells.length ? html`<div class="section"><h2>${title}</h2><a class="more" href="${all}">查看全部 ›</a></div><div class="grid">${cells}</div>` : html``;

const stockFact = (stock: number | null, unit: string): string | null =>
  stock === null ? null : stock === 0 ? '已售罄' : stock <= 10 ? `仅剩 ${stock} ${unit}` : `${stock} ${unit}`;

const date = (ms: number) => new Date(ms).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });

/**
 * A product, with up to four others of its category. With `orderHref` (ordering on), a bar fixed at the bottom
 * carries the price and 立即下单, and the merchant's own link becomes a plain one.
 */
export function productPage(p: Product, similar: readonly Product[], links: ItemLinks, orderHref: string | null = null): ItemPage {
  const leaf = leafOf(p.category);
  const categoryList = list('products', { cat: p.category.join('/'), label: leaf });
  const path = p.category.map((_, i) => html`${i ? ' › ' : ''}<a href="${list('products', { cat: p.category.slice(0, i + 1).join('/'), label: p.category[i]! })}">${p.category[i]}</a>`);
  const buy = safeUrl(p.url);
  return {
    title: p.title,
    back: { href: categoryList, label: leaf ? `全部${leaf}` : '全部商品' },
    body: html`${productPicture(p, 'hero')}
<div class="card"><p class="prices">${priceLine(p.priceFen, p.originalPriceFen)}</p><h1 class="title">${p.title}</h1>${chips(p.tags)}</div>
<div class="card"><h2>商品信息</h2>${facts([
      ['品牌', p.brand],
      ['分类', p.category.length ? html`${path}` : null],
      ['库存', stockFact(p.stock, '件')],
      ['编号', p.sku],
    ])}${!isInStock(p) ? html`<p class="ended">已售罄</p>` : orderHref ? (buy ? html`<p class="center"><a class="more" href="${buy}" rel="noopener noreferrer">去商家网店看看 ›</a></p>` : '') : buy ? html`<a class="buy" href="${buy}" rel="noopener noreferrer">去购买</a>` : ''}</div>
${p.description ? html`<div class="card"><h2>商品详情</h2><p class="desc">${p.description}</p></div>` : ''}
${more(`更多${leaf || '商品'}`, categoryList, similar.map((s) => cell(productPicture(s), s.title, yuan(s.priceFen), links.product(s.sku))))}
${orderHref && isInStock(p) ? html`<div class="barspace"></div><div class="orderbar"><span class="price">${yuan(p.priceFen)}</span><span class="meta">货到付款</span><a class="order" href="${orderHref}">立即下单</a></div>` : ''}`,
  };
}

/** A hotel, with up to four others in its city. */
export function hotelPage(h: Hotel, others: readonly Hotel[], links: ItemLinks): ItemPage {
  const cityList = list('hotels', { city: h.city });
  const book = safeUrl(h.url);
  const phone = h.phone?.replace(/[^\d+-]/g, '') ?? '';
  return {
    title: h.name,
    back: { href: cityList, label: `${h.city}酒店` },
    body: html`${hotelPicture(h, 'hero')}
<div class="card">${h.priceFen !== null ? html`<p class="prices"><span class="price">${yuan(h.priceFen)}</span> 起/晚</p>` : ''}<h1 class="title">${h.name}</h1>${chips([
      h.rating !== null ? `评分 ${h.rating.toFixed(1)}` : null,
      h.stars ? `${h.stars}星级` : null,
      ...h.tags,
    ])}</div>
<div class="card"><h2>酒店信息</h2>${facts([
      ['地址', addressLine(h.address, h.city, h.district)],
      ['电话', h.phone ? (phone ? html`<a href="tel:${phone}">${h.phone}</a>` : h.phone) : null],
    ])}${book ? html`<a class="buy" href="${book}" rel="noopener noreferrer">预订</a>` : ''}</div>
${more(`更多${h.city}酒店`, cityList, others.map((o) => cell(hotelPicture(o), o.name, o.priceFen !== null ? `${yuan(o.priceFen)} 起` : '', links.hotel(o.id))))}`,
  };
}

/** A deal, with up to four other live ones of its city and category. */
export function dealPage(d: Deal, others: readonly Deal[], now: number, links: ItemLinks): ItemPage {
  const cityList = list('deals', { city: d.city, cat: d.category });
  const live = isLiveDeal(d, now);
  const buy = safeUrl(d.url);
  const valid = d.endsAt ? `${d.startsAt ? `${date(d.startsAt)} 至 ` : '至 '}${date(d.endsAt)}` : null;
  return {
    title: d.title,
    back: { href: cityList, label: `${d.city}${d.category ?? ''}团购` },
    body: html`${dealPicture(d, 'hero')}
<div class="card"><p class="prices">${priceLine(d.priceFen, d.originalPriceFen)}</p><h1 class="title">${d.title}</h1>${chips([d.category, d.district])}</div>
<div class="card"><h2>团购信息</h2>${facts([
      ['商家', d.merchant],
      ['地区', addressLine(d.district, d.city)],
      ['有效期', valid],
      ['库存', stockFact(d.stock, '份')],
    ])}${!live ? html`<p class="ended">已结束或已售罄</p>` : buy ? html`<a class="buy" href="${buy}" rel="noopener noreferrer">去抢购</a>` : ''}</div>
${more(`更多${d.city}${d.category ?? ''}团购`, cityList, others.map((o) => cell(dealPicture(o), o.title, yuan(o.priceFen), links.deal(o.id))))}`,
  };
}
