/**
 * Hotels by place: the nearest to a point (a grid of ~0.05° cells searched in expanding rings, exact
 * haversine distances) and the best in a city. Coordinates are GCJ-02 degrees as WeChat sends them;
 * distances are great-circle kilometres (GCJ-02's offset is far below what a follower notices).
 */
import type { AccountId } from '../../core/messages.ts';
import type { Hotel } from '../../catalogue/types.ts';

export interface LatLng {
  readonly lat: number;
  readonly lng: number;
}

export interface NearestOptions {
  readonly limit: number;
  /** Only hotels at most this far (inclusive). */
  readonly maxKm?: number;
  /** Price bounds (inclusive); a hotel without a price is left out when a bound is given. */
  readonly maxPriceFen?: number | null;
  readonly minPriceFen?: number | null;
}

export interface NearbyHotel {
  readonly hotel: Hotel;
  readonly km: number;
}

type CitySort = 'rating' | 'price_asc' | 'price_desc';

export interface InCityOptions {
  readonly limit: number;
  readonly maxPriceFen?: number | null;
  readonly minPriceFen?: number | null;
  readonly sort: CitySort;
}

export interface GeoIndex {
  /** Adds or replaces the hotel with this account and id. */
  upsert(h: Hotel): void;
  /** Removes a hotel; false when it was not there. */
  remove(account: AccountId, id: string): boolean;
  size(account?: AccountId): number;
  /** Closest first (ties by id); at most `limit`. */
  nearest(account: AccountId, at: LatLng, options: NearestOptions): NearbyHotel[];
  /**
   * Hotels of a city (`上海` also finds `上海市`). `rating`: best rated first (unrated last), then cheaper;
   * `price_asc` / `price_desc`: by price (hotels without a price last), then better rated; ties by id.
   */
  inCity(account: AccountId, city: string, options: InCityOptions): Hotel[];
  /** Cities with hotels, most hotels first. */
  cities(account: AccountId): string[];
}

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;
/** Grid cell size in degrees (~5.5 km north–south). */
const CELL_DEG = 0.05;
const LNG_CELLS = Math.ceil(360 / CELL_DEG) + 2;
/** Rings never need to go past the whole globe. */
const MAX_RING = LNG_CELLS;

/**
 * Great-circle distance in kilometres (haversine).
 *
 * @example distanceKm({ lat: 31.2304, lng: 121.4737 }, { lat: 39.9042, lng: 116.4074 }) // ≈ 1067
 */
export function distanceKm(a: LatLng, b: LatLng): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLng = (b.lng - a.lng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A lower bound on the distance from a point to anything at least `deg` degrees away in latitude or in
 * longitude, for points with |latitude| ≤ `maxAbsLat`: haversine ≥ R·Δlat, and
 * hav(d) ≥ cos²(maxAbsLat)·hav(Δlng).
 */
function ringLowerBoundKm(deg: number, maxAbsLat: number): number {
  const byLat = EARTH_RADIUS_KM * deg * RAD;
  const c = Math.cos(Math.min(90, maxAbsLat) * RAD);
  const byLng = 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, c * Math.sin((deg * RAD) / 2)));
  return Math.min(byLat, byLng);
}

const cellRow = (lat: number): number => Math.floor(lat / CELL_DEG);
const cellCol = (lng: number): number => Math.floor(lng / CELL_DEG);
const cellKey = (row: number, col: number): number => row * LNG_CELLS + col;

/** City names compare without a trailing 市 and without spaces (上海市 = 上海). */
export const cityKey = (city: string): string =>
  city
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/市$/, '')
    .toLowerCase();

interface Entry {
  readonly hotel: Hotel;
  readonly cell: number;
  readonly city: string;
}

interface Cell {
  readonly row: number;
  readonly col: number;
  readonly hotels: Hotel[];
}

class Shard {
  readonly byId = new Map<string, Entry>();
  readonly cells = new Map<number, Cell>();
  readonly byCity = new Map<string, Map<string, Hotel>>();
}

