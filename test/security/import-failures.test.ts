/**
 * QA finding 2: an import listed every failed row, so an honest wrong file (49 MB of bad rows) made a list
 * of 2.7 million failures in memory and a 264 MB answer. Over real HTTP, a real upload and a real SQLite
 * file (and the importer on a real file, as the CLI runs it): only the first 1,000 failures by line are
 * listed, every one is counted, and the answer says so; the good rows still land.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { importCatalogue, MAX_LISTED_FAILURES } from '../../src/catalogue/import/importer.ts';
import { openDb } from '../../src/db/db.ts';
import { adminServer } from '../admin/harness.ts';
import { tempDbPath, tempDir } from '../helpers/temp.ts';

const BAD_ROWS = 5000;
/** The tester's file, smaller: a header and `,,,notaprice,,,,,,` rows, plus two good rows (after the first bad one and at the end). */
function garbage(): string {
  const rows = ['sku,title,category,price,original_price,brand,tags,stock,image_url,url'];
  for (let i = 0; i < BAD_ROWS; i++) {
    rows.push(',,,notaprice,,,,,,');
    if (i === 0) rows.push('G1,好的一行,女装/连衣裙,99,,,,,,');
  }
  rows.push('G2,另一行好的,女装/连衣裙,88,,,,,,');
  return rows.join('\n');
}

describe('an import of a file full of bad rows', () => {
  it('over the admin API: lists the first 1,000 failures, counts them all, and says so', async () => {
    const h = await adminServer();
    const r = await h.api('POST', '/products/import?filename=products.csv', garbage(), { headers: { 'content-type': 'application/octet-stream' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ imported: 2, total: BAD_ROWS + 2, failed_count: BAD_ROWS, format: 'csv' });
    expect(r.body.failed).toHaveLength(MAX_LISTED_FAILURES);
    // The first ones by line: line 2, then 4, 5, … (line 3 is the good row).
    expect(r.body.failed[0]).toEqual({ line: 2, reason: expect.stringContaining('"notaprice"') });
    expect(r.body.failed.slice(1, 3).map((f: { line: number }) => f.line)).toEqual([4, 5]);
    expect(r.body.failed.at(-1).line).toBe(MAX_LISTED_FAILURES + 2);
    expect(r.body.failed_note).toMatch(/first 1,000 of 5,000 failed rows/);
    expect((await h.api('GET', '/products/G2')).status).toBe(200);
  });

  it('from a file (as `guang import` reads it), the same, in line order, whatever the batch and chunk sizes', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'products.csv');
    writeFileSync(file, garbage());
    const db = openDb(tempDbPath(dir));
    try {
      const r = await importCatalogue({ db, account: accountId('default'), kind: 'products', file, batchSize: 7, chunkBytes: 4096 });
      expect(r.imported).toBe(2);
      expect(r.failedCount).toBe(BAD_ROWS);
      expect(r.failed).toHaveLength(MAX_LISTED_FAILURES);
      const lines = r.failed.map((f) => f.line);
      expect(lines).toEqual([2, ...Array.from({ length: MAX_LISTED_FAILURES - 1 }, (_, i) => i + 4)]);
    } finally {
      db.close();
    }
  });

  it('a few bad rows are all listed, with no note', async () => {
    const h = await adminServer();
    const r = await h.api('POST', '/products/import?filename=p.csv', 'sku,title,category,price\nA,好,女装/连衣裙,1\nB,坏,女装/连衣裙,abc', { headers: { 'content-type': 'text/csv' } });
    expect(r.body).toMatchObject({ imported: 1, failed_count: 1, failed: [{ line: 3 }] });
    expect(r.body).not.toHaveProperty('failed_note');
  });
});
