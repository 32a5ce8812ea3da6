/**
 * Splits a normalised message into tokens: vocabulary words (longest, fewest pieces), runs of unknown
 * CJK characters, ASCII words and digit runs (with the 段 of a formula stage: 1段). Segmentation is a small
 * dynamic programme per space-separated chunk: a known word costs 1, an unknown CJK character 2, so known words
 * win and unknown text stays whole.
 */
import { charSyllable } from './pinyin.ts';
import type { Vocabulary, VocabularyEntry } from './vocabulary.ts';

export type Token =
  /** A vocabulary word; `from` is what was typed when it was corrected (pinyin, homophone, typo). */
  | { readonly kind: 'word'; readonly text: string; readonly entry: VocabularyEntry; readonly from?: string; readonly chunk: number; readonly start: number; readonly end: number }
  /** CJK text the vocabulary does not know. */
  | { readonly kind: 'han'; readonly text: string; readonly chunk: number; readonly start: number; readonly end: number }
  | { readonly kind: 'ascii'; readonly text: string; readonly chunk: number; readonly start: number; readonly end: number }
  | { readonly kind: 'digits'; readonly text: string; readonly chunk: number; readonly start: number; readonly end: number };

const HAN = /\p{Script=Han}/u;
const isLetter = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
export const isHanChar = (c: string | undefined): boolean => c !== undefined && HAN.test(c);

/**
 * Counters that label a product with the number before them, exactly, as titles write it: a formula stage (1段).
 * The number and its counter are one token, searched for together: 「1段奶粉」 is stage-1 formula, while a bare 1
 * would be dropped as a stray number. Not ages (3岁: a 2岁以上 toy suits a three-year-old), months or sizes (80码:
 * clothes carry sizes as variants, not in titles), where a required word would hide what fits.
 */
const COUNTERS = new Set(['段']);

/** Where a counter right after the digits ending at `j` ends (`j` when none follows). */
const countedEnd = (chars: readonly string[], j: number): number => (COUNTERS.has(chars[j]!) ? j + 1 : j);

const WORD_COST = 1;
/** A one-character word is slightly less certain than a longer one (鞋, 红, 女). */
const SINGLE_CHAR_WORD_COST = 1.3;
const UNKNOWN_CHAR_COST = 2;

type Step =
  | { kind: 'word'; end: number; entry: VocabularyEntry }
  | { kind: 'han' | 'ascii' | 'digits' | 'skip'; end: number };

export const isStopOnly = (entry: VocabularyEntry): boolean => entry.senses.every((s) => s.kind === 'stop');

/** Segments one chunk (no spaces) of a normalised message. */
function segmentChunk(chunk: string, index: number, vocabulary: Vocabulary): Token[] {
  const chars = [...chunk];
  const n = chars.length;
  const cost = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const steps: (Step | undefined)[] = new Array(n + 1);
  cost[n] = 0;
  const consider = (i: number, step: Step, stepCost: number) => {
    const total = stepCost + cost[step.end]!;
    if (total < cost[i]!) {
      cost[i] = total;
      steps[i] = step;
    }
  };

  for (let i = n - 1; i >= 0; i--) {
    const c = chars[i]!;
    const midLetters = isLetter(c) && isLetter(chars[i - 1]);
    if (!midLetters) {
      // Dictionary words, longest first; an ASCII edge must sit on a letter boundary (mi is not in mini).
      const limit = Math.min(vocabulary.maxWordLength, n - i);
      const found: { end: number; entry: VocabularyEntry }[] = [];
      let word = '';
      for (let len = 1; len <= limit; len++) {
        word += chars[i + len - 1]!;
        if (!vocabulary.wordPrefixes.has(word)) break;
        const entry = vocabulary.entries.get(word);
        if (!entry) continue;
        if (isLetter(chars[i + len - 1]) && isLetter(chars[i + len])) continue;
        if (entry.standaloneOnly && !(i === 0 && len === n)) continue;
        found.push({ end: i + len, entry });
      }
      for (let k = found.length - 1; k >= 0; k--) {
        const { end, entry } = found[k]!;
        consider(i, { kind: 'word', end, entry }, end - i === 1 ? SINGLE_CHAR_WORD_COST : WORD_COST);
      }
    }
    if (isLetter(c) && !midLetters) {
      let j = i;
      while (isLetter(chars[j])) j++;
      consider(i, { kind: 'ascii', end: j }, WORD_COST);
    } else if (isDigit(c) && !isDigit(chars[i - 1])) {
      let j = i;
      while (isDigit(chars[j])) j++;
      consider(i, { kind: 'digits', end: j }, WORD_COST);
      const counted = countedEnd(chars, j);
      if (counted > j) consider(i, { kind: 'digits', end: counted }, WORD_COST);
    } else if (isHanChar(c)) {
      consider(i, { kind: 'han', end: i + 1 }, UNKNOWN_CHAR_COST);
    } else if (!isLetter(c) && !isDigit(c)) {
      consider(i, { kind: 'skip', end: i + 1 }, 0);
    }
  }

  const tokens: Token[] = [];
  for (let i = 0; i < n;) {
    const step = steps[i];
    if (!step) break;
    const text = chars.slice(i, step.end).join('');
    if (step.kind === 'word') tokens.push({ kind: 'word', text, entry: step.entry, chunk: index, start: i, end: step.end });
    else if (step.kind !== 'skip') tokens.push({ kind: step.kind, text, chunk: index, start: i, end: step.end });
    i = step.end;
  }
  return mergeUnknown(absorbSingles(tokens));
}

