import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { DEMO_DATA_DIR, seedDemoData } from '../../src/catalogue/demo.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { isLiveDeal } from '../../src/catalogue/types.ts';
import { openDb } from '../../src/db/db.ts';
import { ROOT } from '../helpers/process.ts';
import { tempDbPath, tempDir } from '../helpers/temp.ts';

const FILES = ['products.csv', 'hotels.csv', 'deals.csv'];
const dir = tempDir();

function generate(into: string): Record<string, string> {
  const r = spawnSync(process.execPath, ['bin/run-ts.js', 'scripts/gen-demo-data.ts', into], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return Object.fromEntries(FILES.map((f) => [f, readFileSync(path.join(into, f), 'utf8')]));
}

describe('demo data', () => {
  it('is generated deterministically, and data/ holds what the generator writes', () => {
    const first = generate(path.join(dir, 'a'));
    const second = generate(path.join(dir, 'b'));
    expect(second).toEqual(first);
    for (const f of FILES) expect(readFileSync(path.join(DEMO_DATA_DIR, f), 'utf8'), `data/${f} is stale: run node bin/run-ts.js scripts/gen-demo-data.ts`).toBe(first[f]);
    expect(Buffer.byteLength(first['products.csv']!)).toBeLessThan(500_000);
  });

  it('imports with no failures and has the promised breadth', async () => {
    const db = openDb(tempDbPath(dir));
    const account = accountId('default');
    const summary = await seedDemoData(db, account);
    expect(summary.seeded).toBe(true);
    if (!summary.seeded) return;
    for (const r of Object.values(summary.results)) expect(r.failed).toEqual([]);

    const store = createCatalogueStore(db);
    const products = await store.allProducts(account);
    expect(products.length).toBeGreaterThanOrEqual(1000);
    const leaves = new Set(products.map((p) => p.category.join('/')));
    expect(leaves.size).toBeGreaterThanOrEqual(20);
    for (const leaf of ['女装/连衣裙', '女装/半身裙', '女装/T恤', '女装/毛衣', '男装/衬衫', '男装/夹克', '鞋靴/运动鞋', '数码/手机', '数码/耳机', '美妆/口红', '食品/零食']) {
      expect(leaves).toContain(leaf);
    }
    const soldOut = products.filter((p) => p.stock === 0).length / products.length;
    expect(soldOut).toBeGreaterThan(0.02);
    expect(soldOut).toBeLessThan(0.1);
    expect(products.every((p) => p.priceFen >= 1900 && p.priceFen <= 899_900)).toBe(true);

    const hotels = await store.allHotels(account);
    expect(hotels.length).toBeGreaterThanOrEqual(150);
    const cities = new Set(hotels.map((h) => h.city));
    expect(cities.size).toBeGreaterThanOrEqual(5);
    // GCJ-02 inside mainland China, every hotel priced ¥150–¥1200 and rated 3.5–4.9.
    expect(hotels.every((h) => h.lat > 18 && h.lat < 54 && h.lng > 73 && h.lng < 135)).toBe(true);
    expect(hotels.every((h) => h.priceFen! >= 15000 && h.priceFen! <= 120000 && h.rating! >= 3.5 && h.rating! <= 4.9)).toBe(true);

    const deals = await store.allDeals(account);
    expect(deals.length).toBeGreaterThanOrEqual(100);
    expect(deals.every((d) => cities.has(d.city))).toBe(true);
    const now = Date.parse('2026-10-01T00:00:00+08:00');
    const expired = deals.filter((d) => d.endsAt! <= now);
    const soldOutDeals = deals.filter((d) => d.stock === 0);
    expect(expired.length).toBeGreaterThanOrEqual(5);
    expect(soldOutDeals.length).toBeGreaterThanOrEqual(3);
    expect(deals.filter((d) => isLiveDeal(d, now)).length / deals.length).toBeGreaterThan(0.8);
    expect(new Set(deals.map((d) => d.category))).toEqual(new Set(['美食', '电影', 'KTV', '丽人', '亲子', '休闲娱乐']));
  });

  it('seeds an account only while it has no products', async () => {
    const db = openDb(tempDbPath(dir));
    const account = accountId('default');
    expect((await seedDemoData(db, account)).seeded).toBe(true);
    const rev = await createCatalogueStore(db).currentRev();
    expect(await seedDemoData(db, account)).toEqual({ seeded: false, reason: 'the account already has products' });
    expect(await createCatalogueStore(db).currentRev()).toBe(rev);
  });
});
