/**
 * The catalogue in the database (SQLite or PostgreSQL): products, hotels and deals of every account, with a change
 * feed.
 *
 * Every write is one batch: one transaction that takes the next `catalogue_rev.rev` and stamps each row it
 * touches with it. Batches take turns on that row on every instance, so a reader in another process that polls
 * `changesSince(kind, lastSeen)` sees whole batches or nothing, and never a revision before an earlier one. Deletions are soft (`deleted = 1`, new rev) so the feed carries them too. An item
 * taken off sale (`off_sale = 1`, new rev) is kept but the feed carries it as deleted, so followers never get
 * it; put back on sale (new rev) it is carried as upserted again.
 *
 * To keep an in-memory index in step: take `currentRev()` first, then `allProducts(account)`, then poll
 * `changesSince('products', rev)` with the rev you took (a batch landing in between is then seen twice,
 * which an upsert into the index absorbs, rather than never).
 */
import type { AccountId } from '../core/messages.ts';
import { accountId } from '../core/messages.ts';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { Db } from '../db/db.ts';
import type { Param, Sql, Tx } from '../db/sql/sql.ts';
import { asSql } from '../db/sql/sqlite.ts';
import { takeNextRevision } from '../db/change-notices.ts';
import { summarizeColumns, type SummaryColumns, type SummaryInterner } from './product-summary.ts';
import type { CatalogueKind, Deal, Hotel, Product, ProductDetails, ProductSummary } from './types.ts';

/** The item type of each catalogue kind. */
interface CatalogueItems {
  products: Product;
  hotels: Hotel;
  deals: Deal;
}
export type CatalogueItem<K extends CatalogueKind> = CatalogueItems[K];

/** One row of one account: `id` is the sku for products. */
interface CatalogueRef {
  readonly account: AccountId;
  readonly id: string;
}

/** What changed after a revision, across accounts. `rev` is the revision to poll from next. */
export interface CatalogueChanges<T> {
  readonly rev: number;
  /** Rows created or replaced (not deleted), each with its account. */
  readonly upserted: T[];
  /** Rows soft-deleted since; a row deleted and re-imported since appears in `upserted` only. */
  readonly deleted: CatalogueRef[];
}

/**
 * A place in the change feed, to read on from: past every row of revisions up to `rev`, or, with `after`,
 * past the rows of revision `rev` up to that one (feed order is rev, account, id).
 */
export interface FeedPosition {
  readonly rev: number;
  readonly after?: CatalogueRef;
}

/** One page of the change feed; `next` is where to read on, null once the range asked for is exhausted. */
export interface FeedPage<T> {
  readonly upserted: T[];
  readonly deleted: CatalogueRef[];
  readonly next: FeedPosition | null;
}

/** The outcome of one batch write. */
export interface WriteResult {
  /** The revision the batch took (unchanged when the batch was empty). */
  readonly rev: number;
  /** Rows that did not exist (or had been deleted) before. */
  readonly inserted: number;
  /** Rows that replaced a live row with the same id. */
  readonly updated: number;
}

/** Category paths are stored as `a/b`. */
export const CATEGORY_SEPARATOR = '/';

interface ProductRow {
  account: string;
  sku: string;
  title: string;
  category: string;
  price_fen: number;
  original_price_fen: number | null;
  brand: string | null;
  tags: string;
  stock: number | null;
  image_url: string | null;
  url: string | null;
  description: string | null;
  /** A JSON array of names, or null. */
  variants: string | null;
  deleted: number;
  off_sale: number;
}

interface HotelRow {
  account: string;
  id: string;
  name: string;
  city: string;
  lat: number;
  lng: number;
  district: string | null;
  address: string | null;
  price_fen: number | null;
  rating: number | null;
  stars: number | null;
  phone: string | null;
  url: string | null;
  image_url: string | null;
  tags: string;
  deleted: number;
  off_sale: number;
}

