/**
 * Toneless pinyin, one syllable per character (`ü` written `v`, as phone keyboards take it), and the
 * initial/final split that tells whether two characters sound alike.
 */
import { pinyin } from 'pinyin-pro';

const HAN = /\p{Script=Han}/u;

/** True when the text has at least one CJK character. */
export const hasHan = (text: string): boolean => HAN.test(text);

/**
 * One lower-case syllable per character; non-CJK characters stand for themselves.
 * @example syllables('连衣裙') // → ['lian', 'yi', 'qun']
 */
export function syllables(text: string): string[] {
  return pinyin(text, { toneType: 'none', type: 'array', v: true }).map((s) => s.toLowerCase());
}

const charCache = new Map<string, string>();

/** The usual reading of one character, cached. */
export function charSyllable(ch: string): string {
  let s = charCache.get(ch);
  if (s === undefined) {
    s = syllables(ch)[0] ?? ch;
    charCache.set(ch, s);
  }
  return s;
}

const INITIALS = ['zh', 'ch', 'sh', 'b', 'p', 'm', 'f', 'd', 't', 'n', 'l', 'g', 'k', 'h', 'j', 'q', 'x', 'r', 'z', 'c', 's', 'y', 'w'];

function split(syllable: string): { initial: string; final: string } {
  const initial = INITIALS.find((i) => syllable.startsWith(i) && syllable.length > i.length) ?? '';
  return { initial, final: syllable.slice(initial.length) };
}

/** Two syllables sound alike when they share the initial or the final (群/裙, 君/裙, 依/衣). */
export function soundAlike(a: string, b: string): boolean {
  if (a === b) return true;
  const x = split(a);
  const y = split(b);
  return (x.initial !== '' && x.initial === y.initial) || x.final === y.final;
}
