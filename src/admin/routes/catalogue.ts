/**
 * `/api/products`, `/api/hotels`, `/api/deals`: the catalogue, one item at a time (validated like an
 * imported row, in the same columns as the import files) or as a file upload through the importer, with
 * the failures per row; listed with filters; taken off sale and put back; previewed as the reply card the bot
 * sends. Writes go through the catalogue store, so every process's search sees them within its poll, like an
 * import.
 */
import { z } from 'zod';
import { productCard, hotelCard, dealCard } from '../../agent/replies.ts';
import type { Lang } from '../../core/lang.ts';
import { accountId, type Reply } from '../../core/messages.ts';
import { createLinks } from '../../core/page-links.ts';
import { describeRowProblem, type RowProblem } from '../../catalogue/import/row-problems.ts';
import type { Deal, Hotel, Product } from '../../catalogue/types.ts';
import { background } from '../../core/background.ts';
import { importCatalogue, ImportError, listedFailuresNote } from '../../catalogue/import/importer.ts';
import { validateRow, type DealInput, type HotelInput, type ProductInput } from '../../catalogue/import/rows.ts';
import { createCatalogueStore } from '../../catalogue/catalogue-store.ts';
import type { AdminApiOptions } from '../options.ts';
import { ApiError, decodeCursor, noBody, noContent, notFound, page, pageOf, route, type Route } from '../http.ts';
import { importResult, ITEM_KINDS, itemStatus, type ItemKind } from './catalogue-items.ts';
import { lister, listQuery } from './catalogue-list.ts';

const UPLOAD_BATCH_SIZE = 500;

/** A body for one item: the import columns. Validated like an imported row (same messages). */
const itemBody = z.record(z.string(), z.unknown(), { error: 'body: a JSON object with the item\'s columns' });

const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** The bulk status change: which items, and on or off sale. */
const statusBody = z.strictObject({
  ids: z.array(z.string().min(1, 'ids: an id is empty'), { error: 'ids: a list of ids' }).min(1, 'ids: at least one id').max(1000, 'ids: at most 1,000 at a time'),
  status: itemStatus,
});

/** What the reply preview answers: the news card the bot sends when a follower picks the item. */
const newsReply = z.strictObject({
  type: z.literal('news'),
  articles: z.array(z.strictObject({ title: z.string(), description: z.string().optional(), url: z.string(), imageUrl: z.string().optional() })),
});

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Problems in the order of the columns (as a form shows them), the id first. */
function sortedByField(problems: readonly RowProblem[], input: z.ZodType): RowProblem[] {
  const order = Object.keys((input as z.ZodObject).shape);
  const rank = (p: RowProblem) => (order.includes(p.field) ? order.indexOf(p.field) : -1);
  return [...problems].sort((a, b) => rank(a) - rank(b));
}

/** A 400 whose details put each problem on its column (`path`), in the language asked for. */
function rowError(problems: readonly RowProblem[], language: Lang): ApiError {
  const en = problems.map((p) => describeRowProblem(p, 'en')).join('; ');
  const message = language === 'en' ? en : problems.map((p) => describeRowProblem(p, language)).join('；');
  return new ApiError(400, 'validation', message, problems.map((p) => ({ path: p.field, message: describeRowProblem(p, language) })));
}

