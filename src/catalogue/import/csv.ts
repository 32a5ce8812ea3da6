/**
 * Delimited text (CSV, TSV): RFC 4180 quoting ("" inside quotes, line breaks inside quoted fields), any of
 * `,` tab `;` as the delimiter, each row tagged with the physical line it starts on. A hand-written scanner
 * rather than csv-parse because merchants need the *starting* line of a bad row, one broken quote must not
 * take the rows before it down with it, and rows are produced lazily (an import holds one batch, not the
 * file). Lenient where files from Excel and 淘宝助理 are sloppy: a stray quote inside an unquoted field is
 * kept as a character; text after a closing quote is appended to the field.
 */
import type { ImportFailure, RecordSource, SourceItem, StreamSource } from './source.ts';
import { ImportError, normaliseColumn } from './source.ts';

export type Delimiter = ',' | '\t' | ';';

/** One row: its values and the physical line it starts on. */
export interface DelimitedRow {
  readonly line: number;
  readonly values: string[];
}

/** A quoted field opened on `line` was never closed: everything from it to the end (`lastLine`) was not read. */
export interface UnclosedQuote {
  readonly line: number;
  readonly lastLine: number;
  readonly unclosedQuote: true;
}

const QUOTE = 34;
const NL = 10;

/** `\r\n` and lone `\r` → `\n`, so the scanner (and line numbers) deal with one kind of line break. */
export const unifyLineBreaks = (text: string): string => (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);

/**
 * The rows of delimited text, lazily; blank rows (empty, or delimiters only) are skipped. Ends with an
 * `UnclosedQuote` when a quoted field runs to the end of the text. `text` must have `\n` line breaks only.
 * @example [...delimitedRows('a,b\n1,"x\ny"\n', ',')] // [{ line: 1, values: ['a','b'] }, { line: 2, values: ['1','x\ny'] }]
 */
export function* delimitedRows(text: string, delimiter: Delimiter, startLine = 1): Generator<DelimitedRow | UnclosedQuote> {
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  let i = 0;
  let line = startLine;
  while (i < n) {
    const start = line;
    const values: string[] = [];
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        let out = '';
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q === -1) {
            yield { line: start, lastLine: line + countLines(text, i, n), unclosedQuote: true };
            return;
          }
          out += text.slice(j, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            out += '"';
            j = q + 2;
            continue;
          }
          j = q + 1;
          break;
        }
        line += countLines(text, i, j);
        let k = j;
        while (k < n && text.charCodeAt(k) !== d && text.charCodeAt(k) !== NL) k++;
        value = k > j ? out + text.slice(j, k) : out;
        i = k;
      } else {
        let k = i;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === d || c === NL) break;
          k++;
        }
        value = text.slice(i, k);
        i = k;
      }
      values.push(value);
      if (i >= n) break;
      if (text.charCodeAt(i) === d) {
        i++;
        if (i >= n) {
          values.push('');
          break;
        }
        continue;
      }
      i++; // the line break
      line++;
      break;
    }
    if (!isBlank(values)) yield { line: start, values };
  }
}

export const isUnclosedQuote = (row: DelimitedRow | UnclosedQuote): row is UnclosedQuote => 'unclosedQuote' in row;

function isBlank(values: string[]): boolean {
  for (const v of values) if (v.trim() !== '') return false;
  return true;
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let k = text.indexOf('\n', from); k !== -1 && k < to; k = text.indexOf('\n', k + 1)) lines++;
  return lines;
}

/** The number of lines (a cheap upper bound on the rows, for progress). */
export const countLineBreaks = (text: string): number => countLines(text, 0, text.length) + (text.endsWith('\n') ? 0 : 1);

/** The delimiter of a header line: the most frequent of `,` tab `;` outside quotes (`,` when none). */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === '\t' || ch === ';')) counts[ch]++;
  }
  if (counts['\t'] > 0 && counts['\t'] >= counts[',']) return '\t';
  if (counts[';'] > counts[','] && counts[';'] > counts['\t']) return ';';
  return ',';
}

/** The first line of `text` (from offset `from`) that has anything on it. */
export function firstLine(text: string, from = 0): string {
  for (let start = from; ; ) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? undefined : end);
    if (end === -1 || line.trim() !== '') return line;
    start = end + 1;
  }
}

/** Maps a row's values onto the (normalised) header; the first of duplicate columns wins. */
export function recordMaker(header: readonly string[]): (values: readonly string[]) => Record<string, string> {
  const index: [string, number][] = [];
  const seen = new Set<string>();
  header.map(normaliseColumn).forEach((c, k) => {
    if (c !== '' && !seen.has(c)) {
      seen.add(c);
      index.push([c, k]);
    }
  });
  return (values) => {
    const fields: Record<string, string> = {};
    for (const [c, k] of index) {
      const v = values[k];
      if (v !== undefined) fields[c] = v;
    }
    return fields;
  };
}

