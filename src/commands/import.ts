/**
 * `guang import <products|hotels|deals> <file> [--category PATH] [--account ID]`: loads a catalogue file into
 * GUANG_DB (default data/guang.db); `guang import rules <file.json>` loads reply rules, validated exactly as
 * `POST /api/rules` validates them (src/merchant/rules/schema.ts). Needs no WeChat settings. A progress bar on stderr for large files (on a
 * terminal), then a summary on stdout. Exit code: 0 when rows were imported, 1 when the file could not be
 * read or no row could be imported, 2 on a usage error.
 */
import cliProgress from 'cli-progress';
import { parseArgs } from 'node:util';
import { accountId } from '../core/messages.ts';
import { CATALOGUE_KINDS, ImportError, importCatalogue, type ImportResult } from '../catalogue/import/importer.ts';
import type { CatalogueKind } from '../catalogue/types.ts';
import { MerchantError } from '../core/errors.ts';
import { importRules, readRulesJson } from '../merchant/rules/import.ts';
import { openDb, type Db } from '../db/db.ts';
import { readFile } from 'node:fs/promises';

export const DEFAULT_DB = 'data/guang.db';
const PROGRESS_FROM_ROWS = 5000;
const SHOW_FAILURES = 20;

const USAGE = `usage: guang import <${CATALOGUE_KINDS.join('|')}|rules> <file> [--category PATH] [--account ID]

  file        CSV (header row), JSON (array), JSON Lines, or a 淘宝助理 export (products);
              rules: a JSON array of rules (see README, "Reply rules"), created or replaced by name
  --category  products: the category path (e.g. 女装/连衣裙) for rows that name none
  --account   the account to import into (default: default)

The database is GUANG_DB (default ${DEFAULT_DB}).`;

const FORMAT_NAMES = { csv: 'CSV', json: 'JSON', jsonl: 'JSON Lines', taobao: '淘宝助理 export' } as const;

const usageError = (message: string): number => {
  console.error(`guang import: ${message}\n\n${USAGE}`);
  return 2;
};

const n = (x: number): string => x.toLocaleString('en-US');

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { category: { type: 'string' }, account: { type: 'string', default: 'default' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    return usageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [kind, file, ...extra] = positionals;
  if (!kind) return usageError('say what to import');
  if (kind !== 'rules' && !CATALOGUE_KINDS.includes(kind as CatalogueKind)) return usageError(`unknown kind "${kind}"; kinds: ${CATALOGUE_KINDS.join(', ')}, rules`);
  if (!file) return usageError(`which file? e.g. guang import ${kind} data/${kind}.csv`);
  if (extra.length > 0) return usageError(`unexpected argument "${extra[0]}"`);
  if (values.category !== undefined && kind !== 'products') return usageError(`--category applies to products only`);
  const account = values.account?.trim() || 'default';

  const dbPath = process.env.GUANG_DB?.trim() || DEFAULT_DB;
  let db;
  try {
    db = openDb(dbPath);
  } catch (err) {
    console.error(`guang import: cannot open the database ${dbPath} (GUANG_DB): ${(err as Error).message}`);
    return 1;
  }
  if (kind === 'rules') return importRulesFile(db, file, account, dbPath);

  const bar = progressBar();
  const started = performance.now();
  let result: ImportResult;
  try {
    result = await importCatalogue({
      db,
      account: accountId(account),
      kind: kind as CatalogueKind,
      file,
      ...(values.category !== undefined ? { category: values.category } : {}),
      onProgress: bar.update,
    });
  } catch (err) {
    bar.stop();
    if (err instanceof ImportError) {
      console.error(`guang import: ${err.code === 'unreadable' ? '' : file + ': '}${err.message}`);
      return err.code === 'option' ? 2 : 1;
    }
    throw err;
  } finally {
    db.close();
  }
  bar.stop();
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(summary(result, { kind, file, dbPath, account, seconds }));
  return result.imported > 0 ? 0 : 1;
}

function summary(r: ImportResult, at: { kind: string; file: string; dbPath: string; account: string; seconds: string }): string {
  const lines = [
    `${at.file} (${FORMAT_NAMES[r.format]}, ${r.encoding.toUpperCase()}) → ${at.kind} in ${at.dbPath} (account ${at.account}), ${at.seconds} s`,
  ];
  if (r.total === 0) lines.push('Nothing imported: the file has no rows.');
  else if (r.imported === 0) lines.push(`Nothing imported: all ${n(r.total)} rows failed.`);
  lines.push(`  imported: ${n(r.imported)} (${n(r.imported - r.updated)} new, ${n(r.updated)} updated)`);
  lines.push(`  failed:   ${n(r.failedCount)}`);
  lines.push(`  rows:     ${n(r.total)}`);
  if (r.failed.length > 0) {
    lines.push(r.failedCount > SHOW_FAILURES ? `First ${SHOW_FAILURES} of ${n(r.failedCount)} failures:` : 'Failures:');
    for (const f of r.failed.slice(0, SHOW_FAILURES)) lines.push(`  line ${f.line}: ${f.reason}`);
  }
  return lines.join('\n');
}

/** A bar on stderr once the file turns out large, when stderr is a terminal; otherwise nothing. */
function progressBar(): { update: (done: number, total: number) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(done, total) {
      if (!bar) {
        if (total < PROGRESS_FROM_ROWS || !process.stderr.isTTY) return;
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: 'importing [{bar}] {percentage}% | {value}/{total} rows | {eta}s left', hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      } else {
        if (total !== bar.getTotal()) bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

/** `guang import rules FILE.json`: each rule validated like the API; bad ones reported, good ones land together. */
async function importRulesFile(db: Db, file: string, account: string, dbPath: string): Promise<number> {
  try {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      console.error(`guang import: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      return 1;
    }
    const r = importRules({ db, account, rules: readRulesJson(text) });
    const lines = [`${file} → rules in ${dbPath} (account ${account})`];
    if (r.total === 0) lines.push('Nothing imported: the file has no rules.');
    else if (r.created + r.updated === 0) lines.push(`Nothing imported: all ${n(r.total)} rules failed.`);
    lines.push(`  imported: ${n(r.created + r.updated)} (${n(r.created)} new, ${n(r.updated)} updated)`);
    lines.push(`  failed:   ${n(r.failed.length)}`);
    lines.push(`  rules:    ${n(r.total)}`);
    if (r.failed.length > 0) {
      lines.push('Failures:');
      for (const f of r.failed) lines.push(`  rule [${f.index}]${f.name ? ` 「${f.name}」` : ''}: ${f.reason}`);
    }
    if (r.created + r.updated > 0) lines.push('Running servers pick the change up within a second.');
    console.log(lines.join('\n'));
    return r.created + r.updated > 0 ? 0 : 1;
  } catch (err) {
    if (err instanceof MerchantError) {
      console.error(`guang import: ${file}: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    db.close();
  }
}
