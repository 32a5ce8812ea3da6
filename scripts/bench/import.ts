/**
 * `npm run bench -- import [--rows N]`
 *
 * Generates N (default 100,000) demo-style products as a CSV in a temp directory and times:
 * 1. `importCatalogue` into a fresh SQLite file (all inserts), in this process;
 * 2. the same file again (all updates);
 * 3. `guang import products FILE` as a real process into another fresh file (wall clock, with startup).
 * Target: 100k products in under 10 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { accountId } from '../../src/core/messages.ts';
import { importCatalogue } from '../../src/catalogue/import/importer.ts';
import { openDb } from '../../src/db/db.ts';
import { PRODUCT_COLUMNS, generateProducts, productRow, toCsv } from '../gen-demo-data.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { rows: { type: 'string', default: '100000' } } });
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows <= 0) throw new Error(`--rows: expected a positive whole number, got "${values.rows}"`);
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-bench-import-'));
  try {
    const file = path.join(dir, 'products.csv');
    writeFileSync(file, toCsv(PRODUCT_COLUMNS, generateProducts(rows, 7).map(productRow)));
    const mb = (statSync(file).size / 1e6).toFixed(1);
    console.log(`import benchmark: ${rows.toLocaleString('en-US')} products, ${mb} MB CSV (node ${process.version})`);

    const db = openDb(path.join(dir, 'bench.db'));
    for (const label of ['fresh database (inserts)', 'same file again (updates)']) {
      const start = performance.now();
      const r = await importCatalogue({ db, account: accountId('bench'), kind: 'products', file });
      const s = (performance.now() - start) / 1000;
      console.log(
        `  in process, ${label}: ${s.toFixed(2)} s  (${Math.round(rows / s).toLocaleString('en-US')} rows/s; imported ${r.imported}, updated ${r.updated}, failed ${r.failed.length})`,
      );
    }
    db.close();

    const start = performance.now();
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'bin/guang.js'), 'import', 'products', file, '--account', 'bench'], {
      env: { ...process.env, GUANG_DB: path.join(dir, 'cli.db') },
      encoding: 'utf8',
    });
    const s = (performance.now() - start) / 1000;
    console.log(`  guang import products (new process, fresh database, wall clock incl. startup): ${s.toFixed(2)} s, exit ${cli.status}`);
    if (cli.status !== 0) console.log(cli.stdout, cli.stderr);
    console.log('command: npm run bench -- import' + (rows === 100_000 ? '' : ` --rows ${rows}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
