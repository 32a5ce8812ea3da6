import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { guang } from '../helpers/process.ts';
import { openRunDatabase, runDatabase, type RunDatabase } from '../helpers/run-database.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();
const write = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** A database of the run's kind for the tests whose imports fail (nothing is written). */
const scratch = await runDatabase();

async function run(args: string[], db: RunDatabase = scratch) {
  const p = guang(['import', ...args], { GUANG_DB: db.dbPath, ...db.env });
  const code = await p.exited();
  return { code, stdout: p.stdout(), stderr: p.stderr(), db };
}

describe('guang import', () => {
  it('imports a file into GUANG_DB, prints a summary with the failures by line, and exits 0', async () => {
    const rows = ['sku,title,category,price', 'A1,连衣裙,女装/连衣裙,199', ...Array.from({ length: 25 }, (_, k) => `B${k},坏价格,女装/连衣裙,abc${k}`)];
    const { code, stdout, db } = await run(['products', write('p.csv', rows.join('\n')), '--account', 'shop2'], await runDatabase());
    expect(code).toBe(0);
    expect(stdout).toMatch(/imported: 1 \(1 new, 0 updated\)/);
    expect(stdout).toMatch(/failed: {3}25/);
    expect(stdout).toMatch(/First 20 of 25 failures:\n {2}line 3: price "abc0" is not a number\n/);
    expect(stdout).toContain('line 22: price "abc19" is not a number');
    expect(stdout).not.toContain('line 23:');

    // The change feed carries the import to any other process holding the database.
    const reader = createCatalogueStore((await openRunDatabase(db)).sql);
    expect((await reader.changesSince('products', 0)).upserted.map((p) => [p.account, p.sku])).toEqual([[accountId('shop2'), 'A1']]);
  });

  it('takes --category for rows that name none', async () => {
    const { code, db } = await run(['products', write('nocat.csv', 'sku,title,price\nA1,无名商品,10\n'), '--category', '家居/收纳箱'], await runDatabase());
    expect(code).toBe(0);
    expect((await createCatalogueStore((await openRunDatabase(db)).sql).allProducts(accountId('default')))[0]?.category).toEqual(['家居', '收纳箱']);
  });

  it('exits 1 when every row failed or the file cannot be read', async () => {
    const allBad = await run(['hotels', write('h.csv', 'id,name,city,lat,lng\nH1,汉庭,上海,north,121.47\n')]);
    expect(allBad.code).toBe(1);
    expect(allBad.stdout).toMatch(/Nothing imported: all 1 rows failed[\s\S]*line 2: lat "north" is not a number/);

    const missing = await run(['deals', path.join(dir, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.csv: no such file/);
  });

  it('exits 2 on usage errors, naming the kinds', async () => {
    const unknown = await run(['shoes', 'x.csv']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/'shoes' is invalid for argument 'kind'\. Allowed choices are products, hotels, deals, rules/);

    // rules is a kind too (test/rules/cli.test.ts); a missing file is not a usage error.
    const rules = await run(['rules', 'missing.json']);
    expect(rules.code).toBe(1);
    expect(rules.stderr).toMatch(/cannot read missing\.json: no such file/);

    expect((await run(['products'])).code).toBe(2);
    expect((await run(['hotels', 'h.csv', '--category', '女装'])).code).toBe(2);
    expect((await run(['products', 'p.csv', '--bogus'])).code).toBe(2);
  });
});
