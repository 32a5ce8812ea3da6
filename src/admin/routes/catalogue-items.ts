/**
 * Catalogue items as the API shows them: the import file's columns (prices in yuan), plus `status` (on or off
 * sale) and `updated_at`. One schema per kind for the document and the tests, and the row → JSON function typed
 * by it; the list's filters per kind.
 */
import { z } from 'zod';
import type { CatalogueKind } from '../../catalogue/types.ts';
import { dealSchema, hotelSchema, productSchema } from '../../catalogue/import/rows.ts';
import { isoTime } from '../http.ts';

const yuan = z.number().describe('yuan, e.g. 199.9');
const text = z.string().nullable();
const stock = z.number().int().nullable().describe('null: not counted; 0: sold out');
/** Off sale: kept, listed here, but never shown to followers (search, mobile pages, broadcasts). */
export const itemStatus = z.enum(['on_sale', 'off_sale']);
const status = itemStatus.describe('off_sale: kept, but followers never get it (search, mobile pages, broadcasts)');

const productJson = z.strictObject({
  sku: z.string(), title: z.string(), category: z.string().describe('a path such as 女装/连衣裙'), price: yuan, original_price: yuan.nullable(),
  brand: text, tags: z.array(z.string()), stock, image_url: text, url: text, description: text,
  variants: z.array(z.string()).describe('what a buyer chooses between (S, M, L); [] for none'), status, updated_at: isoTime,
});
const hotelJson = z.strictObject({
  id: z.string(), name: z.string(), city: z.string(), lat: z.number(), lng: z.number(), district: text, address: text,
  price: yuan.nullable().describe('from-price per night, yuan'), rating: z.number().nullable().describe('0–5'), stars: z.number().int().nullable(),
  phone: text, url: text, image_url: text, tags: z.array(z.string()), status, updated_at: isoTime,
});
const dealJson = z.strictObject({
  id: z.string(), title: z.string(), city: z.string(), price: yuan, original_price: yuan.nullable(), merchant: text, district: text,
  category: text, starts_at: isoTime.nullable(), ends_at: isoTime.nullable(), stock, url: text, image_url: text,
  lat: z.number().nullable(), lng: z.number().nullable(), status, updated_at: isoTime,
});

/**
 * The body of PUT, for the document: the columns the row validator reads (catalogue/import/rows.ts, which the
 * route validates with), each typed as GET shows it; the id comes from the path. The validator also takes a
 * CSV cell's text for a number; its parsers have no JSON Schema to show, so the document shows the JSON form.
 */
function input(row: { readonly in: z.ZodObject }, json: z.ZodObject, key: string, required: readonly string[]): z.ZodType {
  const fields = Object.keys(row.in.shape).filter((c) => c !== key).map((c) => {
    const type = json.shape[c] as z.ZodType | undefined;
    if (!type) throw new Error(`the import column ${c} has no field in the API's JSON; add it to the item's schema`);
    return [c, required.includes(c) ? type : type.optional()] as const;
  });
  return z.object(Object.fromEntries(fields));
}

/** The columns every kind's row has: `key` is its id column (sku or id), selected under one name. */
interface RowBase {
  readonly key: string;
  readonly updated_at: number;
  readonly off_sale: number;
}
interface ProductRow extends RowBase {
  sku: string; title: string; category: string; price_fen: number; original_price_fen: number | null; brand: string | null;
  tags: string; stock: number | null; image_url: string | null; url: string | null; description: string | null; variants: string | null;
}
interface HotelRow extends RowBase {
  id: string; name: string; city: string; lat: number; lng: number; district: string | null; address: string | null; price_fen: number | null;
  rating: number | null; stars: number | null; phone: string | null; url: string | null; image_url: string | null; tags: string;
}
interface DealRow extends RowBase {
  id: string; title: string; city: string; price_fen: number; original_price_fen: number | null; merchant: string | null; district: string | null;
  category: string | null; starts_at: number | null; ends_at: number | null; stock: number | null; url: string | null; image_url: string | null;
  lat: number | null; lng: number | null;
}

