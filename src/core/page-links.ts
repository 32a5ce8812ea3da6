/**
 * Links sent to followers: the mobile pages this server renders, and merchants' own URLs when they
 * are plain http(s). Everything else (javascript:, data:, garbage) never reaches a follower.
 */
import type { AccountId } from './messages.ts';

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
}

/** @example createLinks('https://shop.example.com', accountId('default')).product('SKU-1') */
export function createLinks(baseUrl: string, account: AccountId): Links {
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
  };
}
