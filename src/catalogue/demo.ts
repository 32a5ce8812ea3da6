/**
 * The demo catalogue (data/products.csv, hotels.csv, deals.csv, made by scripts/gen-demo-data.ts), loaded
 * into an account on first run so `npm start` answers 「女装」 straight away.
 */
import path from 'node:path';
import type { AccountId } from '../core/messages.ts';
import type { Db } from '../db/db.ts';
import { importCatalogue, type ImportResult } from './import/importer.ts';
import { createCatalogueStore } from './catalogue-store.ts';
import type { CatalogueKind } from './types.ts';

/** Where the demo files live: the repository's data/ directory. */
export const DEMO_DATA_DIR = path.resolve(import.meta.dirname, '../../data');

export type DemoSeedSummary =
  | { readonly seeded: false; readonly reason: string }
  | { readonly seeded: true; readonly results: Readonly<Record<CatalogueKind, ImportResult>> };

/**
 * Imports the demo products, hotels and deals into `account` when it has no products yet; otherwise
 * does nothing (so a second start, or a merchant's own catalogue, is left alone).
 * @example const s = await seedDemoData(db, accountId('default')); if (s.seeded) log.info(s.results.products.imported)
 */
export async function seedDemoData(db: Db, account: AccountId, dir = DEMO_DATA_DIR): Promise<DemoSeedSummary> {
  const store = createCatalogueStore(db);
  if (store.count('products', account) > 0) return { seeded: false, reason: 'the account already has products' };
  const results = {} as Record<CatalogueKind, ImportResult>;
  for (const kind of ['products', 'hotels', 'deals'] as const) {
    results[kind] = await importCatalogue({ db, account, kind, file: path.join(dir, `${kind}.csv`) });
  }
  return { seeded: true, results };
}
