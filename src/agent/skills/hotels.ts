/**
 * Hotels: nearest to a location (a location message, or the follower's last known location), or the
 * best in a city, optionally under a price; with distance, price and rating.
 */
import type { Hotel } from '../../catalogue/types.ts';
import type { CatalogueSearch } from '../../search/catalogue-search.ts';
import type { TurnContext } from '../context.ts';
import type { AccountId } from '../../core/messages.ts';
import { plain, rangeLabel } from '../format.ts';
import { hotelList, PAGE_SIZE } from '../replies.ts';
import { text } from '../../core/messages.ts';
import type { Shown, StarRange } from './conversation.ts';
import { itemLinks } from './item-links.ts';
import { priceNote } from './prices.ts';

/** Farther than this is not "nearby". */
const NEARBY_KM = 20;
/** A remembered location older than this is not used for 「酒店」 without a place. */
export const LOCATION_FRESH_MS = 24 * 3600_000;

type HotelsShown = Extract<Shown, { kind: 'hotels' }>;

const SCAN_LIMIT = 1000;

/** What a hotel list is: where, prices, order and star levels (no ids). */
export type HotelSearch = Omit<HotelsShown, 'kind' | 'ids'>;

/**
 * The hotels of a list in its order, at most `limit` after the excluded ones: the chat's lists and
 * the mobile hotels page share it.
 * @example findHotels(search, account, { where: { city: '上海' }, minPriceFen: null, maxPriceFen: null, stars }, { limit: 6 })
 */
export function findHotels(
  search: CatalogueSearch,
  account: AccountId,
  filter: HotelSearch,
  options: { readonly limit: number; readonly exclude?: ReadonlySet<string> },
): { hotel: Hotel; km: number | null }[] {
  const stars = filter.stars;
  const exclude = options.exclude ?? new Set<string>();
  // A star wish filters here (the indexes know no stars), so it scans a whole city.
  const limit = stars ? SCAN_LIMIT : exclude.size + options.limit;
  const prices = { minPriceFen: filter.minPriceFen, maxPriceFen: filter.maxPriceFen };
  const found =
    'near' in filter.where
      ? search.hotelsNear(account, filter.where.near, { limit, maxKm: NEARBY_KM, ...prices }).map(({ hotel, km }) => ({ hotel, km: km as number | null }))
      : search.hotelsInCity(account, filter.where.city, { limit, sort: filter.sort ?? 'rating', ...prices }).map((hotel) => ({ hotel, km: null }));
  const fits = (h: Hotel) => !stars || (h.stars !== null && h.stars >= stars.min && h.stars <= stars.max);
  return found.filter(({ hotel }) => !exclude.has(hotel.id) && fits(hotel)).slice(0, options.limit);
}

/** The hotels of `search` after the ones already shown: a page, and one more if there is a next page. */
function page(ctx: TurnContext, search: Omit<HotelsShown, 'kind'>, limit = PAGE_SIZE + 1): { hotel: Hotel; km: number | null }[] {
  const { ids, ...filter } = search;
  return findHotels(ctx.search, ctx.inbound.account, filter, { limit, exclude: new Set(ids) });
}

/** A hotel list's search without the ids shown. */
export function hotelSearchOf(shown: HotelsShown): HotelSearch {
  const { ids: _ids, kind: _kind, ...search } = shown;
  return search;
}

/** The `stars` parameter of a hotels page (「5」, 「0-2」), and back. */
function starParam(stars: StarRange | undefined): string | null {
  if (!stars) return null;
  return stars.min === stars.max ? String(stars.min) : `${stars.min}-${stars.max}`;
}

/** Reads a `stars` parameter (「5」, 「0-2」); the label is the star word (五星级, 经济型). */
export function starsOfParam(param: string): StarRange | null {
  const m = /^([0-5])(?:-([0-5]))?$/.exec(param);
  if (!m) return null;
  const [min, max] = [Number(m[1]), Number(m[2] ?? m[1])];
  if (min > max) return null;
  const label = max <= 2 ? '经济型' : min === max ? `${STAR_DIGITS[min]}星级` : `${min}–${max}星`;
  return { min, max, label };
}

/** 「酒店」, 「五星级酒店」. */
const kind = (search: Pick<HotelsShown, 'stars'>): string => `${search.stars?.label.replace(/酒店$/, '') ?? ''}酒店`;

/** Are there hotels for `shown` after the ones already shown? */
export function hasMoreHotels(ctx: TurnContext, shown: HotelsShown): boolean {
  return page(ctx, shown, 1).length > 0;
}

/**
 * The star level a message asks for (「五星级酒店」, 「经济型的」), or null.
 * @example starWish('上海 五星级酒店') // { min: 5, max: 5, label: '五星级' }
 */
export function starWish(normalized: string): StarRange | null {
  for (const [pattern, min, max] of STAR_WORDS) {
    const m = pattern.exec(normalized);
    // 5星级 reads as 五星级 in lead lines.
    if (m) return { min, max, label: m[0].replace(/\d/, (d) => STAR_DIGITS[Number(d)]!) };
  }
  return null;
}

