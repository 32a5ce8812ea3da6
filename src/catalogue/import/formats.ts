/**
 * Which reader a file needs, from its name and its first characters: a 淘宝助理 export announces itself with
 * `version 1.00` on its first line whatever its extension; `.jsonl`/`.ndjson` are JSON Lines; otherwise a
 * text starting with `[` is a JSON array and one starting with `{` JSON (Lines); anything else is CSV/TSV.
 */
import path from 'node:path';

export type ImportFormat = 'csv' | 'json' | 'jsonl' | 'taobao';

export const TAOBAO_VERSION_LINE = /^\s*"?version \d+(\.\d+)?"?\s*[,\t;]*\s*$/i;

/**
 * @example detectFormat('version 1.00\ntitle\tcid…', 'export.csv') // 'taobao'
 * @example detectFormat('[{"sku":"A1"}]') // 'json'
 */
export function detectFormat(text: string, fileName?: string): ImportFormat {
  const head = text.slice(0, 4096).trimStart();
  const first = head.slice(0, head.indexOf('\n') === -1 ? undefined : head.indexOf('\n'));
  if (TAOBAO_VERSION_LINE.test(first)) return 'taobao';
  const ext = fileName ? path.extname(fileName).toLowerCase() : '';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (head.startsWith('[')) return 'json';
  if (head.startsWith('{')) return 'jsonl';
  return 'csv';
}
