/**
 * Problems with a merchant's input, as the admin API, the CLI and the importers report them: where
 * (`replies[0].content`) and what to do, validated by one zod schema per input.
 */
import type { z } from 'zod';
import type { Lang } from './lang.ts';

/** One problem with an input: where (`replies[0].content`) and what to do. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Zod's words for the cases our schemas leave to it, in a merchant's terms. */
function fallbackMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (check the spelling)`;
    case 'invalid_type': {
      const got = issue.input === undefined ? 'nothing' : Array.isArray(issue.input) ? 'a list' : issue.input === null ? 'null' : typeof issue.input;
      return issue.input === undefined ? 'missing' : `expected ${issue.expected === 'object' ? 'an object {…}' : issue.expected === 'array' ? 'a list […]' : issue.expected}, got ${got}`;
    }
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}`;
    case 'too_small':
      return `at least ${String(issue.minimum)}`;
    default:
      return undefined;
  }
}

/** The same cases in Chinese, for the console. */
function fallbackMessageZh(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `未知字段 ${issue.keys.map((k) => JSON.stringify(k)).join('、')}（请检查拼写）`;
    case 'invalid_type': {
      const want = issue.expected === 'object' ? '对象 {…}' : issue.expected === 'array' ? '列表 […]' : issue.expected === 'string' ? '文字' : issue.expected === 'number' ? '数字' : issue.expected;
      return issue.input === undefined ? '必填' : `应为${want}`;
    }
    case 'invalid_value':
      return `应为 ${issue.values.map((v) => JSON.stringify(v)).join(' 或 ')}`;
    case 'too_big':
      return `最多 ${String(issue.maximum)}`;
    case 'too_small':
      return `至少 ${String(issue.minimum)}`;
    default:
      return undefined;
  }
}

/** `replies[0].content` from zod's path. */
function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
}

/** Validates with `schema`, turning zod's issues into problems a merchant can act on (zod's own words in `lang`). */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, lang: Lang = 'en'): Parsed<T> {
  const r = schema.safeParse(input, { error: lang === 'zh' ? fallbackMessageZh : fallbackMessage });
  if (r.success) return { ok: true, value: r.data };
  const problems = r.error.issues.map((i) => {
    const path = pathOf(i.path);
    // Messages name their field (`content: …`); with the full path in front, drop that name.
    const last = [...i.path].reverse().find((p) => typeof p === 'string');
    const message = last !== undefined && path && i.message.startsWith(`${String(last)}: `) ? i.message.slice(String(last).length + 2) : i.message;
    return { path, message };
  });
  return { ok: false, problems };
}

/** Problems as one line each: `replies[0].content: reply over 2048 bytes …`. */
export function describeProblems(problems: readonly Problem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
}
