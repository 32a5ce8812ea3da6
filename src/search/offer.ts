/**
 * The example queries an account's texts suggest, derived from its own catalogue: a cosmetics shop with no
 * hotels suggests its cosmetics, never 「上海酒店」. Derived once per account and catalogue version (the hot
 * path reads a cached object), and again after a while, as deals end.
 */
import type { CatalogueOffer } from '../core/persona.ts';
import type { AccountId } from '../core/messages.ts';
import type { CatalogueSearch } from './catalogue-search.ts';

/** How many examples a derived list holds: three fit on one line of a phone. */
const DERIVED_EXAMPLES = 4;
/** Deals end: a derived offer is looked at again after this long (ms) even if the catalogue did not change. */
const OFFER_TTL_MS = 10 * 60_000;

/**
 * The offer of a catalogue: its biggest categories first, then a city with hotels and one with deals.
 * @example deriveOffer({ productRoots: ['彩妆', '护肤'], hotelCities: [], dealCities: [] }).examples // ['彩妆', '护肤']
 */
export function deriveOffer(c: { readonly productRoots: readonly string[]; readonly hotelCities: readonly string[]; readonly dealCities: readonly string[] }): CatalogueOffer {
  const productRoots = c.productRoots.filter((r) => r.trim() !== '').slice(0, DERIVED_EXAMPLES);
  const hotelCity = c.hotelCities[0] ?? null;
  const dealCity = c.dealCities[0] ?? null;
  const places = [hotelCity === null ? null : `${hotelCity}酒店`, dealCity === null ? null : `${dealCity}团购`].filter((x) => x !== null);
  const examples = [...productRoots.slice(0, Math.max(DERIVED_EXAMPLES - places.length, 1)), ...places].slice(0, DERIVED_EXAMPLES);
  return { productRoots, hotelCity, dealCity, examples };
}

type OfferSource = Pick<CatalogueSearch, 'productRoots' | 'hotelCities' | 'dealCities' | 'version'>;

/**
 * Each account's offer, cached until the catalogue changes (its `version`) or OFFER_TTL_MS passes.
 * @example createOffers(search).of('default', clock.now()).examples
 */
export function createOffers(search: OfferSource) {
  const cache = new Map<AccountId, { version: number; at: number; offer: CatalogueOffer }>();
  return {
    of(account: AccountId, now: number): CatalogueOffer {
      const version = search.version();
      const hit = cache.get(account);
      if (hit && hit.version === version && now - hit.at < OFFER_TTL_MS && now >= hit.at) return hit.offer;
      const offer = deriveOffer({ productRoots: search.productRoots(account), hotelCities: search.hotelCities(account), dealCities: search.dealCities(account, now) });
      // The same examples keep the same object, so what is built from it stays cached too.
      const same = hit && JSON.stringify(hit.offer) === JSON.stringify(offer);
      cache.set(account, { version, at: now, offer: same ? hit.offer : offer });
      return same ? hit.offer : offer;
    },
  };
}
export type Offers = ReturnType<typeof createOffers>;
