/**
 * Links sent to followers: the mobile pages this server renders, and merchants' own URLs when they
 * are plain http(s). Everything else (javascript:, data:, garbage) never reaches a follower.
 */
import type { AccountId, UserId } from './messages.ts';

/** A safe absolute http(s) URL, normalised (quotes, brackets and spaces percent-encoded), or null. */
export function safeUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

export type ListParams = Record<string, string | number | null | undefined>;

export interface Links {
  products(params: ListParams): string;
  product(sku: string): string;
  hotels(params: ListParams): string;
  hotel(id: string): string;
  deals(params: ListParams): string;
  deal(id: string): string;
  /** The product page as sent to one follower: it carries their token, so 立即下单 knows who buys. */
  productFor(sku: string, user: UserId): string;
  /** One of the follower's orders (its status), carrying their token. */
  order(id: number, user: UserId): string;
  /** The follower's orders, carrying their token. */
  orders(user: UserId): string;
}

/**
 * Signs a follower's identity into the links Guang sends them: a signed, expiring token (the `t` parameter)
 * the mobile pages check. Without one, links carry no identity and the pages fall back to web authorisation.
 */
export type FollowerSigner = (account: AccountId, user: UserId) => string;

/** @example createLinks('https://shop.example.com', accountId('default')).product('SKU-1') */
export function createLinks(baseUrl: string, account: AccountId, sign?: FollowerSigner): Links {
  const root = `${baseUrl.replace(/\/$/, '')}/m/${encodeURIComponent(account)}`;
  const query = (params: ListParams) => {
    const entries = Object.entries(params).filter((kv): kv is [string, string | number] => kv[1] !== null && kv[1] !== undefined && kv[1] !== '');
    return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}` : '';
  };
  return {
    products: (p) => `${root}/products${query(p)}`,
    product: (sku) => `${root}/p/${encodeURIComponent(sku)}`,
    hotels: (p) => `${root}/hotels${query(p)}`,
    hotel: (id) => `${root}/h/${encodeURIComponent(id)}`,
    deals: (p) => `${root}/deals${query(p)}`,
    deal: (id) => `${root}/d/${encodeURIComponent(id)}`,
    productFor: (sku, user) => `${root}/p/${encodeURIComponent(sku)}${query({ t: sign?.(account, user) })}`,
    order: (id, user) => `${root}/o/${id}${query({ t: sign?.(account, user) })}`,
    orders: (user) => `${root}/orders${query({ t: sign?.(account, user) })}`,
  };
}
