/**
 * Normalises what a follower typed for matching commands such as 「帮助」 or 「TD」: full-width to
 * half-width (NFKC), case, surrounding spaces and trailing punctuation. The search normaliser (later)
 * goes further; commands need only this.
 */
export function normalizeCommand(text: string): string {
  const s = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
  return trimQuestionMarks(trimEdges(s));
}

/** Spaces and punctuation trimmed from both ends (after `\s+` became one space). */
const EDGE = new Set([...' .,!~。，！～、']);

/**
 * Loops rather than `/^[…]+|[…]+$/`: the anchored-at-end class retries at every character of a long
 * punctuation run that does not reach the end, quadratic in the run's length (60 K characters took 3.8 s).
 */
function trimEdges(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && EDGE.has(s[start]!)) start++;
  while (end > start && EDGE.has(s[end - 1]!)) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * Drops trailing `?` but keeps one when the text is only question marks (「?」 asks for help). A loop
 * rather than `/(?<=.)\?+$/`, which is quadratic in the same way (63 K question marks took 3.6 s).
 */
function trimQuestionMarks(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x3f /* ? */) end--;
  if (end === s.length) return s;
  return s.slice(0, end === 0 ? 1 : end);
}
