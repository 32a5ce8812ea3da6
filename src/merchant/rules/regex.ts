/**
 * Merchants' patterns run on RE2 (the pure-JavaScript port `re2js`): matching time grows linearly with the
 * message, never exponentially, so no pattern can hang the process the way `(a+)+$` hangs a backtracking
 * engine. RE2 has no backreferences and no lookaround; such patterns are rejected when written, with a
 * message saying what to do instead. Patterns are also capped in size so one message costs a bounded time.
 */
import { RE2JS } from 're2js';
import { wordsIn, type Lang } from '../../core/lang.ts';
import { LIMITS } from './model.ts';
import { RULE_WORDS } from './words.ts';

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
 * Compiles one pattern (or several, as one alternation) with RE2, case-insensitively; a refusal says why in `lang`.
 * @example compilePattern(['优惠券?', '\\d{11}']) // { ok: true, pattern: { test, size } }
 */
export function compilePattern(sources: readonly string[], lang: Lang = 'en'): PatternResult {
  const t = wordsIn(RULE_WORDS, lang);
  for (const source of sources) {
    const problem = precheck(source, t);
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
        return { ok: false, reason: explain(source, e, t) };
      }
    }
    return { ok: false, reason: explain(joined, err, t) };
  }
  const size = programSize(re);
  if (size > MAX_PROGRAM_SIZE) {
    return { ok: false, reason: t.tooComplex(sources.length > 1, show(sources[0]!), size, MAX_PROGRAM_SIZE) };
  }
  return { ok: true, pattern: { test: (text) => re.test(text), size } };
}

const show = (s: string) => `\`${s}\``;

type Words = ReturnType<typeof wordsIn<typeof RULE_WORDS>>;

function precheck(source: string, t: Words): string | null {
  if (source.length > LIMITS.patternChars) {
    return t.patternLong(show(source.slice(0, 30) + '…'), source.length, LIMITS.patternChars);
  }
  if (/\(\?<?[=!]/.test(source)) {
    return t.lookaround(show(source));
  }
  if (/(?<!\\)(?:\\\\)*\\[1-9]|\\k</.test(source)) {
    return t.backreference(show(source));
  }
  for (const m of source.matchAll(/(?<!\\)\{(\d+)(?:,(\d*))?\}/g)) {
    const counts = [m[1], m[2]].filter((c): c is string => c !== undefined && c !== '').map(Number);
    if (counts.some((c) => c > MAX_REPEAT)) {
      return t.repeatCount(show(source), MAX_REPEAT, m[0]);
    }
  }
  return null;
}

function explain(source: string, err: unknown, t: Words): string {
  const message = err instanceof Error ? err.message : String(err);
  const detail = message.replace(/^error parsing regexp:\s*/, '');
  if (/invalid escape sequence: `\\[1-9]/.test(message)) {
    return t.backreference(show(source));
  }
  if (/invalid or unsupported Perl syntax: `\(\?[=!<]/.test(message) || /invalid named capture: `\(\?<[=!]/.test(message)) {
    return t.lookaround(show(source));
  }
  if (/invalid repeat count|invalid nested repetition/.test(message)) {
    return t.repeatTotal(show(source), detail);
  }
  return t.badPattern(show(source), detail);
}

/** RE2's program size, read from re2js's compiled program (an internal field: 0 when a new version hides it). */
function programSize(re: RE2JS): number {
  const inner = (re as unknown as { re2Input?: { prog?: { inst?: unknown[] } } }).re2Input;
  return inner?.prog?.inst?.length ?? 0;
}
