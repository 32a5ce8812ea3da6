/**
 * Other ways of typing a shopping word, rewritten into the Chinese word they stand for before the message is
 * segmented: emoji (👗 → 连衣裙, 👗200以下) and common English shopping words and price phrases (dress under 200 →
 * 连衣裙 不超过 200, shoes for men → 鞋 男士). Both tables are lexicon data (emoji.json, english.json), not a
 * translation engine: what the Chinese word then means (a category, an attribute, a keyword) is the account's
 * vocabulary's business, so `lipstick` is a category in a shop that has 口红 and a searched word in one that has not.
 * WeChat's built-in stickers arrive as their names in brackets ([微笑], [呲牙], [Smile]) and are dropped like emoji the
 * table does not list: 「奶瓶[呲牙]」 is a search for 奶瓶, 「你好[微笑]」 not one for 微笑.
 */
import type { Lexicon } from './lexicon.ts';
import { normalize } from './normalize.ts';

export interface Rewrites {
  /** One pictograph (no variation selector) → the normalised Chinese word. */
  readonly emoji: ReadonlyMap<string, string>;
  /** A normalised English phrase (words joined by one space) → the normalised Chinese word; '' drops it. */
  readonly english: ReadonlyMap<string, string>;
  /** The longest English phrase, in words. */
  readonly maxWords: number;
  /** WeChat sticker names (stickers.json), lower case. */
  readonly stickers: ReadonlySet<string>;
}

const VARIATION_SELECTOR = /\uFE0F/g;

/** The rewrite tables of a lexicon, normalised once (with the vocabulary). */
export function buildRewrites(lexicon: Pick<Lexicon, 'english' | 'emoji' | 'stickers'>): Rewrites {
  const emoji = new Map<string, string>();
  for (const [word, pictographs] of Object.entries(lexicon.emoji)) {
    for (const p of pictographs) emoji.set(p.replace(VARIATION_SELECTOR, ''), normalize(word));
  }
  const english = new Map<string, string>();
  let maxWords = 1;
  const put = (phrase: string, word: string) => {
    const key = normalize(phrase);
    if (key === '' || english.has(key)) return;
    english.set(key, word);
    maxWords = Math.max(maxWords, key.split(' ').length);
  };
  for (const [word, phrases] of Object.entries(lexicon.english.words)) for (const p of phrases) put(p, normalize(word));
  for (const p of lexicon.english.ignore) put(p, '');
  return { emoji, english, maxWords, stickers: new Set(lexicon.stickers.map((s) => s.toLowerCase())) };
}

const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const PICTOGRAPHS = /\p{Extended_Pictographic}/gu;

/** A sticker as WeChat sends it: its name (Chinese or English, a few characters) in ASCII brackets. */
const STICKER = /\[([^[\]\s]{1,12})\]/g;

/**
 * Emoji the table knows become their word, set apart by spaces; the others stay (normalising drops them).
 * WeChat stickers ([微笑]) become a space. Runs before `normalize`, which would drop every emoji but keep a
 * sticker's name.
 * @example withEmojiWords('👗200以下', rewrites) // → ' 连衣裙 200以下'
 * @example withEmojiWords('奶瓶[呲牙]', rewrites) // → '奶瓶 '
 */
export function withEmojiWords(typed: string, rewrites: Rewrites): string {
  const text = typed.includes('[') ? typed.replace(STICKER, (code, name: string) => (rewrites.stickers.has(name.toLowerCase()) ? ' ' : code)) : typed;
  if (rewrites.emoji.size === 0 || !PICTOGRAPH.test(text)) return text;
  return text.replace(PICTOGRAPHS, (p) => {
    const word = rewrites.emoji.get(p);
    return word === undefined ? p : ` ${word} `;
  });
}

const HAS_LATIN = /[a-z]/;
/** Runs of whole Latin words (not the letters of a model code such as iphone15). */
const LATIN_RUN = /(?<![a-z0-9])[a-z]+(?: [a-z]+)*(?![a-z0-9])/g;

/**
 * English words and phrases in a normalised message become their Chinese word (longest phrase first); filler
 * (for, the, show me) is dropped. A phrase the vocabulary itself knows (new balance, iphone, hotel, or a Latin word
 * of the shop's titles such as watch) is left as typed, and so is pinyin (lian yi qun), which no table lists.
 * @param known whether the vocabulary has a meaning of its own for a word (spaces removed)
 * @example withChineseWords('shoes for men', rewrites, () => false) // → '鞋 男士'
 */
export function withChineseWords(normalized: string, rewrites: Rewrites, known: (word: string) => boolean): string {
  if (rewrites.english.size === 0 || !HAS_LATIN.test(normalized)) return normalized;
  let changed = false;
  const out = normalized.replace(LATIN_RUN, (run) => {
    const words = run.split(' ');
    const kept: string[] = [];
    for (let i = 0; i < words.length;) {
      let step = 0;
      for (let k = Math.min(rewrites.maxWords, words.length - i); k >= 1 && step === 0; k--) {
        const phrase = words.slice(i, i + k);
        if (known(phrase.join(''))) {
          kept.push(...phrase);
          step = k;
          break;
        }
        const word = rewrites.english.get(phrase.join(' '));
        if (word === undefined) continue;
        if (word !== '') kept.push(word);
        changed = true;
        step = k;
      }
      if (step === 0) {
        kept.push(words[i]!);
        step = 1;
      }
      i += step;
    }
    return ` ${kept.join(' ')} `;
  });
  return changed ? out.replace(/\s+/g, ' ').trim() : normalized;
}
