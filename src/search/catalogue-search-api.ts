/**
 * What the shopping skills and the mobile pages ask of the catalogue. Implemented over in-memory indexes
 * kept in step with SQLite (see catalogue-search.ts); tests may implement it over fixtures.
 */
import type { AccountId } from '../core/messages.ts';
import type { Deal, Hotel, Product } from '../catalogue/types.ts';
import type { LiveDealsQuery } from './index/deal-index.ts';
import type { InCityOptions, LatLng, NearbyHotel, NearestOptions } from './index/geo-index.ts';
import type { ProductSearchResult } from './index/product-query.ts';
import type { ProductQuery, Understanding } from './types.ts';

export interface CatalogueSearch {
  understand(text: string): Understanding;
  products(account: AccountId, q: ProductQuery): ProductSearchResult;
  product(account: AccountId, sku: string): Product | null;
  hotelsNear(account: AccountId, at: LatLng, options: NearestOptions): NearbyHotel[];
  hotelsInCity(account: AccountId, city: string, options: InCityOptions): Hotel[];
  hotel(account: AccountId, id: string): Hotel | null;
  deals(account: AccountId, q: LiveDealsQuery): Deal[];
  deal(account: AccountId, id: string): Deal | null;
  /** Cities with hotels, most first. */
  hotelCities(account: AccountId): string[];
  /** Cities with live deals, most first. */
  dealCities(account: AccountId, now: number): string[];
  dealCategories(account: AccountId, options: { city?: string; now: number }): string[];
  /** Top-level product categories (女装, 数码…), largest first. */
  productRoots(account: AccountId): string[];
  /** The city whose hotels or deals lie nearest to a point (a follower's last location), if any within 50 km. */
  cityNear(account: AccountId, at: LatLng): string | null;
}
