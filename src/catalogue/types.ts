/**
 * The catalogue: products, hotels and group-buy deals of an account. Money is integer fen (¥1 = 100 fen),
 * never floats; times are ms since the epoch; coordinates are GCJ-02 (what WeChat sends).
 */
import type { AccountId } from '../core/messages.ts';

export type CatalogueKind = 'products' | 'hotels' | 'deals';

export interface Product {
  readonly account: AccountId;
  readonly sku: string;
  readonly title: string;
  /** Category path, e.g. ['女装', '连衣裙'] (imported as `女装/连衣裙`). */
  readonly category: readonly string[];
  readonly priceFen: number;
  readonly originalPriceFen: number | null;
  readonly brand: string | null;
  readonly tags: readonly string[];
  /** null: not tracked (available); 0: sold out. */
  readonly stock: number | null;
  readonly imageUrl: string | null;
  readonly url: string | null;
  readonly description: string | null;
  /** What a buyer chooses between (sizes, colours: ['S', 'M', 'L']); absent or empty: none. */
  readonly variants?: readonly string[];
}

/**
 * What search, ranking and a list reply read of a product: all of it but what only its own page or card shows
 * (image, link, description, variants). The search holds these in memory, a million of them within its budget;
 * the rest is read from SQLite for the product shown (`CatalogueSearch.product`).
 */
export type ProductSummary = Omit<Product, 'imageUrl' | 'url' | 'description' | 'variants'>;

/** What a product's page or card shows besides its summary. */
export type ProductDetails = Pick<Product, 'imageUrl' | 'url' | 'description' | 'variants'>;

export interface Hotel {
  readonly account: AccountId;
  readonly id: string;
  readonly name: string;
  readonly city: string;
  readonly lat: number;
  readonly lng: number;
  readonly district: string | null;
  readonly address: string | null;
  /** From-price per night. */
  readonly priceFen: number | null;
  /** 0–5. */
  readonly rating: number | null;
  readonly stars: number | null;
  readonly phone: string | null;
  readonly url: string | null;
  readonly imageUrl: string | null;
  readonly tags: readonly string[];
}

export interface Deal {
  readonly account: AccountId;
  readonly id: string;
  readonly title: string;
  readonly city: string;
  readonly priceFen: number;
  readonly originalPriceFen: number | null;
  readonly merchant: string | null;
  readonly district: string | null;
  /** 美食, 电影, KTV, 丽人, 亲子, 休闲娱乐, 酒店… */
  readonly category: string | null;
  readonly startsAt: number | null;
  readonly endsAt: number | null;
  /** null: not tracked; 0: sold out. */
  readonly stock: number | null;
  readonly url: string | null;
  readonly imageUrl: string | null;
  readonly lat: number | null;
  readonly lng: number | null;
}

/** A deal is live when it has started, has not ended and is not sold out. */
export function isLiveDeal(deal: Deal, now: number): boolean {
  return (deal.startsAt === null || deal.startsAt <= now) && (deal.endsAt === null || deal.endsAt > now) && deal.stock !== 0;
}

/** A product can be bought unless its stock is known to be 0 (null: the merchant does not count it). */
export const isInStock = (p: Pick<Product, 'stock'>): boolean => p.stock !== 0;
