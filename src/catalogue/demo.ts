/**
 * The demo catalogue (data/products.csv, hotels.csv, deals.csv, made by scripts/gen-demo-data.ts), loaded
 * into an account on first run so `npm start` answers 「女装」 straight away.
 */
import path from 'node:path';
import type { AccountId } from '../core/messages.ts';
import type { Db } from '../db/db.ts';
import type { Sql } from '../db/sql/sql.ts';
import { importCatalogue, type ImportResult } from './import/importer.ts';
import { createCatalogueStore } from './catalogue-store.ts';
import type { CatalogueKind, Product } from './types.ts';

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
export async function seedDemoData(db: Db | Sql, account: AccountId, dir = DEMO_DATA_DIR): Promise<DemoSeedSummary> {
  const store = createCatalogueStore(db);
  if ((await store.count('products', account)) > 0) return { seeded: false, reason: 'the account already has products' };
  const results = {} as Record<CatalogueKind, ImportResult>;
  for (const kind of ['products', 'hotels', 'deals'] as const) {
    results[kind] = await importCatalogue({ db, account, kind, file: path.join(dir, `${kind}.csv`) });
  }
  // Clothes and shoes come in sizes, bags in colours: the demo's orders ask 「要哪个？」 as a shop's would.
  const withVariants = (await store.allProducts(account)).flatMap((p) => {
    const variants = demoVariants(p);
    return variants ? [{ ...p, variants }] : [];
  });
  if (withVariants.length > 0) await store.upsertProducts(withVariants);
  return { seeded: true, results };
}

/**
 * The variants a demo product comes in (the CSV has none): sizes for clothes and shoes, colours for bags;
 * null for the rest (food, phones, make-up).
 * @example demoVariants({ category: ['女装', '连衣裙'], ... }) // ['S', 'M', 'L', 'XL']
 */
export function demoVariants(p: Pick<Product, 'category' | 'title'>): readonly string[] | null {
  const [top, leaf] = p.category;
  if (top === '女装' || top === '男装') return ['S', 'M', 'L', 'XL'];
  if (top === '童装') return ['110', '120', '130', '140'];
  if (top === '鞋靴') return /男/.test(p.title) ? ['39', '40', '41', '42', '43'] : ['35', '36', '37', '38', '39'];
  if (top === '箱包' && leaf !== '拉杆箱') return ['黑色', '棕色', '米白色'];
  return null;
}
