/**
 * Result lists and cards as replies, within the platform's limits: a numbered text list with links
 * (one passive reply may carry only one article), a line on what to type next, and a link to the
 * mobile page; a follow-up number gets a single news card. Pure functions over data.
 */
import type { Deal, Hotel, Product, ProductSummary } from '../catalogue/types.ts';
import { safeUrl } from '../core/page-links.ts';
import { addressLine, distance, link, plain, shortTitle, yuan } from './format.ts';
import type { Article, Reply } from '../core/messages.ts';

export const PAGE_SIZE = 5;

export interface ListFrame {
  /** The lead line, e.g. 为你找到「连衣裙」共 37 件： */
  readonly lead: string;
  /** Number of the first item (items are numbered across pages: page 2 starts at 6). */
  readonly first: number;
  /** Are there more items after these? */
  readonly more: boolean;
  /** The mobile page with the whole list. */
  readonly pageUrl: string;
}

function list(frame: ListFrame, lines: readonly string[]): Reply {
  const next = frame.more ? '回复「更多」看下一页，回复序号看详情' : '回复序号看详情';
  const text = [
    frame.lead,
    ...lines.map((line, i) => `${frame.first + i}. ${line}`),
    next,
    `全部结果：${link(frame.pageUrl, '在手机上查看')}`,
  ].join('\n');
  return { type: 'text', text };
}

const priceWithOriginal = (price: number, original: number | null): string =>
  original !== null && original > price ? `${yuan(price)}（原价${yuan(original)}）` : yuan(price);

export interface LinkFor {
  product(p: ProductSummary): string;
  hotel(h: Hotel): string;
  deal(d: Deal): string;
}

export function productList(frame: ListFrame, products: readonly ProductSummary[], linkFor: LinkFor): Reply {
  return list(
    frame,
    products.map((p) => `${link(linkFor.product(p), shortTitle(p.title))} ${priceWithOriginal(p.priceFen, p.originalPriceFen)}`),
  );
}

export function hotelList(frame: ListFrame, hotels: readonly { hotel: Hotel; km: number | null }[], linkFor: LinkFor): Reply {
  return list(
    frame,
    hotels.map(({ hotel: h, km }) =>
      [
        `${link(linkFor.hotel(h), shortTitle(h.name))}`,
        h.priceFen !== null ? `${yuan(h.priceFen)}起` : null,
        km !== null ? distance(km) : h.district ? plain(h.district) : null,
        h.rating !== null ? `${h.rating.toFixed(1)}分` : null,
      ]
        .filter(Boolean)
        .join(' · '),
    ),
  );
}

export function dealList(frame: ListFrame, deals: readonly Deal[], linkFor: LinkFor): Reply {
  return list(
    frame,
    deals.map((d) =>
      [`${link(linkFor.deal(d), shortTitle(d.title))} ${priceWithOriginal(d.priceFen, d.originalPriceFen)}`, d.district ? plain(d.district) : null]
        .filter(Boolean)
        .join(' · '),
    ),
  );
}

const article = (a: Article): Reply => ({ type: 'news', articles: [a] });
const image = (url: string | null): { imageUrl?: string } => {
  const safe = safeUrl(url);
  return safe ? { imageUrl: safe } : {};
};

export function productCard(p: Product, url: string): Reply {
  const facts = [
    p.brand ? plain(p.brand) : null,
    p.originalPriceFen !== null && p.originalPriceFen > p.priceFen ? `原价${yuan(p.originalPriceFen)}` : null,
    p.stock !== null && p.stock > 0 && p.stock <= 10 ? `仅剩${p.stock}件` : null,
  ].filter(Boolean);
  return article({
    title: `${plain(shortTitle(p.title, 40))} ${yuan(p.priceFen)}`,
    description: [facts.join(' · '), p.description ? plain(p.description).slice(0, 80) : ''].filter(Boolean).join('\n'),
    url,
    ...image(p.imageUrl),
  });
}

export function hotelCard(h: Hotel, km: number | null, url: string): Reply {
  const facts = [
    h.priceFen !== null ? `${yuan(h.priceFen)}起/晚` : null,
    h.rating !== null ? `评分${h.rating.toFixed(1)}` : null,
    km !== null ? `距你${distance(km)}` : null,
    h.stars ? `${h.stars}星` : null,
  ].filter(Boolean);
  return article({
    title: plain(h.name),
    description: [facts.join(' · '), plain(addressLine(h.address, h.district)), h.phone ? `电话 ${plain(h.phone)}` : '']
      .filter(Boolean)
      .join('\n'),
    url,
    ...image(h.imageUrl),
  });
}

export function dealCard(d: Deal, url: string): Reply {
  const facts = [
    yuan(d.priceFen),
    d.originalPriceFen !== null && d.originalPriceFen > d.priceFen ? `原价${yuan(d.originalPriceFen)}` : null,
    d.merchant ? plain(d.merchant) : null,
    d.district ? plain(d.district) : null,
  ].filter(Boolean);
  return article({ title: plain(d.title), description: facts.join(' · '), url, ...image(d.imageUrl) });
}
