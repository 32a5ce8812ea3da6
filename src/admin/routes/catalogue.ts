/**
 * `/api/products`, `/api/hotels`, `/api/deals`: the catalogue, one item at a time (validated like an
 * imported row, in the same columns as the import files) or as a file upload through the importer, with
 * the failures per row. Writes go through the catalogue store, so every process's search sees them within
 * its poll, like an import.
 */
import { z } from 'zod';
import { accountId } from '../../core/messages.ts';
import { background } from '../../core/background.ts';
import { importCatalogue, ImportError, listedFailuresNote } from '../../catalogue/import/importer.ts';
import { dealSchema, hotelSchema, productSchema, validateRow } from '../../catalogue/import/rows.ts';
import { createCatalogueStore } from '../../catalogue/catalogue-store.ts';
import type { CatalogueKind, Deal, Hotel, Product } from '../../catalogue/types.ts';
import type { Db } from '../../db/db.ts';
import type { AdminApiOptions } from '../options.ts';
import { ApiError, decodeCursor, noContent, notFound, page, pageQuery, route, type Route } from '../http.ts';

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);
const tags = (json: string) => JSON.parse(json) as string[];
const time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

type Row = Record<string, unknown> & { key: string };
const UPLOAD_BATCH_SIZE = 500;

/** An item as the API shows it: the import file's columns (prices in yuan), plus `updated_at`. */
const TO_JSON: Record<CatalogueKind, (r: Row) => Record<string, unknown>> = {
  products: (r) => ({
    sku: r.sku, title: r.title, category: r.category, price: yuan(r.price_fen as number), original_price: yuan(r.original_price_fen as number | null),
    brand: r.brand, tags: tags(r.tags as string), stock: r.stock, image_url: r.image_url, url: r.url, description: r.description,
    updated_at: time(r.updated_at as number),
  }),
  hotels: (r) => ({
    id: r.id, name: r.name, city: r.city, lat: r.lat, lng: r.lng, district: r.district, address: r.address, price: yuan(r.price_fen as number | null),
    rating: r.rating, stars: r.stars, phone: r.phone, url: r.url, image_url: r.image_url, tags: tags(r.tags as string), updated_at: time(r.updated_at as number),
  }),
  deals: (r) => ({
    id: r.id, title: r.title, city: r.city, price: yuan(r.price_fen as number), original_price: yuan(r.original_price_fen as number | null),
    merchant: r.merchant, district: r.district, category: r.category, starts_at: time(r.starts_at as number | null), ends_at: time(r.ends_at as number | null),
    stock: r.stock, url: r.url, image_url: r.image_url, lat: r.lat, lng: r.lng, updated_at: time(r.updated_at as number),
  }),
};

const KEY: Record<CatalogueKind, 'sku' | 'id'> = { products: 'sku', hotels: 'id', deals: 'id' };
const DOC: Record<CatalogueKind, z.ZodType> = { products: productSchema, hotels: hotelSchema, deals: dealSchema };
const SINGULAR: Record<CatalogueKind, string> = { products: 'product', hotels: 'hotel', deals: 'deal' };

function queries(db: Db, kind: CatalogueKind) {
  const key = KEY[kind];
  return {
    page: db.prepare<[string, string, number], Row>(`SELECT *, ${key} AS key FROM ${kind} WHERE account = ? AND deleted = 0 AND ${key} > ? ORDER BY ${key} LIMIT ?`),
    one: db.prepare<[string, string], Row>(`SELECT *, ${key} AS key FROM ${kind} WHERE account = ? AND deleted = 0 AND ${key} = ?`),
  };
}

const listQuery = pageQuery;
/** A body for one item: the import columns. Validated like an imported row (same messages). */
const itemBody = z.record(z.string(), z.unknown(), { error: 'body: a JSON object with the item\'s columns' });

