/**
 * `npm run bench -- import [--rows N] [--db sqlite,postgres] [--server URL] [--old REV]`
 *
 * Generates N (default 100,000) demo-style products as a CSV in a temp directory and times, on each database
 * (`--db`, default both; PostgreSQL: a fresh database on `--server`, else GUANG_TEST_POSTGRES, else the local one,
 * dropped after):
 * 1. `importCatalogue` into a fresh database (all inserts), in this process;
 * 2. the same file again (all updates);
 * 3. `guang import products FILE` as a real process into another fresh database (wall clock, with startup).
 * With `--old REV`, steps 1 and 2 run first with that revision's importer (its src/ extracted with `git archive`),
 * each into a fresh database of its own: an A/B in one run. Target: 100k products in under 10 s.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { accountId } from '../../src/core/messages.ts';
import { importCatalogue } from '../../src/catalogue/import/importer.ts';
import { openDb } from '../../src/db/db.ts';
import { migratePostgres } from '../../src/db/postgres/migrate.ts';
import { createPgPool } from '../../src/db/postgres/pool.ts';
import { postgresSql } from '../../src/db/sql/postgres.ts';
import { sqliteSql } from '../../src/db/sql/sqlite.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { PRODUCT_COLUMNS, generateProducts, productRow, toCsv } from '../gen-demo-data.ts';
import { oldModule } from './old-source.ts';
import { benchDatabase, DEFAULT_SERVER } from './pg-server.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

type Importer = typeof importCatalogue;
/** Who imports: this code, and with --old that revision's too (first). */
type Importers = readonly (readonly [label: string, importer: Importer])[];

/** A fresh database of one kind: where it is (GUANG_DB), an adapter on it, and how to be rid of it. */
interface Fresh {
  readonly where: string;
  readonly sql: Sql;
  drop(): Promise<void>;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { rows: { type: 'string', default: '100000' }, db: { type: 'string', default: 'sqlite,postgres' }, server: { type: 'string' }, old: { type: 'string' } },
  });
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows <= 0) throw new Error(`--rows: expected a positive whole number, got "${values.rows}"`);
  const dbs = values.db!.split(',');
  if (dbs.some((d) => d !== 'sqlite' && d !== 'postgres')) throw new Error('--db: sqlite, postgres or sqlite,postgres');
  const server = values.server ?? process.env.GUANG_TEST_POSTGRES ?? DEFAULT_SERVER;
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-bench-import-'));
  try {
    const importers: Importers = [
      ...(values.old ? [[values.old, (await oldModule<{ importCatalogue: Importer }>(values.old, dir, 'src/catalogue/import/importer.ts')).importCatalogue] as const] : []),
      ['this code', importCatalogue],
    ];
    const file = path.join(dir, 'products.csv');
    writeFileSync(file, toCsv(PRODUCT_COLUMNS, generateProducts(rows, 7).map(productRow)));
    const mb = (statSync(file).size / 1e6).toFixed(1);
    console.log(`import benchmark: ${rows.toLocaleString('en-US')} products, ${mb} MB CSV (node ${process.version})`);

    let made = 0;
    let toldSettings = false;
    const fresh = async (db: string): Promise<Fresh> => {
      if (db === 'sqlite') {
        const where = path.join(dir, `bench-${++made}.db`);
        const sql = sqliteSql(openDb(where));
        return { where, sql, drop: () => sql.close().catch(() => {}) };
      }
      const database = await benchDatabase(server, `guang_bench_import_${++made}`);
      const sql = postgresSql(createPgPool(database.url, 4));
      await migratePostgres(sql.pool);
      if (!toldSettings) console.log(database.settings);
      toldSettings = true;
      return {
        where: database.url, sql,
        async drop() {
          await sql.close().catch(() => {});
          await database.drop();
        },
      };
    };

    for (const db of dbs) {
      for (const [label, importer] of importers) {
        const into = await fresh(db);
        try {
          for (const what of ['fresh database (inserts)', 'same file again (updates)']) {
            const start = performance.now();
            const r = await importer({ db: into.sql, account: accountId('bench'), kind: 'products', file });
            const s = (performance.now() - start) / 1000;
            console.log(
              `  ${db}, ${label}, in process, ${what}: ${s.toFixed(2)} s  (${Math.round(rows / s).toLocaleString('en-US')} rows/s; imported ${r.imported}, updated ${r.updated}, failed ${r.failed.length})`,
            );
          }
        } finally {
          await into.drop();
        }
      }
      const cliInto = await fresh(db);
      // The process opens it itself: only the (migrated) database is needed.
      await cliInto.sql.close();
      try {
        const start = performance.now();
        const cli = spawnSync(process.execPath, [path.join(ROOT, 'bin/guang.js'), 'import', 'products', file, '--account', 'bench'], {
          // PostgreSQL needs the instances' secret key (any, for a fresh database).
          env: { ...process.env, GUANG_DB: cliInto.where, ...(db === 'postgres' ? { GUANG_SECRET_KEY: randomBytes(32).toString('base64') } : {}) },
          encoding: 'utf8',
        });
        const s = (performance.now() - start) / 1000;
        console.log(`  ${db}, guang import products (new process, fresh database, wall clock incl. startup): ${s.toFixed(2)} s, exit ${cli.status}`);
        if (cli.status !== 0) console.log(cli.stdout, cli.stderr);
      } finally {
        await cliInto.drop();
      }
    }
    console.log(`command: npm run bench -- import ${args.join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
