/**
 * The catalogue list's filters: text (`q`), a product's category or a hotel's or deal's city, and on or off
 * sale, over pages by id; and how many items match, for the console's pager. One prepared statement per
 * combination of filters (at most 8 per kind), made on first use.
 *
 * Cost: the category (a path and its sub-paths, as a range) and the city use the (account, category|city)
 * indexes; `q` is a LIKE over a few text columns, a scan of the account's items, which the console debounces.
 * Over 10,000 products a page and its total take about 5 ms (q) and 3 ms (category) over HTTP, and up to
 * ~90 ms on a busy shared 2-core machine, measured (and printed) by test/admin/catalogue.test.ts.
 */
import { z } from 'zod';
import type { Db } from '../../db/db.ts';
import { pageQuery } from '../http.ts';
import { itemStatus, type ItemKind } from './catalogue-items.ts';

const text = (name: string, max: number) =>
  z.string().trim().max(max, `${name}: at most ${max} characters`).optional().transform((v) => (v === '' ? undefined : v));

/** The list's query for one kind: the page, then the filters that kind has. */
export function listQuery(filter: ItemKind['filter']) {
  return pageQuery.extend({
    q: text('q', 100).describe('text in the title or name, the id, and a few other text columns (case-insensitive for Latin letters)'),
    [filter]: text(filter, 200).describe(
      filter === 'category' ? 'a category path: that category and every category under it, e.g. 女装 or 女装/连衣裙' : 'a city, exactly as imported, e.g. 上海',
    ),
    status: itemStatus.optional().describe('only items on sale, or only items off sale (default both)'),
  }) as unknown as z.ZodType<ListQuery>;
}

export interface ListQuery {
  readonly limit: number;
  readonly cursor?: string | undefined;
  readonly q?: string | undefined;
  readonly category?: string | undefined;
  readonly city?: string | undefined;
  readonly status?: z.infer<typeof itemStatus> | undefined;
}

/** `%`, `_` and `\` match themselves in the LIKE pattern. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;

/**
 * The list queries of one kind: a page after a key, and the count, both under the same filters.
 * @example lister(db, products).page('default', { limit: 50, q: '连衣裙' }, '')
 */
export function lister<R>(db: Db, item: ItemKind) {
  const { kind, key, filter, searched } = item;
  type Params = Record<string, string | number>;
  const cache = new Map<string, { page: ReturnType<Db['prepare']>; count: ReturnType<Db['prepare']> }>();
  const statements = (query: ListQuery) => {
    const where = ['account = @account', 'deleted = 0'];
    if (query.q !== undefined) where.push(`(${searched.map((c) => `${c} LIKE @q ESCAPE '\\'`).join(' OR ')})`);
    if (filter === 'category' && query.category !== undefined) {
      // The category and its sub-paths: 女装 and 女装/…, as one range of the index ('0' follows '/').
      where.push(`(category = @category OR (category > @category || '/' AND category < @category || '0'))`);
    }
    if (filter === 'city' && query.city !== undefined) where.push('city = @city');
    if (query.status !== undefined) where.push('off_sale = @off');
    const shape = where.join(' AND ');
    let s = cache.get(shape);
    if (!s) {
      s = {
        page: db.prepare(`SELECT *, ${key} AS key FROM ${kind} WHERE ${shape} AND ${key} > @after ORDER BY ${key} LIMIT @limit`),
        count: db.prepare(`SELECT count(*) AS n FROM ${kind} WHERE ${shape}`),
      };
      cache.set(shape, s);
    }
    return s;
  };
  const params = (account: string, query: ListQuery): Params => ({
    account,
    ...(query.q !== undefined ? { q: likePattern(query.q) } : {}),
    ...(filter === 'category' && query.category !== undefined ? { category: query.category.split(/\s*[/>／]\s*/).join('/') } : {}),
    ...(filter === 'city' && query.city !== undefined ? { city: query.city } : {}),
    ...(query.status !== undefined ? { off: query.status === 'off_sale' ? 1 : 0 } : {}),
  });
  return {
    /** `limit` rows after the key `after` ('' for the first page). */
    page: (account: string, query: ListQuery, after: string, limit: number): R[] =>
      statements(query).page.all({ ...params(account, query), after, limit }) as R[],
    /** How many items match, on every page. */
    count: (account: string, query: ListQuery): number => (statements(query).count.get(params(account, query)) as { n: number }).n,
  };
}
