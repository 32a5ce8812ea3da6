/**
 * Understanding a follower's message — the public surface:
 * `buildVocabulary(catalogueWords)` once per catalogue change, then `createUnderstander(vocabulary).understand(text)`.
 */
export { normalize, parseChineseNumber } from './normalize.ts';
export { extractPrice, type PriceExtraction } from './price.ts';
export { loadLexicon, DEFAULT_LEXICON_DIR, type Lexicon } from './lexicon.ts';
export { buildVocabulary, type CatalogueWords, type Sense, type Vocabulary, type VocabularyEntry } from './vocabulary.ts';
export { createUnderstander, type Understander } from './understand.ts';
