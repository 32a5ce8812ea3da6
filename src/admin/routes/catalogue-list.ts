/**
 * The catalogue list's filters: text (`q`), a product's category or a hotel's or deal's city, and on or off
 * sale, over pages by id; and how many items match, for the console's pager. One statement text per combination
 * of filters (at most 8 per kind), prepared by the adapter on first use.
 *
 * Cost: the category (a path and its sub-paths, as a range) and the city use the (account, category|city)
 * indexes; `q` is a LIKE over a few text columns, a scan of the account's items, which the console debounces.
 * Over 10,000 products a page and its total take about 5 ms (q) and 3 ms (category) over HTTP, and up to
 * ~90 ms on a busy shared 2-core machine, measured (and printed) by test/admin/catalogue.test.ts.
 */
import { z } from 'zod';
import type { Param, Sql } from '../../db/sql/sql.ts';
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
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);
const likePattern = (q: string) => `%${escapeLike(q)}%`;

/**
 * The list queries of one kind: a page after a key, and the count, both under the same filters.
 * @example await lister(sql, products).page('default', { limit: 50, q: '连衣裙' }, '')
 */
export function lister<R>(sql: Sql, item: ItemKind) {
  const { kind, key, filter, searched } = item;
  // PostgreSQL's LIKE minds case; ILIKE is its case-insensitive one (SQLite's LIKE is, for Latin letters).
  const like = sql.dialect === 'postgres' ? 'ILIKE' : 'LIKE';
  const where = (account: string, query: ListQuery): { shape: string; params: Param[] } => {
    const shape = ['account = ?', 'deleted = 0'];
    const params: Param[] = [account];
    if (query.q !== undefined) {
      shape.push(`(${searched.map((c) => `${c} ${like} ? ESCAPE '\\'`).join(' OR ')})`);
      params.push(...searched.map(() => likePattern(query.q!)));
    }
    if (filter === 'category' && query.category !== undefined) {
      const category = query.category.split(/\s*[/>／]\s*/).join('/');
      if (sql.dialect === 'sqlite') {
        // The category and its sub-paths: 女装 and 女装/…, as one range of the index ('0' follows '/').
        shape.push(`(category = ? OR (category > ? AND category < ?))`);
        params.push(category, category + '/', category + '0');
      } else {
        // PostgreSQL compares text in the database's collation, where '/' need not sort before '0': a prefix.
        shape.push(`(category = ? OR category LIKE ? ESCAPE '\\')`);
        params.push(category, `${escapeLike(category)}/%`);
      }
    }
    if (filter === 'city' && query.city !== undefined) {
      shape.push('city = ?');
      params.push(query.city);
    }
    if (query.status !== undefined) {
      shape.push('off_sale = ?');
      params.push(query.status === 'off_sale' ? 1 : 0);
    }
    return { shape: shape.join(' AND '), params };
  };
  return {
    /** `limit` rows after the key `after` ('' for the first page). */
    page(account: string, query: ListQuery, after: string, limit: number): Promise<R[]> {
      const { shape, params } = where(account, query);
      return sql.all<R>(`SELECT *, ${key} AS key FROM ${kind} WHERE ${shape} AND ${key} > ? ORDER BY ${key} LIMIT ?`, [...params, after, limit]);
    },
    /** How many items match, on every page. */
    async count(account: string, query: ListQuery): Promise<number> {
      const { shape, params } = where(account, query);
      return (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${kind} WHERE ${shape}`, params))!.n;
    },
  };
}
