/**
 * The words a product brings to its account's vocabulary (see CatalogueWords.titleWords): what the merchant
 * wrote in it is how that shop's followers will ask for it. A shop's own words (猫条, 豆腐砂, 氮化镓, 遛狗)
 * then segment as one word and are kept as keywords, instead of being read as unknown runs (「大型犬牵引绳」
 * as one keyword no title contains) or split at a stop word (猫条 → 猫 + 条).
 */
import type { Product } from '../catalogue/types.ts';

/** Latin words in titles (watch, pro, air): the understander keeps such words only when the catalogue has them. */
const LATIN_WORD = /[a-z][a-z']+/g;
/** A title phrase or tag in Chinese: titles are written as space-separated phrases (韩都衣舍 女士 波点连衣裙). */
const HAN_PHRASE = /^\p{Script=Han}{2,8}$/u;

/**
 * Latin title words and Chinese title phrases; and Chinese tags. Words made of words the vocabulary already
 * knows (波点连衣裙 = 波点 + 连衣裙) are left out when the vocabulary is built, so they still split into slots.
 * @example productWords({ title: '洁珊 豆腐猫砂 原味 6L', tags: ['豆腐砂'] }) // { title: Set {'洁珊', '豆腐猫砂', '原味'}, tags: Set {'豆腐砂'} }
 */
export function productWords(p: Pick<Product, 'title' | 'tags'>): { readonly title: Set<string>; readonly tags: Set<string> } {
  const title = new Set(p.title.toLowerCase().match(LATIN_WORD) ?? []);
  for (const phrase of p.title.split(/\s+/)) if (HAN_PHRASE.test(phrase)) title.add(phrase);
  return { title, tags: new Set(p.tags.filter((t) => HAN_PHRASE.test(t))) };
}
