/**
 * `guang import <products|hotels|deals> <file> [--category PATH] [--account ID] [--json]`: loads a catalogue
 * file into GUANG_DB (default data/guang.db); `guang import rules <file.json>` loads reply rules, validated
 * exactly as `POST /api/rules` validates them (src/merchant/rules/schema.ts). Needs no WeChat settings. A
 * progress bar on stderr for large files (on a terminal), then a summary on stdout (--json: as JSON).
 * Exit code: 0 when rows were imported, 1 when the file could not be read or no row could be imported, 2 on a
 * usage error.
 */
import cliProgress from 'cli-progress';
import { readFile } from 'node:fs/promises';
import { accountId } from '../core/messages.ts';
import { ImportError, importCatalogue, type ImportResult } from '../catalogue/import/importer.ts';
import type { CatalogueKind } from '../catalogue/types.ts';
import { MerchantError } from '../core/errors.ts';
import { importRules, readRulesJson, type RuleImportResult } from '../merchant/rules/import.ts';
import { openDatabase } from '../db/open.ts';
import { isPostgresUrl, redactedUrl } from '../db/postgres/pool.ts';
import type { Sql } from '../db/sql/sql.ts';
import { databasePath } from './db-path.ts';
import { UsageError } from './usage-error.ts';

export type ImportKind = CatalogueKind | 'rules';

export interface ImportOptions {
  readonly category?: string;
  readonly account: string;
  readonly json?: boolean;
}

const PROGRESS_FROM_ROWS = 5000;
const SHOW_FAILURES = 20;

const FORMAT_NAMES = { csv: 'CSV', json: 'JSON', jsonl: 'JSON Lines', taobao: '淘宝助理 export' } as const;

const n = (x: number): string => x.toLocaleString('en-US');

export async function run(kind: ImportKind, file: string, options: ImportOptions): Promise<number> {
  if (options.category !== undefined && kind !== 'products') throw new UsageError('--category applies to products only');
  const { account } = options;

  const setting = databasePath();
  let sql: Sql;
  // Where the rows went, as the summary says it: the file, or the PostgreSQL URL with its password hidden.
  let dbPath: string;
  try {
    const database = await openDatabase(setting);
    sql = database.sql;
    dbPath = database.label;
  } catch (err) {
    console.error(`guang import: cannot open the database ${isPostgresUrl(setting) ? redactedUrl(setting) : setting} (GUANG_DB): ${(err as Error).message}`);
    return 1;
  }
  if (kind === 'rules') return importRulesFile(sql, file, { account, dbPath, json: options.json === true });

  const bar = progressBar();
  const started = performance.now();
  let result: ImportResult;
  try {
    result = await importCatalogue({
      db: sql,
      account: accountId(account),
      kind,
      file,
      ...(options.category !== undefined ? { category: options.category } : {}),
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
    // The adapter's close: after its pending writes, then the connection (or the pool).
    await sql.close();
  }
  bar.stop();
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const at = { kind, file, dbPath, account, seconds };
  console.log(options.json ? JSON.stringify(summaryJson(result, at), null, 2) : summary(result, at));
  return result.imported > 0 ? 0 : 1;
}

interface Where {
  readonly kind: string;
  readonly file: string;
  readonly dbPath: string;
  readonly account: string;
}

/** `--json`: the summary for scripts; failures by line (the first 1,000, as the importer keeps them). */
function summaryJson(r: ImportResult, at: Where & { seconds: string }): Record<string, unknown> {
  return {
    file: at.file, kind: at.kind, db: at.dbPath, account: at.account, format: r.format, encoding: r.encoding, seconds: Number(at.seconds),
    rows: r.total, imported: r.imported, new: r.imported - r.updated, updated: r.updated, failed: r.failedCount, failures: r.failed, rev: r.rev,
  };
}

function summary(r: ImportResult, at: Where & { seconds: string }): string {
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
async function importRulesFile(db: Sql, file: string, at: { account: string; dbPath: string; json: boolean }): Promise<number> {
  const { account, dbPath } = at;
  try {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      console.error(`guang import: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      return 1;
    }
    const r = await importRules({ db, account, rules: readRulesJson(text) });
    const exitCode = r.created + r.updated > 0 ? 0 : 1;
    if (at.json) {
      console.log(JSON.stringify(rulesSummaryJson(r, { kind: 'rules', file, dbPath, account }), null, 2));
      return exitCode;
    }
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
    return exitCode;
  } catch (err) {
    if (err instanceof MerchantError) {
      console.error(`guang import: ${file}: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}

function rulesSummaryJson(r: RuleImportResult, at: Where): Record<string, unknown> {
  return {
    file: at.file, kind: at.kind, db: at.dbPath, account: at.account,
    rules: r.total, imported: r.created + r.updated, new: r.created, updated: r.updated, failed: r.failed.length, failures: r.failed,
  };
}