/**
 * A lower bound on the distance from `at` to any point of a grid cell: with Δlat ≥ dLat, Δlng ≥ dLng and
 * every |latitude| ≤ φmax, hav(d) = hav(Δlat) + cos φ1·cos φ2·hav(Δlng) ≥ hav(dLat) + cos²φmax·hav(dLng).
 */
function cellLowerBoundKm(at: LatLng, cell: Cell): number {
  const lat0 = cell.row * CELL_DEG;
  const lng0 = cell.col * CELL_DEG;
  const dLat = Math.max(0, lat0 - at.lat, at.lat - (lat0 + CELL_DEG)) * RAD;
  const dLng = Math.min(180, Math.max(0, lng0 - at.lng, at.lng - (lng0 + CELL_DEG))) * RAD;
  const maxAbsLat = Math.min(90, Math.max(Math.abs(at.lat), Math.abs(lat0), Math.abs(lat0 + CELL_DEG)));
  const c = Math.cos(maxAbsLat * RAD);
  const h = Math.sin(dLat / 2) ** 2 + c * c * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

const usable = (p: LatLng): boolean => Number.isFinite(p.lat) && Number.isFinite(p.lng) && Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180;

function priceOk(h: Hotel, min: number | null | undefined, max: number | null | undefined): boolean {
  if ((min === null || min === undefined) && (max === null || max === undefined)) return true;
  if (h.priceFen === null) return false;
  return (min == null || h.priceFen >= min) && (max == null || h.priceFen <= max);
}

const byKmThenId = (a: NearbyHotel, b: NearbyHotel): number =>
  a.km - b.km || (a.hotel.id < b.hotel.id ? -1 : a.hotel.id > b.hotel.id ? 1 : 0);

/**
 * Creates an empty hotel index.
 *
 * @example
 * const geo = createGeoIndex();
 * geo.upsert(hotel);
 * geo.nearest(account, { lat: 31.23, lng: 121.47 }, { limit: 5, maxKm: 5 });
 */
export function createGeoIndex(): GeoIndex {
  const shards = new Map<AccountId, Shard>();

  function removeEntry(s: Shard, e: Entry): void {
    const cell = s.cells.get(e.cell);
    if (cell) {
      const i = cell.hotels.indexOf(e.hotel);
      if (i >= 0) cell.hotels.splice(i, 1);
      if (cell.hotels.length === 0) s.cells.delete(e.cell);
    }
    const city = s.byCity.get(e.city);
    city?.delete(e.hotel.id);
    if (city?.size === 0) s.byCity.delete(e.city);
    s.byId.delete(e.hotel.id);
  }

  function upsert(h: Hotel): void {
    if (!usable(h)) {
      throw new Error(`Hotel ${h.id} has no usable coordinates (lat ${h.lat}, lng ${h.lng}): fix them in the import file.`);
    }
    let s = shards.get(h.account);
    if (!s) {
      s = new Shard();
      shards.set(h.account, s);
    }
    const old = s.byId.get(h.id);
    if (old) removeEntry(s, old);
    const row = cellRow(h.lat);
    const col = cellCol(h.lng);
    const entry: Entry = { hotel: h, cell: cellKey(row, col), city: cityKey(h.city) };
    s.byId.set(h.id, entry);
    let cell = s.cells.get(entry.cell);
    if (!cell) {
      cell = { row, col, hotels: [] };
      s.cells.set(entry.cell, cell);
    }
    cell.hotels.push(h);
    let city = s.byCity.get(entry.city);
    if (!city) {
      city = new Map();
      s.byCity.set(entry.city, city);
    }
    city.set(h.id, h);
  }

  function remove(account: AccountId, id: string): boolean {
    const s = shards.get(account);
    const e = s?.byId.get(id);
    if (!s || !e) return false;
    removeEntry(s, e);
    return true;
  }

  function size(account?: AccountId): number {
    if (account !== undefined) return shards.get(account)?.byId.size ?? 0;
    let n = 0;
    for (const s of shards.values()) n += s.byId.size;
    return n;
  }

  function nearest(account: AccountId, at: LatLng, options: NearestOptions): NearbyHotel[] {
    if (!usable(at)) {
      throw new Error(`nearest: (lat ${at.lat}, lng ${at.lng}) is not a coordinate; validate the location before asking.`);
    }
    const s = shards.get(account);
    const limit = Math.max(0, Math.floor(options.limit));
    if (!s || limit === 0 || s.byId.size === 0) return [];
    const maxKm = options.maxKm ?? Infinity;
    const found: NearbyHotel[] = [];
    const consider = (h: Hotel): void => {
      if (!priceOk(h, options.minPriceFen, options.maxPriceFen)) return;
      const km = distanceKm(at, h);
      if (km <= maxKm) found.push({ hotel: h, km });
    };
    const kthKm = (): number => {
      if (found.length < limit) return Infinity;
      found.sort(byKmThenId);
      found.length = limit;
      return found[limit - 1]!.km;
    };

    const row0 = cellRow(at.lat);
    const col0 = cellCol(at.lng);
    let seenHotels = 0;
    let seenCells = 0;
    const visit = (row: number, col: number): void => {
      const cell = s.cells.get(cellKey(row, col));
      seenCells++;
      if (!cell) return;
      seenHotels += cell.hotels.length;
      for (const h of cell.hotels) consider(h);
    };
    for (let r = 0; r <= MAX_RING; r++) {
      // Cells at Chebyshev distance r from the centre cell.
      if (r === 0) visit(row0, col0);
      else {
        for (let col = col0 - r; col <= col0 + r; col++) {
          visit(row0 - r, col);
          visit(row0 + r, col);
        }
        for (let row = row0 - r + 1; row <= row0 + r - 1; row++) {
          visit(row, col0 - r);
          visit(row, col0 + r);
        }
      }
      if (seenHotels >= s.byId.size) break; // everything looked at
      // Anything not yet visited is at least r whole cells away in latitude or longitude.
      const bound = ringLowerBoundKm(r * CELL_DEG, Math.abs(at.lat) + (r + 1) * CELL_DEG);
      if (bound > maxKm || bound > kthKm()) break;
      if (seenCells > s.cells.size * 2 + 64) {
        // Far from every hotel: the rings sweep empty space. Visit the occupied cells nearest first instead.
        found.length = 0;
        const cells = [...s.cells.values()].map((cell) => ({ cell, km: cellLowerBoundKm(at, cell) })).sort((a, b) => a.km - b.km);
        for (const { cell, km } of cells) {
          if (km > maxKm || km > kthKm()) break;
          for (const h of cell.hotels) consider(h);
        }
        break;
      }
    }
    found.sort(byKmThenId);
    if (found.length > limit) found.length = limit;
    return found;
  }

  function inCity(account: AccountId, city: string, options: InCityOptions): Hotel[] {
    const hotels = shards.get(account)?.byCity.get(cityKey(city));
    const limit = Math.max(0, Math.floor(options.limit));
    if (!hotels || limit === 0) return [];
    const list = [...hotels.values()].filter((h) => priceOk(h, options.minPriceFen, options.maxPriceFen));
    const rating = (h: Hotel): number => h.rating ?? -1;
    const byId = (a: Hotel, b: Hotel): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const price = (h: Hotel, missing: number): number => h.priceFen ?? missing;
    const cmp =
      options.sort === 'rating'
        ? (a: Hotel, b: Hotel) => rating(b) - rating(a) || price(a, Infinity) - price(b, Infinity) || byId(a, b)
        : options.sort === 'price_asc'
          ? (a: Hotel, b: Hotel) => price(a, Infinity) - price(b, Infinity) || rating(b) - rating(a) || byId(a, b)
          : (a: Hotel, b: Hotel) => price(b, -Infinity) - price(a, -Infinity) || rating(b) - rating(a) || byId(a, b);
    return list.sort(cmp).slice(0, limit);
  }

  function cities(account: AccountId): string[] {
    const s = shards.get(account);
    if (!s) return [];
    return [...s.byCity.values()]
      .map((m) => ({ name: m.values().next().value!.city, n: m.size }))
      .sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((c) => c.name);
  }

  return { upsert, remove, size, nearest, inCity, cities };
}
