/**
 * Validation messages in two languages: scripts (and the existing tests) read English, the console asks for
 * Chinese (`Accept-Language: zh-CN`). A schema is given the English text, as zod wants a string; the Chinese
 * one is registered beside it and swapped in when the error is written for a request that asks for Chinese.
 */

/** A message in both languages. The English one is what a schema carries. */
export interface Bilingual {
  readonly en: string;
  readonly zh: string;
}

const chinese = new Map<string, string>();

/**
 * The English text of `m`, with its Chinese kept for `inChinese`.
 * @example z.string().max(16, say({ en: 'bot_name: at most 16 characters', zh: '最多 16 个字' }))
 */
export function say(m: Bilingual): string {
  chinese.set(m.en, m.zh);
  return m.en;
}

/**
 * The Chinese for an English message given to `say`, or the message itself. A problem's message may have
 * lost its leading `field: ` (see core/problems.ts), so `field` is tried in front of it too.
 */
export function inChinese(message: string, field?: string): string {
  return chinese.get(message) ?? (field ? chinese.get(`${field}: ${message}`) : undefined) ?? message;
}

/** True when an `Accept-Language` header puts Chinese first (zh, zh-CN, zh-Hans…). */
export const wantsChinese = (acceptLanguage: string | undefined): boolean => /^\s*zh\b/i.test(acceptLanguage ?? '');
