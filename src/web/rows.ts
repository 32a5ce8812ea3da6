/**
 * How one product, hotel or deal is shown in a list (a row) and under an item page (a cell of the
 * 「更多」 grid). Pure: item in, HTML out; the link is the caller's.
 */
import { distance, yuan } from '../agent/format.ts';
import type { Deal, Hotel, Product } from '../catalogue/types.ts';
import { html, type Html } from './html.ts';
import { picture } from './pictures.ts';

/** 「5.5折」 for ¥169 instead of ¥309; null without a real discount. */
function discountLabel(priceFen: number, originalFen: number | null): string | null {
  if (originalFen === null || !(originalFen > priceFen) || priceFen < 0) return null;
  const tenths = Math.round((priceFen / originalFen) * 100) / 10;
  return tenths >= 9.95 ? null : `${Math.max(0.1, tenths)}折`;
}

/** ¥169 ~~¥309~~ 5.5折 */
export function priceLine(priceFen: number, originalFen: number | null): Html {
  const off = discountLabel(priceFen, originalFen);
  return html`<span class="price">${yuan(priceFen)}</span>${off ? html`<span class="orig">${yuan(originalFen!)}</span><span class="off">${off}</span>` : ''}`;
}

/** The leaf of a category path: 连衣裙 for 女装/连衣裙. */
export const leafOf = (category: readonly string[]): string => category[category.length - 1] ?? '';

/** 「已售罄」, 「仅剩3件」, or nothing while there is plenty (or nobody counts). */
function stockNote(stock: number | null): string | null {
  if (stock === null) return null;
  return stock === 0 ? '已售罄' : stock <= 10 ? `仅剩${stock}件` : null;
}

export const productPicture = (p: Product, cls = '') => picture({ imageUrl: p.imageUrl, name: p.title, caption: leafOf(p.category) }, cls);
export const hotelPicture = (h: Hotel, cls = '') => picture({ imageUrl: h.imageUrl, name: h.name, caption: h.district ?? '酒店' }, cls);
export const dealPicture = (d: Deal, cls = '') => picture({ imageUrl: d.imageUrl, name: d.title, caption: d.category ?? '团购' }, cls);

const meta = (parts: readonly (string | null | undefined)[]): Html => {
  const shown = parts.filter(Boolean);
  return shown.length ? html`<p class="meta">${shown.join(' · ')}</p>` : html``;
};

export function productRow(p: Product, href: string): Html {
  return html`<a class="item" href="${href}">${productPicture(p)}<div class="info">
<p class="title">${p.title}</p>${priceLine(p.priceFen, p.originalPriceFen)}${meta([p.brand, leafOf(p.category), stockNote(p.stock)])}</div></a>`;
}

export function hotelRow(h: Hotel, km: number | null, href: string): Html {
  return html`<a class="item" href="${href}">${hotelPicture(h)}<div class="info">
<p class="title">${h.name}</p>${h.priceFen !== null ? html`<span class="price">${yuan(h.priceFen)}</span> 起` : ''}${meta([
    km !== null ? distance(km) : h.district,
    h.rating !== null ? `${h.rating.toFixed(1)}分` : null,
    h.stars ? `${h.stars}星` : null,
  ])}</div></a>`;
}

export function dealRow(d: Deal, km: number | null, href: string): Html {
  return html`<a class="item" href="${href}">${dealPicture(d)}<div class="info">
<p class="title">${d.title}</p>${priceLine(d.priceFen, d.originalPriceFen)}${meta([d.merchant, km !== null ? distance(km) : d.district])}</div></a>`;
}

/** A cell of the 「更多」 grid under an item page. */
export function cell(pic: Html, title: string, price: string, href: string): Html {
  return html`<a href="${href}">${pic}<p>${title}</p><span class="price">${price}</span></a>`;
}
