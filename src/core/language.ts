/**
 * The language an answer's messages are written in: English for scripts and tests, Chinese for the console
 * (which sends `Accept-Language: zh-CN`). Only messages that have a Chinese version change; codes never do.
 */
export type Language = 'en' | 'zh';

/**
 * The language a request asks for: Chinese when its first preference is any `zh` tag, otherwise English.
 * @example languageOf('zh-CN,zh;q=0.9') // 'zh'
 */
export function languageOf(acceptLanguage: string | undefined): Language {
  const first = (acceptLanguage ?? '').split(',')[0]!.trim().toLowerCase();
  return first === 'zh' || first.startsWith('zh-') || first.startsWith('zh;') ? 'zh' : 'en';
}
