/**
 * JSON imports: an array of objects (`[{…}, {…}]`), or JSON Lines (one object per line). Array elements are
 * tagged with the physical line they start on, found by a scan of the (valid) text; should that scan ever
 * disagree with the parse, the element's position in the array (index + 1) is used instead.
 */
import type { RecordSource, SourceItem } from './source.ts';
import { ImportError, normaliseColumn } from './source.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toFields(value: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const c = normaliseColumn(k);
    if (!(c in fields)) fields[c] = v;
  }
  return fields;
}

const NOT_AN_OBJECT = 'expected an object such as {"sku": "A1", "title": "…", …}';

/** JSON is parsed whole anyway: its items are a list. */
const listSource = (items: SourceItem[]): RecordSource => ({ columns: null, estimatedRows: items.length, items: () => items });

function fromValues(values: unknown[], lines: number[]): SourceItem[] {
  return values.map((v, k) => {
    const line = lines[k] ?? k + 1;
    if (isObject(v)) return { line, fields: toFields(v) };
    return { line, reason: `${NOT_AN_OBJECT}, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}` };
  });
}

/**
 * A JSON document: an array of objects, or an object holding such an array under the kind's name
 * (`{"products": […]}`), or one object.
 * @example readJsonArray('[{"sku":"A1"}]', 'products').items() // [{ line: 1, fields: { sku: 'A1' } }]
 */
export function readJsonArray(text: string, kind: string): RecordSource {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ImportError('format', `the file is not valid JSON: ${describeJsonError(err, text)}`);
  }
  if (Array.isArray(doc)) {
    const lines = elementLines(text);
    return listSource(fromValues(doc, lines.length === doc.length ? lines : []));
  }
  if (isObject(doc)) {
    const inner = doc[kind];
    return listSource(Array.isArray(inner) ? fromValues(inner, []) : fromValues([doc], [1]));
  }
  throw new ImportError('format', `the file holds a JSON ${typeof doc}; expected an array of objects ([{…}, {…}])`);
}

/**
 * JSON Lines: one object per line; blank lines are skipped, a line that is not JSON fails alone. A file that
 * is one JSON document spread over several lines (a pretty-printed object, `{"products": […]}`) is read as
 * that document instead.
 * @example readJsonLines('{"sku":"A1"}\n{"sku":"A2"}\n', 'products').estimatedRows // 2
 */
export function readJsonLines(text: string, kind: string): RecordSource {
  const items: SourceItem[] = [];
  let line = 0;
  for (let start = 0; start <= text.length; ) {
    const end = text.indexOf('\n', start);
    const raw = text.slice(start, end === -1 ? undefined : end).trim();
    line++;
    start = end === -1 ? text.length + 1 : end + 1;
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      if (items.length === 0 && isJson(text)) return readJsonArray(text, kind);
      items.push({ line, reason: `not valid JSON: ${describeJsonError(err, raw)}` });
      continue;
    }
    const inner = isObject(value) ? value[kind] : undefined;
    if (Array.isArray(inner) && Object.keys(value as object).length === 1) items.push(...fromValues(inner, inner.map(() => line)));
    else if (isObject(value)) items.push({ line, fields: toFields(value) });
    else items.push({ line, reason: NOT_AN_OBJECT });
  }
  return listSource(items);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** V8's message without its echo of the text, and the line of the problem when it can be found. */
function describeJsonError(err: unknown, text: string): string {
  const message = (err instanceof Error ? err.message : String(err)).replace(/,\s*(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, '');
  const m = /position (\d+)/.exec(message);
  if (m) {
    const before = text.slice(0, Number(m[1]));
    return `${message.replace(/\s*\(line \d+ column \d+\)/, '')} (line ${before.split('\n').length})`;
  }
  const line = brokenElementLine(text);
  return line === null ? message : `${message}, in the element starting on line ${line}`;
}

const C = { NL: 10, QUOTE: 34, COMMA: 44, BACKSLASH: 92, OPEN_SQ: 91, CLOSE_SQ: 93, OPEN_CURLY: 123, CLOSE_CURLY: 125 } as const;

/** Where each top-level element of a JSON array starts (offset and line); tolerant of broken text. */
function elementStarts(text: string): { offset: number; line: number }[] {
  const starts: { offset: number; line: number }[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectValue = false;
  const startValue = (offset: number) => {
    if (depth === 1 && expectValue) {
      starts.push({ offset, line });
      expectValue = false;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === C.NL) line++;
    else if (inString) {
      if (c === C.BACKSLASH) i++;
      else if (c === C.QUOTE) inString = false;
    } else if (c === C.QUOTE) {
      startValue(i);
      inString = true;
    } else if (c === C.OPEN_SQ || c === C.OPEN_CURLY) {
      startValue(i);
      depth++;
      if (depth === 1) expectValue = true;
    } else if (c === C.CLOSE_SQ || c === C.CLOSE_CURLY) depth--;
    else if (c === C.COMMA) {
      if (depth === 1) expectValue = true;
    } else if (c > 32) startValue(i);
  }
  return starts;
}

/** The line each top-level element of a valid JSON array starts on. */
const elementLines = (text: string): number[] => elementStarts(text).map((s) => s.line);

/** In a broken JSON array, the line of the first element that does not parse on its own. */
function brokenElementLine(text: string): number | null {
  if (!text.trimStart().startsWith('[')) return null;
  const starts = elementStarts(text);
  for (let k = 0; k < starts.length; k++) {
    const end = starts[k + 1]?.offset ?? text.length;
    const piece = text.slice(starts[k]!.offset, end).trim().replace(k + 1 < starts.length ? /,$/ : /\]$/, '').trim();
    if (!isJson(piece)) return starts[k]!.line;
  }
  return null;
}
