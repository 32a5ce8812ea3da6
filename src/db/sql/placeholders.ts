/**
 * `?` placeholders as PostgreSQL's `$1, $2, …`, leaving string literals, quoted identifiers and comments alone.
 * Pure; the PostgreSQL adapter caches the result per statement text.
 * @example numberedPlaceholders("SELECT * FROM t WHERE a = ? AND b = '?'") // "SELECT * FROM t WHERE a = $1 AND b = '?'"
 */
export function numberedPlaceholders(text: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      // A quoted string or identifier; a doubled quote inside it is an escaped quote.
      let j = i + 1;
      for (;;) {
        if (j >= text.length) break;
        if (text[j] === c) {
          if (text[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const j = end === -1 ? text.length : end;
      out += text.slice(i, j);
      i = j;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const j = end === -1 ? text.length : end + 2;
      out += text.slice(i, j);
      i = j;
    } else if (c === '?') {
      out += `$${++n}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