const toYuan = (fen: number) => fen / 100;
const orNull = <T, U>(v: T | null, f: (v: T) => U): U | null => (v === null ? null : f(v));
const tags = (json: string) => JSON.parse(json) as string[];
const time = (ms: number) => new Date(ms).toISOString();
const statusOf = (r: RowBase) => (r.off_sale ? 'off_sale' : 'on_sale') as z.infer<typeof itemStatus>;

/** What the routes of one kind need: its id column, its names, its schemas and its row → JSON. */
export interface ItemKind<R extends RowBase = RowBase, J = unknown> {
  readonly kind: CatalogueKind;
  readonly key: 'sku' | 'id';
  readonly one: string;
  /** The list's filter besides text and status: a product's category, a hotel's or deal's city. */
  readonly filter: 'category' | 'city';
  /** The text columns `q` searches. */
  readonly searched: readonly string[];
  /** The body of PUT, for the document (see `input`). */
  readonly input: z.ZodType;
  readonly json: z.ZodType<J>;
  readonly toJson: (row: R) => J;
}

const products: ItemKind<ProductRow, z.infer<typeof productJson>> = {
  kind: 'products', key: 'sku', one: 'product', filter: 'category', searched: ['title', 'sku', 'brand'], input: input(productSchema, productJson, 'sku', ['title', 'category', 'price']), json: productJson,
  toJson: (r) => ({
    sku: r.sku, title: r.title, category: r.category, price: toYuan(r.price_fen), original_price: orNull(r.original_price_fen, toYuan),
    brand: r.brand, tags: tags(r.tags), stock: r.stock, image_url: r.image_url, url: r.url, description: r.description,
    variants: r.variants ? tags(r.variants) : [], status: statusOf(r), updated_at: time(r.updated_at),
  }),
};
const hotels: ItemKind<HotelRow, z.infer<typeof hotelJson>> = {
  kind: 'hotels', key: 'id', one: 'hotel', filter: 'city', searched: ['name', 'id', 'district', 'address'], input: input(hotelSchema, hotelJson, 'id', ['name', 'city', 'lat', 'lng']), json: hotelJson,
  toJson: (r) => ({
    id: r.id, name: r.name, city: r.city, lat: r.lat, lng: r.lng, district: r.district, address: r.address, price: orNull(r.price_fen, toYuan),
    rating: r.rating, stars: r.stars, phone: r.phone, url: r.url, image_url: r.image_url, tags: tags(r.tags), status: statusOf(r), updated_at: time(r.updated_at),
  }),
};
const deals: ItemKind<DealRow, z.infer<typeof dealJson>> = {
  kind: 'deals', key: 'id', one: 'deal', filter: 'city', searched: ['title', 'id', 'merchant', 'district'], input: input(dealSchema, dealJson, 'id', ['title', 'city', 'price']), json: dealJson,
  toJson: (r) => ({
    id: r.id, title: r.title, city: r.city, price: toYuan(r.price_fen), original_price: orNull(r.original_price_fen, toYuan),
    merchant: r.merchant, district: r.district, category: r.category, starts_at: orNull(r.starts_at, time), ends_at: orNull(r.ends_at, time),
    stock: r.stock, url: r.url, image_url: r.image_url, lat: r.lat, lng: r.lng, status: statusOf(r), updated_at: time(r.updated_at),
  }),
};

export const ITEM_KINDS = [products, hotels, deals] as const;

/** What a file import answers. */
export const importResult = z.strictObject({
  imported: z.number().int().describe('rows written: new plus updated'),
  updated: z.number().int().describe('of imported, rows that replaced one with the same id'),
  failed: z.array(z.strictObject({ line: z.number().int(), reason: z.string() })).describe('the first 1,000 rows that did not land, by line'),
  failed_count: z.number().int().describe('every row that did not land'),
  failed_note: z.string().optional().describe('when failed lists only some of them'),
  total: z.number().int().describe('data rows in the file'),
  format: z.enum(['csv', 'json', 'jsonl', 'taobao']),
  encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'gbk']),
});