interface DealRow {
  account: string;
  id: string;
  title: string;
  city: string;
  price_fen: number;
  original_price_fen: number | null;
  merchant: string | null;
  district: string | null;
  category: string | null;
  starts_at: number | null;
  ends_at: number | null;
  stock: number | null;
  url: string | null;
  image_url: string | null;
  lat: number | null;
  lng: number | null;
  deleted: number;
  off_sale: number;
}

const parseTags = (json: string): string[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
};

const productFromRow = (r: ProductRow): Product => ({
  account: accountId(r.account),
  sku: r.sku,
  title: r.title,
  category: r.category.split(CATEGORY_SEPARATOR),
  priceFen: r.price_fen,
  originalPriceFen: r.original_price_fen,
  brand: r.brand,
  tags: parseTags(r.tags),
  stock: r.stock,
  imageUrl: r.image_url,
  url: r.url,
  description: r.description,
  ...(r.variants ? { variants: parseTags(r.variants) } : {}),
});

const hotelFromRow = (r: HotelRow): Hotel => ({
  account: accountId(r.account),
  id: r.id,
  name: r.name,
  city: r.city,
  lat: r.lat,
  lng: r.lng,
  district: r.district,
  address: r.address,
  priceFen: r.price_fen,
  rating: r.rating,
  stars: r.stars,
  phone: r.phone,
  url: r.url,
  imageUrl: r.image_url,
  tags: parseTags(r.tags),
});

const dealFromRow = (r: DealRow): Deal => ({
  account: accountId(r.account),
  id: r.id,
  title: r.title,
  city: r.city,
  priceFen: r.price_fen,
  originalPriceFen: r.original_price_fen,
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
});

const productParams = (p: Product) => ({
  account: p.account,
  id: p.sku,
  title: p.title,
  category: p.category.join(CATEGORY_SEPARATOR),
  price_fen: p.priceFen,
  original_price_fen: p.originalPriceFen,
  brand: p.brand,
  tags: JSON.stringify(p.tags),
  stock: p.stock,
  image_url: p.imageUrl,
  url: p.url,
  description: p.description,
  variants: p.variants?.length ? JSON.stringify(p.variants) : null,
});

const hotelParams = (h: Hotel) => ({
  account: h.account,
  id: h.id,
  name: h.name,
  city: h.city,
  lat: h.lat,
  lng: h.lng,
  district: h.district,
  address: h.address,
  price_fen: h.priceFen,
  rating: h.rating,
  stars: h.stars,
  phone: h.phone,
  url: h.url,
  image_url: h.imageUrl,
  tags: JSON.stringify(h.tags),
});

const dealParams = (d: Deal) => ({
  account: d.account,
  id: d.id,
  title: d.title,
  city: d.city,
  price_fen: d.priceFen,
  original_price_fen: d.originalPriceFen,
  merchant: d.merchant,
  district: d.district,
  category: d.category,
  starts_at: d.startsAt,
  ends_at: d.endsAt,
  stock: d.stock,
  url: d.url,
  image_url: d.imageUrl,
  lat: d.lat,
  lng: d.lng,
});

/** How each kind maps onto its table. */
interface TableSpec<T, R> {
  readonly table: CatalogueKind;
  /** The id column: `sku` for products, `id` otherwise. */
  readonly key: 'sku' | 'id';
  /** Data columns (besides account, the key, deleted, rev, updated_at), named as in the table. */
  readonly columns: readonly string[];
  readonly toParams: (item: T) => Record<string, unknown> & { account: string; id: string };
  readonly fromRow: (row: R) => T;
}

const PRODUCTS: TableSpec<Product, ProductRow> = {
  table: 'products',
  key: 'sku',
  columns: ['title', 'category', 'price_fen', 'original_price_fen', 'brand', 'tags', 'stock', 'image_url', 'url', 'description', 'variants'],
  toParams: productParams,
  fromRow: productFromRow,
};

const HOTELS: TableSpec<Hotel, HotelRow> = {
  table: 'hotels',
  key: 'id',
  columns: ['name', 'city', 'lat', 'lng', 'district', 'address', 'price_fen', 'rating', 'stars', 'phone', 'url', 'image_url', 'tags'],
  toParams: hotelParams,
  fromRow: hotelFromRow,
};