export function catalogueRoutes(deps: AdminApiOptions): Route[] {
  const sql = deps.sql;
  const store = createCatalogueStore(sql, deps.clock);
  /** The routes of one kind, typed by its row and its JSON. */
  function kindRoutes<R extends { key: string; updated_at: number; off_sale: number }, J>(item: ItemKind<R, J>): Route[] {
    const { kind, key: idName, one, toJson } = item;
    const q = {
      list: lister<R>(sql, item as unknown as ItemKind),
      one: (account: string, id: string) => sql.get<R>(`SELECT *, ${idName} AS key FROM ${kind} WHERE account = ? AND deleted = 0 AND ${idName} = ?`, [account, id]),
    };
    const tag = 'catalogue';
    const Kind = capital(kind);
    const One = capital(one);
    const write = async (account: string, id: string, body: Record<string, unknown>, language: Lang): Promise<J> => {
      const r = validateRow(kind, { ...body, [idName]: id });
      // An import may guess a product's category from its title; one item sent alone must name it.
      const noCategory: RowProblem[] = kind === 'products' && (r.ok ? !(r.value as ProductInput).category : !r.problems.some((p) => p.field === 'category')) && isBlank(body.category)
        ? [{ field: 'category', code: 'category_required' }] : [];
      if (!r.ok || noCategory.length) throw rowError(sortedByField([...(r.ok ? [] : r.problems), ...noCategory], item.input), language);
      const a = accountId(account);
      if (kind === 'products') {
        const p = r.value as ProductInput;
        if (!p.category) throw rowError([{ field: 'category', code: 'category_required' }], language);
        await store.upsertProducts([{ ...p, account: a, category: p.category }]);
      } else if (kind === 'hotels') await store.upsertHotels([{ ...(r.value as HotelInput), account: a }]);
      else await store.upsertDeals([{ ...(r.value as DealInput), account: a }]);
      return toJson((await q.one(account, id))!);
    };
    return [
      route({
        method: 'get', path: `/${kind}`, id: `list${Kind}`, tag, query: listQuery(item.filter),
        summary: `List ${kind} (by ${idName}), filtered by text, ${item.filter} and status`,
        response: pageOf(item.json).extend({ total: z.number().int().describe('items matching the filters, on every page') }),
        handler: async ({ account, query }) => ({
          ...page(await q.list.page(account, query, decodeCursor<string>(query.cursor, 'string') ?? '', query.limit + 1), query.limit, (r) => r.key, toJson),
          total: await q.list.count(account, query),
        }),
      }),
      route({
        method: 'post', path: `/${kind}/status`, id: `set${Kind}Status`, tag, body: statusBody, response: z.strictObject({ changed: z.number().int() }),
        summary: `Take ${kind} off sale, or put them back on sale: kept, but followers never get an item off sale`,
        returns: 'how many items changed (those already so are left alone); 404 naming the ids that do not exist, and nothing changes',
        handler: async ({ account, body }) => {
          const a = accountId(account);
          const missing: string[] = [];
          for (const id of body.ids) if (!(await store.get(kind, a, id))) missing.push(id);
          if (missing.length) throw notFound(`${kind} ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ` and ${missing.length - 20} more` : ''}`);
          return { changed: await store.setOffSale(kind, a, [...new Set(body.ids)], body.status === 'off_sale') };
        },
      }),
      route({
        method: 'post', path: `/${kind}/import`, id: `import${Kind}`, tag, body: 'upload', response: importResult,
        summary: `Import ${kind} from a file (CSV, JSON, JSON Lines${kind === 'products' ? ', 淘宝助理' : ''}): multipart field "file", or the raw body with ?filename=`,
        returns: 'how many rows were imported and updated, and the rows that failed with their line and reason',
        handler: async ({ account, file, lang: language }) => {
          if (!file) throw new ApiError(400, 'validation', 'send the file in the multipart field "file", or as the raw body with ?filename=NAME.csv');
          try {
            // In the process's background slices, shared with the search index that follows the import: the server
            // answers followers between them (each batch is one transaction).
            const r = await importCatalogue({
              db: sql, account: accountId(account), kind, file: file.path, fileName: file.name, clock: deps.clock,
              batchSize: UPLOAD_BATCH_SIZE, background, language,
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
        handler: async ({ account, params }) => {
          const row = await q.one(account, params.id!);
          if (!row) throw notFound(`${one} ${params.id}`);
          return toJson(row);
        },
      }),
      route({
        method: 'put', path: `/${kind}/:id`, id: `upsert${One}`, tag, summary: `Create or replace a ${one} (the import columns; prices in yuan)`,
        body: itemBody, doc: item.input, response: item.json,
        handler: ({ account, params, body, lang: language }) => write(account, params.id!, body, language),
      }),
      route({
        method: 'get', path: `/${kind}/:id/preview`, id: `preview${One}`, tag, response: newsReply,
        summary: `The reply card the bot sends for a ${one} (a news article), exactly as a follower gets it`,
        handler: async ({ account, params }) => {
          const a = accountId(account);
          const found = await store.get(kind, a, params.id!);
          if (!found) throw notFound(`${one} ${params.id}`);
          const links = createLinks(deps.baseUrl(), a);
          const reply: Reply =
            kind === 'products' ? productCard(found.item as Product, links.product(params.id!))
            : kind === 'hotels' ? hotelCard(found.item as Hotel, null, links.hotel(params.id!))
            : dealCard(found.item as Deal, links.deal(params.id!));
          if (reply.type !== 'news') throw new Error('an item card is a news reply');
          return { type: 'news' as const, articles: [...reply.articles] };
        },
      }),
      route({
        method: 'delete', path: `/${kind}/:id`, id: `delete${One}`, tag, summary: `Delete a ${one}`, response: noBody,
        handler: async ({ account, params }) => {
          const a = accountId(account);
          const n = await (kind === 'products' ? store.deleteProducts(a, [params.id!]) : kind === 'hotels' ? store.deleteHotels(a, [params.id!]) : store.deleteDeals(a, [params.id!]));
          if (n === 0) throw notFound(`${one} ${params.id}`);
          return noContent;
        },
      }),
    ];
  }
  const [products, hotels, deals] = ITEM_KINDS;
  return [...kindRoutes(products), ...kindRoutes(hotels), ...kindRoutes(deals)];
}
