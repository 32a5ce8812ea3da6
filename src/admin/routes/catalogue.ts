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
import { validateRow, type DealInput, type HotelInput, type ProductInput } from '../../catalogue/import/rows.ts';
import { createCatalogueStore } from '../../catalogue/catalogue-store.ts';
import type { AdminApiOptions } from '../options.ts';
import { ApiError, decodeCursor, noBody, noContent, notFound, page, pageOf, pageQuery, route, type Route } from '../http.ts';
import { importResult, ITEM_KINDS, type ItemKind } from './catalogue-items.ts';

const UPLOAD_BATCH_SIZE = 500;

/** A body for one item: the import columns. Validated like an imported row (same messages). */
const itemBody = z.record(z.string(), z.unknown(), { error: 'body: a JSON object with the item\'s columns' });

/** A list's page, optionally only the items whose id or title contains `q` (a picker's search as you type). */
const listQuery = pageQuery.extend({ q: z.string().max(100, 'q: at most 100 characters').optional().describe('only items whose id or title (hotels: name) contains this text, ignoring case') });

const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export function catalogueRoutes(deps: AdminApiOptions): Route[] {
  const store = createCatalogueStore(deps.db, deps.clock);
  /** The routes of one kind, typed by its row and its JSON. */
  function kindRoutes<R extends { key: string; updated_at: number }, J>(item: ItemKind<R, J>): Route[] {
    const { kind, key: idName, one, toJson } = item;
    const q = {
      page: deps.db.prepare<[string, string, string, string, string, number], R>(`SELECT *, ${idName} AS key FROM ${kind} WHERE account = ? AND deleted = 0 AND ${idName} > ?
        AND (? = '' OR instr(lower(${idName}), ?) > 0 OR instr(lower(${kind === 'hotels' ? 'name' : 'title'}), ?) > 0) ORDER BY ${idName} LIMIT ?`),
      one: deps.db.prepare<[string, string], R>(`SELECT *, ${idName} AS key FROM ${kind} WHERE account = ? AND deleted = 0 AND ${idName} = ?`),
    };
    const tag = 'catalogue';
    const Kind = capital(kind);
    const One = capital(one);
    const write = (account: string, id: string, body: Record<string, unknown>): J => {
      const r = validateRow(kind, { ...body, [idName]: id });
      if (!r.ok) throw new ApiError(400, 'validation', r.reason, r.reason.split('; ').map((message) => ({ path: '', message })));
      const a = accountId(account);
      if (kind === 'products') {
        const p = r.value as ProductInput;
        if (!p.category) throw new ApiError(400, 'validation', 'category is missing (a path such as 女装/连衣裙)');
        store.upsertProducts([{ ...p, account: a, category: p.category }]);
      } else if (kind === 'hotels') store.upsertHotels([{ ...(r.value as HotelInput), account: a }]);
      else store.upsertDeals([{ ...(r.value as DealInput), account: a }]);
      return toJson(q.one.get(account, id)!);
    };
    return [
      route({
        method: 'get', path: `/${kind}`, id: `list${Kind}`, tag, summary: `List ${kind} (by ${idName})`, query: listQuery, response: pageOf(item.json),
        handler: ({ account, query }) => {
          const words = query.q?.trim().toLowerCase() ?? '';
          return page(q.page.all(account, decodeCursor<string>(query.cursor, 'string') ?? '', words, words, words, query.limit + 1), query.limit, (r) => r.key, toJson);
        },
      }),
      route({
        method: 'post', path: `/${kind}/import`, id: `import${Kind}`, tag, body: 'upload', response: importResult,
        summary: `Import ${kind} from a file (CSV, JSON, JSON Lines${kind === 'products' ? ', 淘宝助理' : ''}): multipart field "file", or the raw body with ?filename=`,
        returns: 'how many rows were imported and updated, and the rows that failed with their line and reason',
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
        method: 'get', path: `/${kind}/:id`, id: `get${One}`, tag, summary: `Read a ${one}`, response: item.json,
        handler: ({ account, params }) => {
          const row = q.one.get(account, params.id!);
          if (!row) throw notFound(`${one} ${params.id}`);
          return toJson(row);
        },
      }),
      route({
        method: 'put', path: `/${kind}/:id`, id: `upsert${One}`, tag, summary: `Create or replace a ${one} (the import columns; prices in yuan)`,
        body: itemBody, doc: item.input, response: item.json,
        handler: ({ account, params, body }) => write(account, params.id!, body),
      }),
      route({
        method: 'delete', path: `/${kind}/:id`, id: `delete${One}`, tag, summary: `Delete a ${one}`, response: noBody,
        handler: ({ account, params }) => {
          const a = accountId(account);
          const n = kind === 'products' ? store.deleteProducts(a, [params.id!]) : kind === 'hotels' ? store.deleteHotels(a, [params.id!]) : store.deleteDeals(a, [params.id!]);
          if (n === 0) throw notFound(`${one} ${params.id}`);
          return noContent;
        },
      }),
    ];
  }
  const [products, hotels, deals] = ITEM_KINDS;
  return [...kindRoutes(products), ...kindRoutes(hotels), ...kindRoutes(deals)];
}
