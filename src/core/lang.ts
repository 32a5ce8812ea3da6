/**
 * The two languages messages come in: English for scripts, the CLI and the logs; Chinese for the console.
 * A message a merchant may see is written once as `{ en, zh }` and chosen per request (see `wordsIn`).
 */

export type Lang = 'en' | 'zh';

/** One message in both languages: a string, or a function of the values it mentions (both the same shape). */
export type Both<T> = { readonly en: T; readonly zh: T };

type Table = Readonly<Record<string, Both<unknown>>>;

/**
 * A table of messages in one language.
 * @example const t = wordsIn(RULE_WORDS, 'zh'); t.nameMissing // 'name: 请给规则起个名字'
 */
export function wordsIn<T extends Table>(table: T, lang: Lang): { readonly [K in keyof T]: T[K]['en'] } {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v[lang]])) as { [K in keyof T]: T[K]['en'] };
}

/**
 * The language an `Accept-Language` header asks for: Chinese when its first choice is zh (zh-CN, zh-Hans, zh…), else English.
 * @example langOf('zh-CN,zh;q=0.9,en;q=0.8') // 'zh'
 */
export function langOf(acceptLanguage: string | undefined): Lang {
  const first = (acceptLanguage ?? '').split(',')[0]!.trim().toLowerCase();
  return first === 'zh' || first.startsWith('zh-') || first.startsWith('zh;') ? 'zh' : 'en';
}
