/**
 * One schema per kind: an imported record (CSV strings or JSON values) → a validated catalogue item without
 * its account. Every message names the column and the value and says what is wrong in words a merchant
 * understands (`price "abc" is not a number`). Unknown columns are dropped; empty values are "not given".
 */
import { z } from 'zod';
import type { Lang } from '../../core/lang.ts';
import type { Deal, Hotel, Product } from '../types.ts';
import { describeRowProblem, type RowProblem } from './row-problems.ts';
import { quote } from './source.ts';

/** A parsed value, or what is wrong: the problem (typed, for any language) and its English `reason`. */
type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; problem: RowProblem };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (problem: RowProblem): Parsed<never> => ({ ok: false, reason: describeRowProblem(problem, 'en'), problem });
/** Reports a problem on a zod context: the English message, and the problem itself for other languages. */
const report = (ctx: z.core.$RefinementCtx, problem: RowProblem) =>
  ctx.addIssue({ code: 'custom', message: describeRowProblem(problem, 'en'), params: { problem } });

/** null, undefined, '' and whitespace are "not given". */
const isEmpty = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** A zod field from a parser of present values; `required` makes "not given" an error. */
function field<T>(name: string, parse: (v: unknown) => Parsed<T>, required: true): z.ZodType<T>;
function field<T>(name: string, parse: (v: unknown) => Parsed<T>, required: false): z.ZodType<T | null>;
function field<T>(name: string, parse: (v: unknown) => Parsed<T>, required: boolean): z.ZodType<T | null> {
  return z.unknown().transform((input, ctx) => {
    if (isEmpty(input)) {
      if (required) report(ctx, { field: name, code: 'missing' });
      return required ? z.NEVER : null;
    }
    const r = parse(input);
    if (r.ok) return r.value;
    report(ctx, r.problem);
    return z.NEVER;
  }) as z.ZodType<T | null>;
}

function parseText(name: string): (v: unknown) => Parsed<string> {
  return (v) => {
    if (typeof v === 'string') return ok(v.trim());
    if (typeof v === 'number' && Number.isFinite(v)) return ok(String(v));
    return bad({ field: name, code: 'not_text', value: quote(v) });
  };
}

const MAX_FEN = 1e12; // ¥10,000,000,000: anything above is a typo

/**
 * A price in yuan → integer fen, exactly (no float rounding): `199`, `199.00`, `¥199`, `199元`, `1,299.5`.
 * @example parsePriceFen('¥199.9') // { ok: true, value: 19990 }
 */
export function parsePriceFen(v: unknown, name = 'price'): Parsed<number> {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return bad({ field: name, code: 'not_number', value: quote(v) });
    if (v < 0) return bad({ field: name, code: 'negative', value: quote(v) });
    const fen = Math.round(v * 100);
    if (Math.abs(fen - v * 100) > 1e-6) return bad({ field: name, code: 'fen_decimals', value: quote(v) });
    return fen > MAX_FEN ? bad({ field: name, code: 'too_large', value: quote(v) }) : ok(fen);
  }
  if (typeof v !== 'string') return bad({ field: name, code: 'not_number', value: quote(v) });
  const s = v
    .trim()
    .replace(/^(?:¥|￥|rmb|cny)\s*/i, '')
    .replace(/\s*(?:元|rmb|cny)$/i, '')
    .replace(/,(?=\d{3}(?:\D|$))/g, '');
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === '' && !m[3])) return bad({ field: name, code: 'not_number', value: quote(v) });
  if (m[1] === '-' && /[1-9]/.test(s)) return bad({ field: name, code: 'negative', value: quote(v) });
  const decimals = (m[3] ?? '').replace(/0+$/, '');
  if (decimals.length > 2) return bad({ field: name, code: 'fen_decimals', value: quote(v) });
  const fen = Number(m[2] || '0') * 100 + Number(decimals.padEnd(2, '0'));
  return fen > MAX_FEN ? bad({ field: name, code: 'too_large', value: quote(v) }) : ok(fen);
}

function parseCount(name: string): (v: unknown) => Parsed<number> {
  return (v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
    if (!Number.isInteger(n)) return bad({ field: name, code: 'not_whole', value: quote(v) });
    if (n < 0) return bad({ field: name, code: 'negative', value: quote(v) });
    return ok(n);
  };
}

function parseNumber(name: string, min: number, max: number, swapHint = false): (v: unknown) => Parsed<number> {
  return (v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
    if (!Number.isFinite(n)) return bad({ field: name, code: 'not_number', value: quote(v) });
    if (n < min || n > max) return bad({ field: name, code: swapHint ? 'outside_swapped' : 'outside', value: quote(v), min, max });
    return ok(n);
  };
}

