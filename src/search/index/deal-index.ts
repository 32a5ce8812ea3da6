/**
 * Group-buy deals by city: the live ones (started, not ended, not sold out — `isLiveDeal`), deepest
 * discount first, and what exists when nothing fits. Small per city, so a sort per question is cheap.
 */
import type { AccountId } from '../../core/messages.ts';
import { isLiveDeal, type Deal } from '../../catalogue/types.ts';
import { cityKey } from './geo-index.ts';

export interface LiveDealsQuery {
  readonly city: string;
  /** 美食, 电影, KTV…; compared without case and width (ktv = KTV). Omitted or null: any. */
  readonly category?: string | null;
  /** ms since the epoch (the injected clock). */
  readonly now: number;
  readonly limit: number;
  /** Deal ids already shown. */
  readonly exclude?: ReadonlySet<string>;
}

export interface DealIndex {
  /** Adds or replaces the deal with this account and id. */
  upsert(d: Deal): void;
  /** Removes a deal; false when it was not there. */
  remove(account: AccountId, id: string): boolean;
  size(account?: AccountId): number;
  /** Live deals of a city, deepest discount first, then cheaper, then by id. */
  live(account: AccountId, q: LiveDealsQuery): Deal[];
  /** Cities with deals, most first; with `now`, only deals live then count. */
  cities(account: AccountId, options?: { readonly now?: number }): string[];
  /** Deal categories, most first; optionally within a city and only live deals. */
  categories(account: AccountId, options?: { readonly city?: string; readonly now?: number }): string[];
}

const categoryKey = (c: string): string => c.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** 0 when there is no (higher) original price; else the fraction saved, e.g. 0.35. */
function discountDepth(d: Pick<Deal, 'priceFen' | 'originalPriceFen'>): number {
  const o = d.originalPriceFen;
  if (o === null || !(o > d.priceFen) || o <= 0) return 0;
  return 1 - d.priceFen / o;
}

function compareDeals(a: Deal, b: Deal): number {
  // Whole percents, so 34.9 % and 35.1 % count as the same depth and the cheaper one wins.
  const depth = Math.round(discountDepth(b) * 100) - Math.round(discountDepth(a) * 100);
  return depth || a.priceFen - b.priceFen || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

interface Shard {
  readonly byId: Map<string, Deal>;
  readonly byCity: Map<string, Map<string, Deal>>;
}

/**
 * Creates an empty deal index.
 *
 * @example
 * const deals = createDealIndex();
 * deals.upsert(deal);
 * deals.live(account, { city: '上海', category: '美食', now: clock.now(), limit: 5 });
 */
export function createDealIndex(): DealIndex {
  const shards = new Map<AccountId, Shard>();

  function upsert(d: Deal): void {
    let s = shards.get(d.account);
    if (!s) {
      s = { byId: new Map(), byCity: new Map() };
      shards.set(d.account, s);
    }
    const old = s.byId.get(d.id);
    if (old) {
      const oldKey = cityKey(old.city);
      const oldCity = s.byCity.get(oldKey);
      oldCity?.delete(old.id);
      if (oldCity?.size === 0) s.byCity.delete(oldKey);
    }
    s.byId.set(d.id, d);
    const key = cityKey(d.city);
    let city = s.byCity.get(key);
    if (!city) {
      city = new Map();
      s.byCity.set(key, city);
    }
    city.set(d.id, d);
  }

  function remove(account: AccountId, id: string): boolean {
    const s = shards.get(account);
    const d = s?.byId.get(id);
    if (!s || !d) return false;
    s.byId.delete(id);
    const key = cityKey(d.city);
    const city = s.byCity.get(key);
    city?.delete(id);
    if (city?.size === 0) s.byCity.delete(key);
    return true;
  }

  function size(account?: AccountId): number {
    if (account !== undefined) return shards.get(account)?.byId.size ?? 0;
    let n = 0;
    for (const s of shards.values()) n += s.byId.size;
    return n;
  }

  function live(account: AccountId, q: LiveDealsQuery): Deal[] {
    const city = shards.get(account)?.byCity.get(cityKey(q.city));
    const limit = Math.max(0, Math.floor(q.limit));
    if (!city || limit === 0) return [];
    const category = q.category ? categoryKey(q.category) : null;
    const out: Deal[] = [];
    for (const d of city.values()) {
      if (!isLiveDeal(d, q.now)) continue;
      if (category !== null && (d.category === null || categoryKey(d.category) !== category)) continue;
      if (q.exclude?.has(d.id)) continue;
      out.push(d);
    }
    return out.sort(compareDeals).slice(0, limit);
  }

  /** Names (as first seen) grouped by `group`, most deals first, then by name. */
  function countBy(deals: Iterable<Deal>, name: (d: Deal) => string | null, group: (name: string) => string, now: number | undefined): string[] {
    const counts = new Map<string, { name: string; n: number }>();
    for (const d of deals) {
      if (now !== undefined && !isLiveDeal(d, now)) continue;
      const n = name(d);
      const k = n === null ? '' : group(n);
      if (n === null || k === '') continue;
      const c = counts.get(k);
      if (c) c.n++;
      else counts.set(k, { name: n, n: 1 });
    }
    return [...counts.values()].sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((c) => c.name);
  }

  function cities(account: AccountId, options: { readonly now?: number } = {}): string[] {
    const s = shards.get(account);
    if (!s) return [];
    return countBy(s.byId.values(), (d) => d.city, cityKey, options.now);
  }

  function categories(account: AccountId, options: { readonly city?: string; readonly now?: number } = {}): string[] {
    const s = shards.get(account);
    if (!s) return [];
    const deals = options.city === undefined ? s.byId.values() : (s.byCity.get(cityKey(options.city))?.values() ?? []);
    return countBy(deals, (d) => d.category, categoryKey, options.now);
  }

  return { upsert, remove, size, live, cities, categories };
}