/**
 * A one-character word next to unknown CJK text is more likely part of an unknown word than a word of
 * its own: 面包 is bread, not a bag (包); 网红 is not red (红); 拖鞋 stays whole.
 */
function absorbSingles(tokens: Token[]): Token[] {
  let changed = true;
  while (changed) {
    changed = false;
    tokens.forEach((t, i) => {
      if (t.kind !== 'word' || t.end - t.start !== 1 || !isHanChar(t.text) || isStopOnly(t.entry)) return;
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      if (prev?.kind === 'han' || next?.kind === 'han') {
        tokens[i] = { kind: 'han', text: t.text, chunk: t.chunk, start: t.start, end: t.end };
        changed = true;
      }
    });
  }
  return tokens;
}

function mergeUnknown(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (t.kind === 'han' && last?.kind === 'han' && last.end === t.start) {
      out[out.length - 1] = { ...last, text: last.text + t.text, end: t.end };
    } else {
      out.push(t);
    }
  }
  return out;
}

const isSingleHan = (chunk: string | undefined): boolean =>
  chunk !== undefined && chunk.length === 1 && isHanChar(chunk);

/**
 * Characters typed one by one with spaces between (连 衣 裙) are one word when together they spell a
 * vocabulary word (or sound like one of three or more characters): within each run of one-character
 * chunks, the longest such spans from the left are joined. Real multi-word messages (深圳 美食, 红 裙子)
 * have longer chunks and are left alone.
 */
function joinSpacedCharacters(chunks: string[], vocabulary: Vocabulary): string[] {
  let singles = 0;
  for (const chunk of chunks) if (isSingleHan(chunk)) singles++;
  if (singles < 2) return chunks;
  const out: string[] = [];
  for (let i = 0; i < chunks.length;) {
    let joined = 0;
    if (isSingleHan(chunks[i]) && isSingleHan(chunks[i + 1])) {
      let end = i + 1;
      while (end < chunks.length && end - i < vocabulary.maxWordLength && isSingleHan(chunks[end])) end++;
      let word = chunks[i]!;
      for (let j = i + 1; j < end; j++) {
        word += chunks[j]!;
        if (!vocabulary.wordPrefixes.has(word)) break;
        if (vocabulary.entries.has(word)) joined = j - i + 1;
      }
      // Or they sound like a word of three or more characters (连 衣 群), which correction then fixes.
      for (let j = end; joined === 0 && j - i >= 3; j--) {
        if (vocabulary.bySyllables.has(chunks.slice(i, j).map(charSyllable).join(' '))) joined = j - i;
      }
    }
    if (joined >= 2) {
      out.push(chunks.slice(i, i + joined).join(''));
      i += joined;
    } else {
      out.push(chunks[i]!);
      i++;
    }
  }
  return out;
}

/** Separators between chunks: spaces, and price marks left outside a price phrase. */
const CHUNK_BREAK = /[\s\-~.¥]+/;

export interface Segmentation {
  readonly tokens: readonly Token[];
  /** The space-separated chunks, by the `chunk` index tokens carry. */
  readonly chunks: readonly string[];
}

/**
 * Segments a normalised message (price phrases already blanked) into tokens, chunk by chunk.
 * @example segment('我想买红色的连衣裙', vocabulary).tokens.map((t) => t.text) // → ['我想买', '红色', '的', '连衣裙']
 */
export function segment(text: string, vocabulary: Vocabulary): Segmentation {
  const chunks = joinSpacedCharacters(text.split(CHUNK_BREAK), vocabulary);
  const tokens: Token[] = [];
  chunks.forEach((chunk, index) => {
    if (chunk !== '') tokens.push(...segmentChunk(chunk, index, vocabulary));
  });
  return { tokens, chunks };
}