/** Links are shown to followers: only http(s), so an imported `javascript:` URL cannot reach a page. */
function parseUrl(name: string): (v: unknown) => Parsed<string> {
  return (v) => {
    if (typeof v !== 'string') return bad({ field: name, code: 'not_text', value: quote(v) });
    const s = v.trim();
    if (!/^https?:\/\/[^\s/?#]+/i.test(s)) return bad({ field: name, code: 'not_web_address', value: quote(s) });
    try {
      return ok(new URL(s).href);
    } catch {
      return bad({ field: name, code: 'bad_web_address', value: quote(s) });
    }
  };
}

/** `a|b|c` (CSV) or `["a","b"]` (JSON) → trimmed, distinct, non-empty names (tags, variants). */
const parseList = (name: 'tags' | 'variants') => (v: unknown): Parsed<string[]> => {
  const parts = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[|｜]/) : null;
  if (!parts || parts.some((p) => typeof p !== 'string' && typeof p !== 'number')) {
    return bad({ field: name, code: name === 'tags' ? 'bad_tags' : 'bad_variants', value: quote(v) });
  }
  return ok([...new Set(parts.map((p) => String(p).trim()).filter((p) => p !== ''))]);
};
const parseTags = parseList('tags');

/**
 * A category path: `女装/连衣裙` (also `女装 > 连衣裙`, or a JSON array) → ['女装', '连衣裙'].
 * @example parseCategory('女装/连衣裙') // { ok: true, value: ['女装', '连衣裙'] }
 */
export function parseCategory(v: unknown): Parsed<string[]> {
  const parts = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/\s*[/>／]\s*/) : null;
  if (!parts || parts.some((p) => typeof p !== 'string')) return bad({ field: 'category', code: 'bad_category', value: quote(v) });
  const segments = (parts as string[]).map((p) => p.trim());
  if (segments.some((p) => p === '')) return bad({ field: 'category', code: 'category_empty_part', value: quote(v) });
  return ok(segments);
}

const ISO_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * ISO 8601 → ms since the epoch. A time without a zone is Beijing time (+08:00), as merchants write it.
 * @example parseTime('2027-03-01T10:00:00+08:00', 'starts_at') // { ok: true, value: Date.parse('2027-03-01T02:00:00Z') }
 */
export function parseTime(v: unknown, name: string): Parsed<number> {
  const m = typeof v === 'string' ? ISO_TIME.exec(v.trim()) : null;
  if (!m) return bad({ field: name, code: 'not_time', value: quote(v) });
  const [year, month, day, hour, minute, second, ms] = [m[1], m[2], m[3], m[4], m[5], m[6], m[7]].map((x) => Number(x ?? 0)) as [
    number, number, number, number, number, number, number,
  ];
  const zone = m[8] ?? '+08:00';
  let offsetMin = 0;
  if (zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    offsetMin = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0));
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const d = new Date(local);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return bad({ field: name, code: 'not_real_time', value: quote(v) });
  }
  return ok(local - offsetMin * 60_000);
}

const text = (name: string) => field(name, parseText(name), true);
const optionalText = (name: string) => field(name, parseText(name), false);
const price = (name: string) => field(name, (v) => parsePriceFen(v, name), true);
const optionalPrice = (name: string) => field(name, (v) => parsePriceFen(v, name), false);
const count = (name: string) => field(name, parseCount(name), false);
const url = (name: string) => field(name, parseUrl(name), false);
const tags = () => field('tags', parseTags, false).transform((t) => t ?? []);
const time = (name: string) => field(name, (v) => parseTime(v, name), false);
const parseLat = parseNumber('lat', -90, 90, true);
const parseLng = parseNumber('lng', -180, 180);
function parseStars(v: unknown): Parsed<number> {
  const r = parseCount('stars')(v);
  return r.ok && r.value <= 5 ? r : bad({ field: 'stars', code: 'bad_stars', value: quote(v) });
}

/** A product without its account; `category` null when the row names none (the importer decides it). */
export type ProductInput = Omit<Product, 'account' | 'category'> & { readonly category: readonly string[] | null };
export type HotelInput = Omit<Hotel, 'account'>;
export type DealInput = Omit<Deal, 'account'>;

export const productSchema = z
  .object({
    sku: text('sku'),
    title: text('title'),
    category: field('category', parseCategory, false),
    price: price('price'),
    original_price: optionalPrice('original_price'),
    brand: optionalText('brand'),
    tags: tags(),
    stock: count('stock'),
    image_url: url('image_url'),
    url: url('url'),
    description: optionalText('description'),
    variants: field('variants', parseList('variants'), false).transform((t) => t ?? []),
  })
  .transform(
    (r): ProductInput => ({
      sku: r.sku,
      title: r.title,
      category: r.category,
      priceFen: r.price,
      originalPriceFen: r.original_price,
      brand: r.brand,
      tags: r.tags,
      stock: r.stock,
      imageUrl: r.image_url,
      url: r.url,
      description: r.description,
      ...(r.variants.length ? { variants: r.variants } : {}),
    }),
  );