const STAR_DIGITS = '零一二三四五';
const STAR_WORDS: readonly (readonly [RegExp, number, number])[] = [
  [/(?:五|(?<!\d)5)星级?|豪华型?/, 5, 5],
  [/(?:四|(?<!\d)4)星级?|高档型?/, 4, 4],
  [/(?:三|(?<!\d)3)星级?|舒适型/, 3, 3],
  [/(?:二|两|(?<!\d)2)星级?|经济型|快捷酒店|平价/, 0, 2],
];

/** The orders a hotel list can take. */
export const HOTEL_ORDERS: readonly NonNullable<HotelSearch['sort']>[] = ['price_asc', 'price_desc', 'rating'];

/** Answers with the first page for `search`, or says what exists instead. */
export function answerHotels(ctx: TurnContext, search: HotelSearch): void {
  const found = page(ctx, { ...search, ids: [] });
  const first = found.slice(0, PAGE_SIZE);
  ctx.note({ resultIds: first.map((h) => h.hotel.id) });
  if (first.length === 0) {
    ctx.answer(text(noHotels(ctx, search)), 'hotels_none');
    return;
  }
  const lead =
    'near' in search.where
      ? `离${search.where.label ? `「${plain(search.where.label)}」` : '你'}最近的${kind(search)}${priceNote(search)}：`
      : `${search.where.city}${search.sort === 'price_asc' ? '最便宜' : search.sort === 'price_desc' ? '最贵' : '评分最高'}的${kind(search)}${priceNote(search)}：`;
  ctx.answer(render(ctx, search, first, lead, 1, found.length > first.length), 'hotels');
  const city = 'city' in search.where ? search.where.city : ctx.session.city;
  ctx.session = { shown: { kind: 'hotels', ...search, ids: first.map((h) => h.hotel.id) }, city };
}

/** The next page of the last hotel list. */
export function moreHotels(ctx: TurnContext, shown: HotelsShown): void {
  const found = page(ctx, shown);
  const next = found.slice(0, PAGE_SIZE);
  ctx.note({ intent: 'hotel', resultIds: next.map((h) => h.hotel.id) });
  if (next.length === 0) {
    const where = 'near' in shown.where ? '附近的' : shown.where.city;
    ctx.answer(text(`${where}${kind(shown)}就这么多啦，一共 ${shown.ids.length} 家。回复序号看详情，或者发个新位置给我。`), 'more_end');
    return;
  }
  const ids = [...shown.ids, ...next.map((h) => h.hotel.id)];
  ctx.answer(render(ctx, shown, next, `${rangeLabel(shown.ids.length + 1, ids.length, '家')}：`, shown.ids.length + 1, found.length > next.length), 'more');
  ctx.session = { ...ctx.session, shown: { ...shown, ids } };
}

function render(ctx: TurnContext, search: HotelSearch, hotels: { hotel: Hotel; km: number | null }[], lead: string, first: number, more: boolean) {
  const links = ctx.links;
  const pageUrl = links.hotels({
    ...('near' in search.where ? { lat: search.where.near.lat.toFixed(5), lng: search.where.near.lng.toFixed(5) } : { city: search.where.city }),
    min: search.minPriceFen,
    max: search.maxPriceFen,
    sort: 'city' in search.where && search.sort !== 'rating' ? search.sort : null,
    stars: starParam(search.stars),
  });
  return hotelList({ lead, first, more, pageUrl }, hotels, itemLinks(links));
}

function noHotels(ctx: TurnContext, search: HotelSearch): string {
  const cities = ctx.search.hotelCities(ctx.inbound.account);
  const elsewhere = cities.length ? `目前可以查：${cities.slice(0, 6).join('、')}，比如回复「${cities[0]}酒店」。` : '';
  if (search.stars && page(ctx, { ...search, stars: undefined, ids: [] }).length) {
    const where = 'near' in search.where ? `附近${NEARBY_KM}公里内` : search.where.city;
    const within = priceNote(search).slice(1, -1);
    return `${where}暂时没有${within}${within ? '的' : ''}${kind(search)}😅 回复「${'near' in search.where ? '' : search.where.city}酒店」看看全部。`;
  }
  if ('near' in search.where) {
    if (search.maxPriceFen !== null || search.minPriceFen !== null) {
      const any = ctx.search.hotelsNear(ctx.inbound.account, search.where.near, { limit: 1, maxKm: NEARBY_KM });
      if (any.length) return `附近${NEARBY_KM}公里内没有${priceNote(search).slice(1, -1)}的酒店😅 去掉价格再看看？回复「酒店」。`;
    }
    return `附近${NEARBY_KM}公里内暂时没有合作酒店😅 ${elsewhere}`;
  }
  if (cities.includes(search.where.city) && (search.maxPriceFen !== null || search.minPriceFen !== null)) {
    return `${search.where.city}暂时没有${priceNote(search).slice(1, -1)}的酒店😅 回复「${search.where.city}酒店」看看全部。`;
  }
  return `暂时没有${search.where.city}的酒店😅 ${elsewhere}`;
}