export function catalogueRoutes(deps: AdminApiOptions): Route[] {
  const store = createCatalogueStore(deps.db, deps.clock);
  return (['products', 'hotels', 'deals'] as const).flatMap((kind): Route[] => {
    const q = queries(deps.db, kind);
    const toJson = TO_JSON[kind];
    const one = SINGULAR[kind];
    const idName = KEY[kind];
    const tag = 'catalogue';
    const write = (account: string, id: string, body: Record<string, unknown>) => {
      const r = validateRow(kind, { ...body, [idName]: id });
      if (!r.ok) throw new ApiError(400, 'validation', r.reason, r.reason.split('; ').map((message) => ({ path: '', message })));
      const a = accountId(account);
      if (kind === 'products') {
        const p = r.value as Omit<Product, 'account' | 'category'> & { category: readonly string[] | null };
        if (!p.category) throw new ApiError(400, 'validation', 'category is missing (a path such as 女装/连衣裙)');
        store.upsertProducts([{ ...p, account: a, category: p.category }]);
      } else if (kind === 'hotels') store.upsertHotels([{ ...(r.value as Omit<Hotel, 'account'>), account: a }]);
      else store.upsertDeals([{ ...(r.value as Omit<Deal, 'account'>), account: a }]);
      return toJson(q.one.get(account, id)!);
    };
    return [
      route({
        method: 'get', path: `/${kind}`, tag, summary: `List ${kind} (by ${idName})`, query: listQuery,
        handler: ({ account, query }) => page(q.page.all(account, decodeCursor<string>(query.cursor, 'string') ?? '', query.limit + 1), query.limit, (r) => r.key, toJson),
      }),
      route({
        method: 'post', path: `/${kind}/import`, tag, body: 'upload',
        summary: `Import ${kind} from a file (CSV, JSON, JSON Lines${kind === 'products' ? ', 淘宝助理' : ''}): multipart field "file", or the raw body with ?filename=`,
        returns: '{imported, updated, failed: [{line, reason}] (the first 1,000 by line), failed_count, failed_note?, total, format, encoding}',
        handler: async ({ account, file }) => {
          if (!file) throw new ApiError(400, 'validation', 'send the file in the multipart field "file", or as the raw body with ?filename=NAME.csv');
          try {
            // In the process's background slices, shared with the search index that follows the import: the server
            // answers followers between them (each batch is one synchronous transaction).
            const r = await importCatalogue({
              db: deps.db, account: accountId(account), kind, file: file.path, fileName: file.name, clock: deps.clock,
              batchSize: UPLOAD_BATCH_SIZE, background,
            });
            return {
              imported: r.imported, updated: r.updated, failed: r.failed, failed_count: r.failedCount,
              ...(r.failedCount > r.failed.length ? { failed_note: listedFailuresNote(r.failed.length, r.failedCount) } : {}),
              total: r.total, format: r.format, encoding: r.encoding,
            };
          } catch (err) {
            if (err instanceof ImportError) throw new ApiError(400, `import_${err.code}`, err.message);
            throw err;
          }
        },
      }),
      route({
        method: 'get', path: `/${kind}/:id`, tag, summary: `Read a ${one}`,
        handler: ({ account, params }) => {
          const row = q.one.get(account, params.id!);
          if (!row) throw notFound(`${one} ${params.id}`);
          return toJson(row);
        },
      }),
      route({
        method: 'put', path: `/${kind}/:id`, tag, summary: `Create or replace a ${one} (the import columns; prices in yuan)`, body: itemBody,
        handler: ({ account, params, body }) => write(account, params.id!, body as Record<string, unknown>),
      }),
      route({
        method: 'delete', path: `/${kind}/:id`, tag, summary: `Delete a ${one}`,
        handler: ({ account, params }) => {
          const a = accountId(account);
          const n = kind === 'products' ? store.deleteProducts(a, [params.id!]) : kind === 'hotels' ? store.deleteHotels(a, [params.id!]) : store.deleteDeals(a, [params.id!]);
          if (n === 0) throw notFound(`${one} ${params.id}`);
          return noContent;
        },
      }),
    ].map((r) => (r.path === `/${kind}/:id` && r.method === 'put' ? { ...r, doc: DOC[kind] } : r));
  });
}