export function unclosedQuoteFailure(u: UnclosedQuote): ImportFailure {
  const rest = u.lastLine > u.line ? ` (lines ${u.line}–${u.lastLine})` : '';
  return {
    line: u.line,
    reason: `a quote (") opened on this line is never closed, so this row and everything after it${rest} could not be read; close the quote, or double it ("") inside a field`,
  };
}

/**
 * A CSV/TSV file with a header row (the delimiter is detected from it).
 * @example [...readCsv('sku,title,price\nA1,连衣裙,199\n').items()] // [{ line: 2, fields: { sku: 'A1', … } }]
 */
export function readCsv(text: string): RecordSource {
  const unified = unifyLineBreaks(text);
  const delimiter = detectDelimiter(firstLine(unified));
  const first = delimitedRows(unified, delimiter).next();
  if (!first.done && isUnclosedQuote(first.value)) throw new ImportError('format', `the header row: ${unclosedQuoteFailure(first.value).reason}`);
  const header = first.done ? null : (first.value as DelimitedRow).values;
  return {
    columns: header ? header.map(normaliseColumn) : null,
    estimatedRows: header ? countLineBreaks(unified) - 1 : 0,
    *items(): Generator<SourceItem> {
      if (!header) return;
      const toFields = recordMaker(header);
      const rows = delimitedRows(unified, delimiter);
      rows.next(); // the header
      for (const row of rows) yield isUnclosedQuote(row) ? unclosedQuoteFailure(row) : { line: row.line, fields: toFields(row.values) };
    },
  };
}

/**
 * A row (quoted line breaks included) longer than this is taken for a quote that is never closed: the rest
 * of the file is counted, not held, so one stray quote cannot pull a 50 MB upload into memory.
 */
const MAX_ROW_CHARS = 4 * 1024 * 1024;

/**
 * `delimitedRows` over text that arrives in pieces (`\n` line breaks only): the same rows, lines and
 * unclosed-quote failure as over the whole text, holding one piece and one unfinished row at a time.
 * Only the part of a piece up to its last line break is scanned; a row whose quoted field runs past it is
 * kept and scanned again with the next piece.
 * @example for await (const row of streamDelimitedRows(file.chunks(), ',')) …
 */
export async function* streamDelimitedRows(chunks: AsyncIterable<string>, delimiter: Delimiter, maxRowChars = MAX_ROW_CHARS): AsyncGenerator<DelimitedRow | UnclosedQuote> {
  const iterator = chunks[Symbol.asyncIterator]();
  let pending = '';
  let line = 1;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    pending += next.value;
    const lastBreak = pending.lastIndexOf('\n');
    if (lastBreak !== -1) {
      const complete = pending.slice(0, lastBreak + 1);
      let cut = complete.length;
      let cutLine = line + countLines(complete, 0, complete.length);
      for (const row of delimitedRows(complete, delimiter, line)) {
        if (isUnclosedQuote(row)) {
          // Its closing quote may be in the next piece: keep the row, from the start of its first line.
          cut = offsetAfterLines(complete, row.line - line);
          cutLine = row.line;
          break;
        }
        yield row;
      }
      pending = pending.slice(cut);
      line = cutLine;
    }
    if (pending.length > maxRowChars) {
      // Counted, not kept: the rest of the file, to say which lines were not read.
      let rest = countLines(pending, 0, pending.length);
      for (let more = await iterator.next(); !more.done; more = await iterator.next()) rest += countLines(more.value, 0, more.value.length);
      yield { line, lastLine: line + rest, unclosedQuote: true };
      return;
    }
  }
  yield* delimitedRows(pending, delimiter, line);
}

/** The offset just after the `n`-th line break of `text` (0: the start). */
function offsetAfterLines(text: string, n: number): number {
  let at = 0;
  for (let k = 0; k < n; k++) at = text.indexOf('\n', at) + 1;
  return at;
}

/**
 * A CSV/TSV file read from disk as it is imported: the header (and delimiter) from its head, then its rows
 * streamed. Yields what `readCsv` over the whole text would.
 * @example const f = await openFileText(path); for await (const item of streamCsv(f.head, f.lines, f.chunks).items()) …
 */
export function streamCsv(head: string, lines: number, chunks: () => AsyncIterable<string>): StreamSource {
  const first = readCsv(head);
  const delimiter = detectDelimiter(firstLine(head));
  const header = first.columns === null ? null : (delimitedRows(head, delimiter).next().value as DelimitedRow).values;
  return {
    columns: first.columns,
    estimatedRows: header ? Math.max(0, lines - 1) : 0,
    async *items(): AsyncGenerator<SourceItem> {
      if (!header) return;
      const toFields = recordMaker(header);
      let seenHeader = false;
      for await (const row of streamDelimitedRows(chunks(), delimiter)) {
        if (isUnclosedQuote(row)) yield unclosedQuoteFailure(row);
        else if (!seenHeader) seenHeader = true;
        else yield { line: row.line, fields: toFields(row.values) };
      }
    },
  };
}
