/**
 * Where the search's `product()` finds what a product's page shows besides its summary (image, link,
 * description, variants), synchronously: a follower's message never waits on the database for search.
 *
 * - SQLite: read from the connection when asked (one indexed read, in-process), so a million products do not
 *   hold their URLs and descriptions in memory.
 * - PostgreSQL: a read there is a round trip, so the details are held in memory beside the summaries, loaded
 *   with them and kept in step by the same change feed (about 200 bytes a product more).
 */
import type Database from 'better-sqlite3';
import { detailsFromColumns, type CatalogueStore, type DetailColumns } from '../catalogue/catalogue-store.ts';
import type { Product, ProductDetails } from '../catalogue/types.ts';
import type { AccountId } from '../core/messages.ts';
import type { Sql } from '../db/sql/sql.ts';

export interface ProductDetailsSource {
  /** The product's details, deleted or not (the index decides what is live); null when there are none. */
  read(account: AccountId, sku: string): ProductDetails | null;
  /** Loads what is held (nothing on SQLite). */
  load(store: CatalogueStore): Promise<void>;
  /** The feed brought the product (created or changed). */
  put(p: Product): void;
  /** The feed took it away (deleted, off sale). */
  drop(account: AccountId, sku: string): void;
}

const key = (account: string, sku: string) => `${account}\u0000${sku}`;

/** The details source for `sql`'s database. */
export function productDetailsSource(sql: Sql): ProductDetailsSource {
  const db = sql.dialect === 'sqlite' ? (sql as Sql & { db?: Database.Database }).db : undefined;
  return db ? readFromSqlite(db) : heldInMemory();
}

function readFromSqlite(db: Database.Database): ProductDetailsSource {
  const details = db.prepare<[string, string], DetailColumns>('SELECT image_url, url, description, variants FROM products WHERE account = ? AND sku = ?');
  return {
    read(account, sku) {
      const r = details.get(account, sku);
      return r ? detailsFromColumns(r) : null;
    },
    load: async () => {},
    put: () => {},
    drop: () => {},
  };
}

function heldInMemory(): ProductDetailsSource {
  const held = new Map<string, ProductDetails>();
  return {
    read: (account, sku) => held.get(key(account, sku)) ?? null,
    load: (store) => store.eachProductDetails((account, sku, d) => held.set(key(account, sku), d)),
    put(p) {
      held.set(key(p.account, p.sku), { imageUrl: p.imageUrl, url: p.url, description: p.description, ...(p.variants ? { variants: p.variants } : {}) });
    },
    drop: (account, sku) => void held.delete(key(account, sku)),
  };
}