const DEALS: TableSpec<Deal, DealRow> = {
  table: 'deals',
  key: 'id',
  columns: [
    'title', 'city', 'price_fen', 'original_price_fen', 'merchant', 'district', 'category', 'starts_at', 'ends_at', 'stock',
    'url', 'image_url', 'lat', 'lng',
  ],
  toParams: dealParams,
  fromRow: dealFromRow,
};

/** Rows read at a time by `eachProductSummary`: a page is a few MB, and a million rows are never held at once. */
const SUMMARY_PAGE = 5_000;
/**
 * Rows per upsert statement on PostgreSQL (as one JSON array): a round trip per row took the PostgreSQL import two
 * round trips a row; a few thousand a statement keeps a statement's JSON to a few MB.
 */
const UPSERT_PART = 2_000;

/** A lone half of a surrogate pair: a parameter carries it to the database as U+FFFD, so must the JSON. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/**
 * Rows as one JSON array for PostgreSQL. JSON.stringify writes a lone surrogate (a JSON import may hold one) as
 * `\udXXX`, which PostgreSQL refuses when it reads the text out: such strings become U+FFFD first, as the row-by-row
 * path's parameters made them. The test is on the JSON text (rarely true, and then only a slower path).
 */
function jsonRows(rows: readonly Record<string, unknown>[]): string {
  const json = JSON.stringify(rows);
  if (!/\\ud[89a-f]/.test(json)) return json;
  return JSON.stringify(rows, (_key, v: unknown) => (typeof v === 'string' ? v.replace(LONE_SURROGATE, '\ufffd') : v));
}

/**
 * The catalogue store over an open database (SQLite or PostgreSQL).
 * @example
 * const catalogue = createCatalogueStore(sql);
 * await catalogue.upsertProducts([product]);           // one batch: one transaction, one new rev
 * const { rev, upserted } = await catalogue.changesSince('products', lastSeen);
 */
