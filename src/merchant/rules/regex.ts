/**
 * Merchants' patterns run on RE2 (the pure-JavaScript port `re2js`): matching time grows linearly with the
 * message, never exponentially, so no pattern can hang the process the way `(a+)+$` hangs a backtracking
 * engine. RE2 has no backreferences and no lookaround; such patterns are rejected when written, with a
 * message saying what to do instead. Patterns are also capped in size so one message costs a bounded time.
 */
import { RE2JS } from 're2js';
import { LIMITS } from './model.ts';

/** Program size (RE2 instructions) allowed for one rule's patterns together: a first run over 512 characters stays under ~20 ms. */
const MAX_PROGRAM_SIZE = 400;
/** The largest count in `{n}` / `{n,m}`: merchants' keywords need no more, and large counts make big programs. */
const MAX_REPEAT = 100;

export interface CompiledPattern {
  /** True when the pattern matches anywhere in `text` (case-insensitive). */
  test(text: string): boolean;
  /** RE2 instructions: a measure of how much work one character of input costs. */
  readonly size: number;
}

export type PatternResult = { ok: true; pattern: CompiledPattern } | { ok: false; reason: string };

/**
 * Compiles one pattern (or several, as one alternation) with RE2, case-insensitively.
 * @example compilePattern(['优惠券?', '\\d{11}']) // { ok: true, pattern: { test, size } }
 */
export function compilePattern(sources: readonly string[]): PatternResult {
  for (const source of sources) {
    const problem = precheck(source);
    if (problem) return { ok: false, reason: problem };
  }
  const joined = sources.length === 1 ? sources[0]! : sources.map((s) => `(?:${s})`).join('|');
  let re: RE2JS;
  try {
    re = RE2JS.compile(joined, RE2JS.CASE_INSENSITIVE);
  } catch (err) {
    // Name the keyword that is wrong, not the alternation.
    for (const source of sources) {
      try {
        RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
      } catch (e) {
        return { ok: false, reason: explain(source, e) };
      }
    }
    return { ok: false, reason: explain(joined, err) };
  }
  const size = programSize(re);
  if (size > MAX_PROGRAM_SIZE) {
    return {
      ok: false,
      reason:
        `${sources.length > 1 ? 'these patterns are' : `pattern ${show(sources[0]!)} is`} too complex ` +
        `(${size} steps; at most ${MAX_PROGRAM_SIZE} per rule): use fewer or shorter repetitions, or split the rule`,
    };
  }
  return { ok: true, pattern: { test: (text) => re.test(text), size } };
}

const show = (s: string) => `\`${s}\``;

function precheck(source: string): string | null {
  if (source.length > LIMITS.patternChars) {
    return `pattern ${show(source.slice(0, 30) + '…')} is ${source.length} characters; at most ${LIMITS.patternChars}`;
  }
  if (/\(\?<?[=!]/.test(source)) {
    return `pattern ${show(source)}: lookahead and lookbehind ((?= (?! (?<= (?<!) are not supported (RE2); match the text itself, or use two rules`;
  }
  if (/(?<!\\)(?:\\\\)*\\[1-9]|\\k</.test(source)) {
    return `pattern ${show(source)}: backreferences (\\1, \\k<name>) are not supported (RE2); write the repeated text out`;
  }
  for (const m of source.matchAll(/(?<!\\)\{(\d+)(?:,(\d*))?\}/g)) {
    const counts = [m[1], m[2]].filter((c): c is string => c !== undefined && c !== '').map(Number);
    if (counts.some((c) => c > MAX_REPEAT)) {
      return `pattern ${show(source)}: a repetition count of at most ${MAX_REPEAT} (${m[0]} is too many)`;
    }
  }
  return null;
}

function explain(source: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const detail = message.replace(/^error parsing regexp:\s*/, '');
  if (/invalid escape sequence: `\\[1-9]/.test(message)) {
    return `pattern ${show(source)}: backreferences (\\1) are not supported (RE2); write the repeated text out`;
  }
  if (/invalid or unsupported Perl syntax: `\(\?[=!<]/.test(message) || /invalid named capture: `\(\?<[=!]/.test(message)) {
    return `pattern ${show(source)}: lookahead and lookbehind are not supported (RE2); match the text itself, or use two rules`;
  }
  if (/invalid repeat count|invalid nested repetition/.test(message)) {
    return `pattern ${show(source)}: ${detail} (RE2 allows at most 1000 repetitions in all)`;
  }
  return `bad pattern ${show(source)}: ${detail}`;
}

/** RE2's program size, read from re2js's compiled program (an internal field: 0 when a new version hides it). */
function programSize(re: RE2JS): number {
  const inner = (re as unknown as { re2Input?: { prog?: { inst?: unknown[] } } }).re2Input;
  return inner?.prog?.inst?.length ?? 0;
}
