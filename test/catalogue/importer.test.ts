import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import type { Background } from '../../src/core/background.ts';
import { ImportError, importCatalogue, slicedBatchSize } from '../../src/catalogue/import/importer.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { openDb } from '../../src/db/db.ts';
import { openRunDatabase, RUN_DB, runDatabase } from '../helpers/run-database.ts';
import { tempDbPath, tempDir } from '../helpers/temp.ts';

const SHOP = accountId('shop');
const dir = tempDir();

/** A new database of the run's kind (PostgreSQL in the PostgreSQL pass). */
async function setup() {
  const { sql: db } = await openRunDatabase(await runDatabase());
  return { db, store: createCatalogueStore(db) };
}

/** A SQLite file, for the tests that inject a failure or count writes with SQLite's temp triggers and functions. */
function sqliteSetup() {
  const db = openDb(tempDbPath(dir));
  return { db, store: createCatalogueStore(db) };
}

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

const PRODUCTS_CSV = [
  'sku,title,category,price,original_price,brand,tags,stock,image_url,url,description,shelf',
  'A1,优衣库 女装 纯棉碎花连衣裙 夏季新款,女装/连衣裙,¥199,299,优衣库,红色|纯棉,12,https://shop.example.com/img/A1.jpg,https://shop.example.com/p/A1,,B-3',
  'A2,李宁 男款 运动鞋,鞋靴/运动鞋,399元,,李宁,,0,,,,',
].join('\n');