export function createCatalogueStore(db: Db | Sql, clock: Clock = systemClock) {
  const sql = asSql(db);
  const readRev = async (): Promise<number> => (await sql.get<{ rev: number }>('SELECT rev FROM catalogue_rev WHERE id = 1'))!.rev;
  // On PostgreSQL it also tells every instance's search to look now (change-notices.ts).
  const bumpRev = (tx: Tx): Promise<number> => takeNextRevision(tx, 'catalogue_rev');

  /**
   * Runs `write(tx, rev, now)` in one transaction holding the next revision. Taking it first locks the revision
   * row until the commit, so catalogue writes on every instance take turns: a batch commits before the next one
   * takes a revision (a reader that saw revision N has every row up to N), and a read-modify-write inside a
   * batch (tags, the inserted/updated count) sees no other writer.
   */
  const inBatch = <R>(write: (tx: Tx, rev: number, now: number) => Promise<R>): Promise<R> =>
    sql.transaction(async (tx) => write(tx, await bumpRev(tx), clock.now()));

  function table<T, R extends { deleted: number; off_sale: number; account: string }>(spec: TableSpec<T, R>) {
    const { table: name, key, columns } = spec;
    const upsert = `
      INSERT INTO ${name} (account, ${key}, ${columns.join(', ')}, deleted, rev, updated_at)
      VALUES (?, ?, ${columns.map(() => '?').join(', ')}, 0, ?, ?)
      ON CONFLICT (account, ${key}) DO UPDATE SET
        ${columns.map((c) => `${c} = excluded.${c}`).join(', ')},
        -- A rewrite (an import, an edit) keeps an item off sale; a deleted item comes back on sale.
        off_sale = CASE WHEN ${name}.deleted = 1 THEN 0 ELSE ${name}.off_sale END, deleted = 0, rev = excluded.rev, updated_at = excluded.updated_at`;
    const exists = `SELECT deleted FROM ${name} WHERE account = ? AND ${key} = ?`;
    // PostgreSQL: UPSERT_PART rows a statement, their columns read from one JSON array as the table's own row type.
    // `live` counts the rows that were live before (the statement's snapshot is taken before its INSERT writes).
    const upsertMany = `
      WITH input AS (SELECT * FROM json_populate_recordset(CAST(NULL AS ${name}), CAST(? AS json))),
      live AS (SELECT COUNT(*) AS n FROM ${name} t JOIN input i ON t.account = i.account AND t.${key} = i.${key} WHERE t.deleted = 0),
      written AS (
        INSERT INTO ${name} (account, ${key}, ${columns.join(', ')}, deleted, rev, updated_at)
        SELECT account, ${key}, ${columns.join(', ')}, 0, ?, ? FROM input
        ON CONFLICT (account, ${key}) DO UPDATE SET
          ${columns.map((c) => `${c} = excluded.${c}`).join(', ')},
          off_sale = CASE WHEN ${name}.deleted = 1 THEN 0 ELSE ${name}.off_sale END, deleted = 0, rev = excluded.rev, updated_at = excluded.updated_at)
      SELECT n AS live FROM live`;
    const softDelete = `UPDATE ${name} SET deleted = 1, rev = ?, updated_at = ? WHERE account = ? AND ${key} = ? AND deleted = 0`;
    const all = `SELECT * FROM ${name} WHERE account = ? AND deleted = 0 AND off_sale = 0 ORDER BY ${key}`;
    const one = `SELECT * FROM ${name} WHERE account = ? AND ${key} = ? AND deleted = 0`;
    const setOffSale = `UPDATE ${name} SET off_sale = ?, rev = ?, updated_at = ? WHERE account = ? AND ${key} = ? AND deleted = 0 AND off_sale <> ?`;
    // Pages walk the rev index in its own order (rev, then the primary key it carries): no sort, no rescan.
    type FeedRow = R & { key: string; rev: number };
    const since = `SELECT *, ${key} AS key FROM ${name} WHERE rev > ? AND rev <= ? ORDER BY rev, account, ${key}`;
    const pageFrom = `SELECT *, ${key} AS key FROM ${name} WHERE rev > ? AND rev <= ? ORDER BY rev, account, ${key} LIMIT ?`;
    const pageAfter = `SELECT *, ${key} AS key FROM ${name} WHERE (rev, account, ${key}) > (?, ?, ?) AND rev <= ?
       ORDER BY rev, account, ${key} LIMIT ?`;
    const count = `SELECT count(*) AS n FROM ${name} WHERE account = ? AND deleted = 0 AND off_sale = 0`;
    const split = (rows: Iterable<R & { key: string; off_sale: number }>) => {
      const upserted: T[] = [];
      const deleted: CatalogueRef[] = [];
      for (const row of rows) {
        // Off sale reads as deleted to followers' search: one path for both (see the top of this file).
        if (row.deleted || row.off_sale) deleted.push({ account: accountId(row.account), id: row.key });
        else upserted.push(spec.fromRow(row));
      }
      return { upserted, deleted };
    };
    const valuesOf = (item: T, rev: number, now: number): Param[] => {
      const p = spec.toParams(item);
      return [p.account, p.id, ...columns.map((c) => p[c] as Param), rev, now];
    };

    /**
     * PostgreSQL's upsert of a batch, as the row-by-row one below leaves it: of rows with the same key the last
     * wins (one statement may not write a row twice), and each earlier one counts as an update (of the row the one
     * before it wrote); the rest count as updates when their row was live before.
     */
    async function upsertOnPostgres(tx: Tx, items: readonly T[], rev: number, now: number): Promise<WriteResult> {
      const last = new Map<string, Record<string, unknown>>();
      for (const item of items) {
        const p: Record<string, unknown> = spec.toParams(item);
        p[key] = p.id;
        last.set(`${p.account as string}\u0000${p.id as string}`, p);
      }
      const rows = [...last.values()];
      let updated = items.length - rows.length;
      for (let from = 0; from < rows.length; from += UPSERT_PART) {
        const part = rows.slice(from, from + UPSERT_PART);
        updated += (await tx.get<{ live: number }>(upsertMany, [jsonRows(part), rev, now]))!.live;
      }
      return { rev, inserted: items.length - updated, updated };
    }

    return {
      async upsert(items: readonly T[]): Promise<WriteResult> {
        if (items.length === 0) return { rev: await readRev(), inserted: 0, updated: 0 };
        return inBatch(async (tx, rev, now) => {
          if (tx.dialect === 'postgres') return upsertOnPostgres(tx, items, rev, now);
          let updated = 0;
          for (const item of items) {
            const values = valuesOf(item, rev, now);
            if ((await tx.get<{ deleted: number }>(exists, [values[0]!, values[1]!]))?.deleted === 0) updated++;
            await tx.run(upsert, values);
          }
          return { rev, inserted: items.length - updated, updated };
        });
      },
      async remove(account: AccountId, ids: readonly string[]): Promise<number> {
        if (ids.length === 0) return 0;
        return inBatch(async (tx, rev, now) => {
          let n = 0;
          for (const id of ids) n += (await tx.run(softDelete, [rev, now, account, id])).changes;
          return n;
        });
      },
      async setOffSale(account: AccountId, ids: readonly string[], offSale: boolean): Promise<number> {
        if (ids.length === 0) return 0;
        const flag = offSale ? 1 : 0;
        return inBatch(async (tx, rev, now) => {
          let n = 0;
          for (const id of ids) n += (await tx.run(setOffSale, [flag, rev, now, account, id, flag])).changes;
          return n;
        });
      },
      async get(account: AccountId, id: string): Promise<{ item: T; offSale: boolean } | null> {
        const row = await sql.get<R>(one, [account, id]);
        return row ? { item: spec.fromRow(row), offSale: row.off_sale === 1 } : null;
      },
      all: async (account: AccountId): Promise<T[]> => (await sql.all<R>(all, [account])).map(spec.fromRow),
      async changesSince(after: number): Promise<CatalogueChanges<T>> {
        // The revision first, then the rows up to it: every row of those revisions has committed (see inBatch),
        // and a row rewritten since is left to the next read, which finds it past this revision.
        const rev = await readRev();
        return { ...split(await sql.all<FeedRow>(since, [after, rev])), rev };
      },
      async changesPage(from: FeedPosition, upTo: number, limit: number): Promise<FeedPage<T>> {
        const rows = from.after
          ? await sql.all<FeedRow>(pageAfter, [from.rev, from.after.account, from.after.id, upTo, limit])
          : await sql.all<FeedRow>(pageFrom, [from.rev, upTo, limit]);
        const last = rows[rows.length - 1];
        const next = rows.length < limit || !last ? null : { rev: last.rev, after: { account: accountId(last.account), id: last.key } };
        return { ...split(rows), next };
      },
      count: async (account: AccountId): Promise<number> => (await sql.get<{ n: number }>(count, [account]))!.n,
    };
  }

  const products = table(PRODUCTS);
  const hotels = table(HOTELS);
  const deals = table(DEALS);
  const tables = { products, hotels, deals } as const;
  // A walk in primary-key order, of the columns a summary has: no URLs or descriptions decoded. Quoted aliases:
  // PostgreSQL folds unquoted names to lower case.
  const summaryColumns = `account, sku, title, category, price_fen AS "priceFen", original_price_fen AS "originalPriceFen", brand, tags, stock`;
  /** Live products on sale in primary-key order, `columns` of them, a page at a time (a keyset walk: each page a seek). */
  async function walkProducts<C extends { account: string; sku: string }>(columns: string, visit: (row: C) => void): Promise<void> {
    const from = `SELECT ${columns} FROM products WHERE deleted = 0 AND off_sale = 0 ORDER BY account, sku LIMIT ?`;
    const after = `SELECT ${columns} FROM products WHERE (account, sku) > (?, ?) AND deleted = 0 AND off_sale = 0 ORDER BY account, sku LIMIT ?`;
    let last: C | undefined;
    for (;;) {
      const rows = last ? await sql.all<C>(after, [last.account, last.sku, SUMMARY_PAGE]) : await sql.all<C>(from, [SUMMARY_PAGE]);
      for (const row of rows) visit(row);
      if (rows.length < SUMMARY_PAGE) return;
      last = rows[rows.length - 1];
    }
  }
  const details = 'SELECT image_url, url, description, variants FROM products WHERE account = ? AND sku = ?';
  const categories = 'SELECT DISTINCT category FROM products WHERE account = ? AND deleted = 0 AND off_sale = 0';
  const productTags = 'SELECT tags FROM products WHERE account = ? AND sku = ? AND deleted = 0';
  const setProductTags = 'UPDATE products SET tags = ?, rev = ?, updated_at = ? WHERE account = ? AND sku = ?';

  return {
    /** Creates or replaces products by (account, sku), as one batch. Throws (and writes nothing) on a constraint violation. */
    upsertProducts: (rows: readonly Product[]): Promise<WriteResult> => products.upsert(rows),
    /** Creates or replaces hotels by (account, id), as one batch. */
    upsertHotels: (rows: readonly Hotel[]): Promise<WriteResult> => hotels.upsert(rows),
    /** Creates or replaces deals by (account, id), as one batch. */
    upsertDeals: (rows: readonly Deal[]): Promise<WriteResult> => deals.upsert(rows),
    /** Soft-deletes products as one batch; returns how many live products were deleted. */
    deleteProducts: (account: AccountId, skus: readonly string[]): Promise<number> => products.remove(account, skus),
    deleteHotels: (account: AccountId, ids: readonly string[]): Promise<number> => hotels.remove(account, ids),
    deleteDeals: (account: AccountId, ids: readonly string[]): Promise<number> => deals.remove(account, ids),
    /**
     * Takes items of `kind` off sale (`offSale` true) or puts them back on sale, as one batch; returns how many
     * changed (items already so, deleted or unknown are left alone). The feed carries the change like a delete
     * or an upsert, so every process's search drops or returns them within its poll.
     */
    setOffSale: (kind: CatalogueKind, account: AccountId, ids: readonly string[], offSale: boolean): Promise<number> =>
      tables[kind].setOffSale(account, ids, offSale),
    /** One item of `kind` that is not deleted (on sale or not), with whether it is off sale; null when there is none. */
    get<K extends CatalogueKind>(kind: K, account: AccountId, id: string): Promise<{ item: CatalogueItem<K>; offSale: boolean } | null> {
      return tables[kind].get(account, id) as Promise<{ item: CatalogueItem<K>; offSale: boolean } | null>;
    },
    /** The account's live products on sale (for building an index at start). */
    allProducts: (account: AccountId): Promise<Product[]> => products.all(account),
    allHotels: (account: AccountId): Promise<Hotel[]> => hotels.all(account),
    allDeals: (account: AccountId): Promise<Deal[]> => deals.all(account),
    /**
     * Everything of `kind` written after revision `rev`, across accounts, up to the revision it returns.
     * @example let seen = await catalogue.currentRev(); … const c = await catalogue.changesSince('products', seen); seen = c.rev;
     */
    changesSince<K extends CatalogueKind>(kind: K, rev: number): Promise<CatalogueChanges<CatalogueItem<K>>> {
      return tables[kind].changesSince(rev) as Promise<CatalogueChanges<CatalogueItem<K>>>;
    },
    /**
     * At most `limit` rows of `kind` past `from` and written at or before revision `upTo`, in feed order. The
     * pages of one range are not one snapshot: a row rewritten between two pages moves past `upTo` and is read by
     * the next range instead, so a reader that pages up to `upTo` and then reads on from there misses nothing.
     * Lets a reader take a large backlog a little at a time.
     * @example
     * let page = await catalogue.changesPage('products', { rev: seen }, upTo, 200);
     * while (page.next) page = await catalogue.changesPage('products', page.next, upTo, 200);
     */
    changesPage<K extends CatalogueKind>(kind: K, from: FeedPosition, upTo: number, limit: number): Promise<FeedPage<CatalogueItem<K>>> {
      return tables[kind].changesPage(from, upTo, limit) as Promise<FeedPage<CatalogueItem<K>>>;
    },
    /**
     * Adds `tag` to products, as one batch (the feed carries them to every search index). Returns the skus
     * tagged now and those that had it already; when some sku is not a live product of the account, nothing
     * is written and `missing` lists them.
     */
    tagProducts(account: AccountId, skus: readonly string[], tag: string): Promise<{ tagged: string[]; unchanged: string[]; missing: string[] }> {
      return sql.transaction(async (tx) => {
        // The revision row locked before the tags are read (a no-op update): another writer's tags cannot land
        // between this read and the write below. The revision itself moves only when something is tagged.
        await tx.run('UPDATE catalogue_rev SET rev = rev WHERE id = 1');
        const rows: { sku: string; row: { tags: string } | undefined }[] = [];
        for (const sku of new Set(skus)) rows.push({ sku, row: await tx.get<{ tags: string }>(productTags, [account, sku]) });
        const missing = rows.filter((r) => !r.row).map((r) => r.sku);
        if (missing.length) return { tagged: [], unchanged: [], missing };
        const untagged = rows.filter((r) => !parseTags(r.row!.tags).includes(tag));
        if (untagged.length) {
          const rev = await bumpRev(tx);
          for (const r of untagged) await tx.run(setProductTags, [JSON.stringify([...parseTags(r.row!.tags), tag]), rev, clock.now(), account, r.sku]);
        }
        const tagged = untagged.map((r) => r.sku);
        return { tagged, unchanged: rows.map((r) => r.sku).filter((s) => !tagged.includes(s)), missing };
      });
    },
    /**
     * Every account's live products on sale, as summaries (`intern` shares their repeated strings), one at a time
     * to `visit`, and the revision to follow the feed from: like `changesSince('products', 0)` but without holding
     * a million rows, or their URLs and descriptions, at once. Read a page at a time after the revision, so a
     * product written meanwhile is visited as it is now and read again from the feed (an upsert absorbs it).
     */
    async eachProductSummary(intern: SummaryInterner, visit: (p: ProductSummary) => void): Promise<number> {
      const rev = await readRev();
      await walkProducts<SummaryColumns>(summaryColumns, (row) => visit(summarizeColumns(row, intern, parseTags)));
      return rev;
    },
    /**
     * Every live product's details on sale, one at a time to `visit`, a page at a time (for a search that holds
     * them: see src/search/product-details.ts). Products written meanwhile reach the holder from the feed.
     */
    eachProductDetails: (visit: (account: AccountId, sku: string, d: ProductDetails) => void): Promise<void> =>
      walkProducts<DetailColumns & { account: string; sku: string }>('account, sku, image_url, url, description, variants', (row) =>
        visit(accountId(row.account), row.sku, detailsFromColumns(row))),
    /**
     * What a product's page shows besides its summary (image, link, description, variants), deleted or not (the
     * caller's index decides what is live); null when there never was such a product.
     */
    async productDetails(account: AccountId, sku: string): Promise<ProductDetails | null> {
      const r = await sql.get<DetailColumns>(details, [account, sku]);
      return r ? detailsFromColumns(r) : null;
    },
    /** The latest catalogue revision (0 before any write). */
    currentRev: (): Promise<number> => readRev(),
    /** Live rows of `kind` on sale in the account. */
    count: (kind: CatalogueKind, account: AccountId): Promise<number> => tables[kind].count(account),
    /** The account's live product category paths, e.g. [['女装', '连衣裙'], …]. */
    categories: async (account: AccountId): Promise<string[][]> =>
      (await sql.all<{ category: string }>(categories, [account])).map((r) => r.category.split(CATEGORY_SEPARATOR)),
  };
}
export type CatalogueStore = ReturnType<typeof createCatalogueStore>;

/** A product's detail columns as stored. */
export interface DetailColumns {
  image_url: string | null;
  url: string | null;
  description: string | null;
  /** A JSON array of names, or null. */
  variants: string | null;
}

export const detailsFromColumns = (r: DetailColumns): ProductDetails => ({
  imageUrl: r.image_url,
  url: r.url,
  description: r.description,
  ...(r.variants ? { variants: parseTags(r.variants) } : {}),
});