export const hotelSchema = z
  .object({
    id: text('id'),
    name: text('name'),
    city: text('city'),
    lat: field('lat', parseLat, true),
    lng: field('lng', parseLng, true),
    district: optionalText('district'),
    address: optionalText('address'),
    price: optionalPrice('price'),
    rating: field('rating', parseNumber('rating', 0, 5), false),
    stars: field('stars', parseStars, false),
    phone: optionalText('phone'),
    url: url('url'),
    image_url: url('image_url'),
    tags: tags(),
  })
  .transform(
    (r): HotelInput => ({
      id: r.id,
      name: r.name,
      city: r.city,
      lat: r.lat,
      lng: r.lng,
      district: r.district,
      address: r.address,
      priceFen: r.price,
      rating: r.rating,
      stars: r.stars,
      phone: r.phone,
      url: r.url,
      imageUrl: r.image_url,
      tags: r.tags,
    }),
  );

export const dealSchema = z
  .object({
    id: text('id'),
    title: text('title'),
    city: text('city'),
    price: price('price'),
    original_price: optionalPrice('original_price'),
    merchant: optionalText('merchant'),
    district: optionalText('district'),
    category: optionalText('category'),
    starts_at: time('starts_at'),
    ends_at: time('ends_at'),
    stock: count('stock'),
    url: url('url'),
    image_url: url('image_url'),
    lat: field('lat', parseLat, false),
    lng: field('lng', parseLng, false),
  })
  .superRefine((r, ctx) => {
    if (r.starts_at !== null && r.ends_at !== null && r.ends_at <= r.starts_at) report(ctx, { field: 'ends_at', code: 'ends_before_start' });
    if ((r.lat === null) !== (r.lng === null)) report(ctx, { field: r.lat === null ? 'lat' : 'lng', code: 'lat_lng_together' });
  })
  .transform(
    (r): DealInput => ({
      id: r.id,
      title: r.title,
      city: r.city,
      priceFen: r.price,
      originalPriceFen: r.original_price,
      merchant: r.merchant,
      district: r.district,
      category: r.category,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      stock: r.stock,
      url: r.url,
      imageUrl: r.image_url,
      lat: r.lat,
      lng: r.lng,
    }),
  );

export interface RowSchemas {
  products: ProductInput;
  hotels: HotelInput;
  deals: DealInput;
}

const ROW_SCHEMAS = { products: productSchema, hotels: hotelSchema, deals: dealSchema } as const;

/** Columns a header must have for each kind (a product's category may come from --category or the title). */
export const REQUIRED_COLUMNS = {
  products: ['sku', 'title', 'price'],
  hotels: ['id', 'name', 'city', 'lat', 'lng'],
  deals: ['id', 'title', 'city', 'price'],
} as const;

const SCHEMA_KEYS = {
  products: Object.keys(productSchema.in.shape),
  hotels: Object.keys(hotelSchema.in.shape),
  deals: Object.keys(dealSchema.in.shape),
};

/** A validated row, or every problem of it: `reason` lists them `; `-separated in the language asked for. */
export type ValidatedRow<T> = { ok: true; value: T } | { ok: false; reason: string; problems: RowProblem[] };

/** The typed problem behind a zod issue (every issue of the row schemas carries one; anything else keeps its text). */
const problemOf = (issue: z.core.$ZodIssue): RowProblem =>
  (issue.code === 'custom' ? (issue.params as { problem?: RowProblem } | undefined)?.problem : undefined) ?? { field: '', code: 'other', text: issue.message };

/**
 * Validates one record. The reason lists every problem of the row, `; `-separated, in English unless asked otherwise.
 * @example validateRow('products', { sku: 'A1', title: '连衣裙', price: 'abc' }) // { ok: false, reason: 'price "abc" is not a number', problems: [...] }
 */
export function validateRow<K extends keyof RowSchemas>(kind: K, fields: Readonly<Record<string, unknown>>, language: Lang = 'en'): ValidatedRow<RowSchemas[K]> {
  // Every known column present (absent → null), unknown ones dropped: each field's parser then runs and
  // reports "missing" itself.
  const input: Record<string, unknown> = {};
  for (const key of SCHEMA_KEYS[kind]) input[key] = fields[key] ?? null;
  const r = ROW_SCHEMAS[kind].safeParse(input);
  if (r.success) return { ok: true, value: r.data as RowSchemas[K] };
  const problems = r.error.issues.map(problemOf);
  return { ok: false, reason: problems.map((p) => describeRowProblem(p, language)).join('; '), problems };
}