describe('importing products, hotels and deals', () => {
  it('imports CSV with a BOM, ignoring unknown columns', async () => {
    const { db, store } = await setup();
    const r = await importCatalogue({ db, account: SHOP, kind: 'products', file: file('p.csv', '\uFEFF' + PRODUCTS_CSV) });
    expect(r).toMatchObject({ imported: 2, updated: 0, failed: [], total: 2, format: 'csv', encoding: 'utf-8' });
    expect(await store.allProducts(SHOP)).toEqual([
      {
        account: SHOP, sku: 'A1', title: '优衣库 女装 纯棉碎花连衣裙 夏季新款', category: ['女装', '连衣裙'], priceFen: 19900, originalPriceFen: 29900,
        brand: '优衣库', tags: ['红色', '纯棉'], stock: 12, imageUrl: 'https://shop.example.com/img/A1.jpg', url: 'https://shop.example.com/p/A1', description: null,
      },
      {
        account: SHOP, sku: 'A2', title: '李宁 男款 运动鞋', category: ['鞋靴', '运动鞋'], priceFen: 39900, originalPriceFen: null,
        brand: '李宁', tags: [], stock: 0, imageUrl: null, url: null, description: null,
      },
    ]);
  });

  it('imports a JSON array and JSON Lines', async () => {
    const { db, store } = await setup();
    const hotels = [
      { id: 'H1', name: '汉庭酒店(上海人民广场店)', city: '上海', lat: 31.2317, lng: 121.4726, price: 259, rating: 4.5, stars: 2, tags: ['近地铁'] },
      { id: 'H2', name: '全季酒店(北京王府井店)', city: '北京', lat: '39.9110', lng: '116.4100', price: '¥459' },
    ];
    expect(await importCatalogue({ db, account: SHOP, kind: 'hotels', file: file('h.json', JSON.stringify(hotels, null, 2)) })).toMatchObject({
      format: 'json',
      imported: 2,
    });
    expect((await store.allHotels(SHOP)).map((h) => [h.id, h.priceFen, h.lat, h.tags])).toEqual([
      ['H1', 25900, 31.2317, ['近地铁']],
      ['H2', 45900, 39.911, []],
    ]);

    const deals = [
      { id: 'D1', title: '海底捞 4人套餐', city: '上海', price: 398, original_price: 520, category: '美食', starts_at: '2026-01-01T00:00:00+08:00', ends_at: '2027-12-31T23:59:59+08:00' },
      { id: 'D2', title: '万达影城 单人观影券', city: '北京', price: '39.9', stock: 0 },
    ];
    const jsonl = deals.map((d) => JSON.stringify(d)).join('\n');
    expect(await importCatalogue({ db, account: SHOP, kind: 'deals', file: file('d.jsonl', jsonl) })).toMatchObject({ format: 'jsonl', imported: 2 });
    expect(await store.allDeals(SHOP)).toMatchObject([
      { id: 'D1', priceFen: 39800, originalPriceFen: 52000, startsAt: Date.parse('2025-12-31T16:00:00Z'), endsAt: Date.parse('2027-12-31T15:59:59Z') },
      { id: 'D2', priceFen: 3990, stock: 0, startsAt: null },
    ]);
  });

  it('reports bad rows with their line and reason while the good rows land', async () => {
    const { db, store } = await setup();
    const csv = [
      'sku,title,category,price,stock', // 1
      'G1,连衣裙 A,女装/连衣裙,199,1', // 2
      'B1,连衣裙 B,女装/连衣裙,abc,1', // 3
      'G2,"两行的', // 4
      '标题",女装/连衣裙,99,', // 5
      'B2,,女装/连衣裙,99,1', // 6
      '', // 7
      'B3,连衣裙 C,女装/连衣裙,-5,1', // 8
      'B4,连衣裙 D,女装//连衣裙,5,-1', // 9
      'G3,连衣裙 E,女装/连衣裙,5.5,', // 10
    ].join('\n');
    const r = await importCatalogue({ db, account: SHOP, kind: 'products', text: csv });
    expect(r.failed).toEqual([
      { line: 3, reason: 'price "abc" is not a number' },
      { line: 6, reason: 'title is missing' },
      { line: 8, reason: 'price "-5" is negative' },
      { line: 9, reason: 'category "女装//连衣裙" has an empty part; write it as 女装/连衣裙; stock "-1" is negative' },
    ]);
    expect(r).toMatchObject({ imported: 3, total: 7 });
    expect((await store.allProducts(SHOP)).map((p) => p.sku)).toEqual(['G1', 'G2', 'G3']);
  });

  it('numbers JSON array rows by the line each element starts on', async () => {
    const { db } = await setup();
    const json = '[\n  {"id": "D1", "title": "套餐", "city": "上海", "price": 10},\n  {"id": "D2", "title": "套餐",\n   "city": "上海", "price": "ten"}\n]';
    expect((await importCatalogue({ db, account: SHOP, kind: 'deals', text: json })).failed).toEqual([{ line: 3, reason: 'price "ten" is not a number' }]);
  });

  it('updates rows imported again with the same id, and says how many', async () => {
    const { db, store } = await setup();
    await importCatalogue({ db, account: SHOP, kind: 'products', text: PRODUCTS_CSV });
    const r = await importCatalogue({ db, account: SHOP, kind: 'products', text: 'sku,title,category,price\nA1,新标题,女装/连衣裙,99\nA3,新品,女装/连衣裙,10\n' });
    expect(r).toMatchObject({ imported: 2, updated: 1 });
    expect((await store.allProducts(SHOP)).find((p) => p.sku === 'A1')).toMatchObject({ title: '新标题', priceFen: 9900, brand: null });
    expect(await store.count('products', SHOP)).toBe(3);
  });

  // SQLite's temp trigger injects the failure (the batch's rollback on both databases: test/catalogue/store-batches).
  it.skipIf(RUN_DB === 'postgres')('writes a batch whole or not at all: a failing write rolls its batch back and reports its rows', async () => {
    const { db, store } = sqliteSetup();
    // A write failure the validation cannot foresee (think: disk full), on the 150th row.
    db.exec(`CREATE TEMP TRIGGER boom BEFORE INSERT ON main.products WHEN NEW.sku = 'S150' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    const rows = Array.from({ length: 250 }, (_, k) => `S${k + 1},商品 ${k + 1},女装/连衣裙,${k + 1}`);
    const r = await importCatalogue({ db, account: SHOP, kind: 'products', text: ['sku,title,category,price', ...rows].join('\n'), batchSize: 100 });
    expect(r.imported).toBe(150);
    expect(r.failed).toHaveLength(100);
    expect(r.failed[0]).toEqual({ line: 102, reason: expect.stringMatching(/^not saved: writing the batch of lines 102–201 failed \(injected failure\)/) });
    const skus = new Set((await store.allProducts(SHOP)).map((p) => p.sku));
    expect(skus.size).toBe(150);
    expect([...skus].some((s) => Number(s.slice(1)) > 100 && Number(s.slice(1)) <= 200)).toBe(false);
    expect(await store.currentRev()).toBe(2); // the failed batch took no revision
  });

  it('reports progress after each batch, ending at the total', async () => {
    const { db } = await setup();
    const rows = Array.from({ length: 25 }, (_, k) => `S${k},商品,女装/连衣裙,1`);
    const seen: [number, number][] = [];
    await importCatalogue({ db, account: SHOP, kind: 'products', text: ['sku,title,category,price', ...rows].join('\n'), batchSize: 10, onProgress: (d, t) => seen.push([d, t]) });
    expect(seen.map(([d]) => d)).toEqual([10, 20, 25, 25]);
    expect(seen.at(-1)).toEqual([25, 25]);
  });

  // Counts the rows between slices with a SQLite function called from a temp trigger (the slicing itself is the database's neither).
  it.skipIf(RUN_DB === 'postgres')('inside the server, writes each batch in a background slice of its own, the first small, then sized to a slice', async () => {
    const { db, store } = sqliteSetup();
    const rows = Array.from({ length: 300 }, (_, k) => `S${k},商品,女装/连衣裙,1`);
    const events: (string | number)[] = [];
    // Long slices: reading never runs out of one, so every turn taken after the first is a write's own.
    const background: Background = { sliceMs: 60_000, turn: async () => (events.push('turn'), performance.now() + 60_000) };
    db.function('row_written', () => {
      if (typeof events.at(-1) === 'number') events[events.length - 1] = (events.at(-1) as number) + 1;
      else events.push(1);
      return 1;
    });
    db.exec(`CREATE TEMP TRIGGER counted AFTER INSERT ON main.products BEGIN SELECT row_written(); END`);
    const r = await importCatalogue({ db, account: SHOP, kind: 'products', text: ['sku,title,category,price', ...rows].join('\n'), batchSize: 100, background });
    expect(r).toMatchObject({ imported: 300, failed: [] });
    expect(await store.count('products', SHOP)).toBe(300);
    // 16 rows first (the cost of a write is not known yet), then as many as a slice holds, at most batchSize;
    // a write gives way after it too (the reading goes on in the next slice).
    expect(events).toEqual(['turn', 'turn', 16, 'turn', 'turn', 100, 'turn', 'turn', 100, 'turn', 'turn', 84, 'turn']);
  });

  it('sizes a sliced batch to what the last write did in a slice, within bounds', () => {
    expect(slicedBatchSize(100, 8, 4, 500)).toBe(50);
    expect(slicedBatchSize(100, 1, 4, 500)).toBe(400);
    expect(slicedBatchSize(100, 0, 4, 500)).toBe(500);
    expect(slicedBatchSize(16, 100, 4, 500)).toBe(16);
    expect(slicedBatchSize(5, 100, 4, 8)).toBe(8);
  });

  it('fails the whole file, writing nothing, when it cannot be read or lacks a required column', async () => {
    const { db, store } = await setup();
    await expect(importCatalogue({ db, account: SHOP, kind: 'products', file: path.join(dir, 'missing.csv') })).rejects.toMatchObject({
      code: 'unreadable',
      message: expect.stringMatching(/no such file/),
    });
    await expect(importCatalogue({ db, account: SHOP, kind: 'hotels', text: 'id,name,city,lat\nH1,汉庭,上海,31.2\n' })).rejects.toThrow(
      /the header row has no lng column/,
    );
    await expect(importCatalogue({ db, account: SHOP, kind: 'products', text: '[{"sku": 1},' })).rejects.toBeInstanceOf(ImportError);
    await expect(importCatalogue({ db, account: SHOP, kind: 'hotels', text: 'x', category: '女装' })).rejects.toMatchObject({ code: 'option' });
    expect(await store.currentRev()).toBe(0);
  });

  it('infers a missing category from the title against the categories already imported', async () => {
    const { db, store } = await setup();
    await importCatalogue({ db, account: SHOP, kind: 'products', text: PRODUCTS_CSV });
    const r = await importCatalogue({ db, account: SHOP, kind: 'products', text: 'sku,title,price\nN1,安踏 透气运动鞋,299\nN2,不知道是什么,1\n' });
    expect(r.failed).toEqual([{ line: 3, reason: expect.stringMatching(/^category could not be inferred/) }]);
    expect((await store.allProducts(SHOP)).find((p) => p.sku === 'N1')?.category).toEqual(['鞋靴', '运动鞋']);
  });
});
