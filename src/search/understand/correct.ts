/**
 * Turns what the vocabulary did not recognise into vocabulary words where the evidence is strong:
 * pinyin typed in ASCII (nvzhuang, lian yi qun, shanghai jiudian), homophones (连衣群 → 连衣裙, 衬杉 → 衬衫)
 * and one-character typos (连衣君 → 连衣裙, adidsa → adidas). Every change is recorded as a correction.
 */
import { syllables } from './pinyin.ts';
import { isHanChar, isStopOnly, type Token } from './segment.ts';
import type { Vocabulary, VocabularyEntry } from './vocabulary.ts';

const MAX_WINDOW = 8;
const HAN_OR_OTHER = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;

type WordToken = Extract<Token, { kind: 'word' }>;

const asWord = (entry: VocabularyEntry, from: string | null, span: readonly Token[]): WordToken => ({
  kind: 'word',
  text: entry.word,
  entry,
  ...(from === null ? {} : { from }),
  chunk: span[0]!.chunk,
  start: span[0]!.start,
  end: span[span.length - 1]!.end,
});

/**
 * Tokens a CJK correction window may cover: unknown text, known CJK words that are not filler, and a filler
 * character (双, 条, 的) too — a typo can make a word's first character one (双间包 reads 双 + 间包 until 双肩包).
 */
const windowable = (t: Token): boolean =>
  t.kind === 'han' || (t.kind === 'word' && [...t.text].every(isHanChar) && (!isStopOnly(t.entry) || t.end - t.start === 1));

/**
 * Corrects unknown CJK text within one chunk's tokens: the longest window (aligned on tokens, holding some
 * unknown text) that is a homophone of a vocabulary word, else one typo away from one.
 */
function correctHan(tokens: Token[], vocabulary: Vocabulary, chunkText: string): Token[] {
  if (!tokens.some((t) => t.kind === 'han')) return tokens;
  const sounds = chunkSyllables(chunkText);
  let result = tokens;
  for (let guard = 0; guard < 8; guard++) {
    const fixed = correctOnce(result, vocabulary, sounds);
    if (fixed === null) return result;
    result = fixed;
  }
  return result;
}

function correctOnce(tokens: Token[], vocabulary: Vocabulary, sounds: readonly string[]): Token[] | null {
  const windows: { a: number; b: number; text: string; length: number }[] = [];
  for (let a = 0; a < tokens.length; a++) {
    if (!windowable(tokens[a]!)) continue;
    let text = '';
    let hasUnknown = false;
    for (let b = a; b < tokens.length && windowable(tokens[b]!); b++) {
      const t = tokens[b]!;
      if (b > a && tokens[b - 1]!.end !== t.start) break;
      text += t.text;
      hasUnknown ||= t.kind === 'han';
      const length = t.end - tokens[a]!.start;
      if (length > MAX_WINDOW) break;
      if (hasUnknown && length >= 2) windows.push({ a, b, text, length });
    }
  }
  windows.sort((x, y) => y.length - x.length || x.a - y.a);
  const replace = (w: (typeof windows)[number], target: VocabularyEntry) => {
    const span = tokens.slice(w.a, w.b + 1);
    return [...tokens.slice(0, w.a), asWord(target, w.text, span), ...tokens.slice(w.b + 1)];
  };
  // Homophones first (the usual slip of a pinyin keyboard, and a cheap lookup), then typos.
  for (const w of windows) {
    const start = tokens[w.a]!.start;
    const key = sounds.slice(start, start + w.length).join(' ');
    const homophone = vocabulary.bySyllables.get(key)?.find((e) => e.word !== w.text && likelyHomophone(w.text, e.word));
    if (homophone) return replace(w, homophone);
  }
  for (const w of windows) {
    const typo = w.length >= 3 ? entryOf(vocabulary.typos.correct(w.text), vocabulary) : undefined;
    if (typo) return replace(w, typo);
  }
  return null;
}

/** One syllable per character of a chunk; pinyin is asked only for its CJK runs (digits slow it down). */
function chunkSyllables(chunk: string): string[] {
  const out: string[] = [];
  for (const run of chunk.match(HAN_OR_OTHER) ?? []) {
    if (isHanChar(run[0])) out.push(...syllables(run));
    else out.push(...run);
  }
  return out;
}

/**
 * Two characters that merely sound like a word are weak evidence (衣架 is not 宜家): a two-character
 * homophone must keep one of the word's characters in place (衬杉 → 衬衫). Longer ones are taken as they are.
 */
function likelyHomophone(typed: string, word: string): boolean {
  const a = [...typed];
  const b = [...word];
  return a.length > 2 || a.some((ch, i) => ch === b[i]);
}

const entryOf = (word: string | null, vocabulary: Vocabulary): VocabularyEntry | undefined =>
  word === null ? undefined : vocabulary.entries.get(word);

/**
 * Reads a run of ASCII words as pinyin and aliases: the fewest vocabulary words (by pinyin, or an ASCII
 * alias split by spaces such as `new balance`) that spell it; words that do not parse stay ASCII, or are
 * corrected when one typo away from a vocabulary word or its pinyin.
 */
function correctAscii(group: readonly Token[], vocabulary: Vocabulary): Token[] {
  const starts: number[] = [];
  let joined = '';
  for (const t of group) {
    starts.push(joined.length);
    joined += t.text;
  }
  const n = joined.length;
  const tokenAt = new Map(starts.map((start, k) => [start, k]));
  const atBoundary = (i: number) => i === n || tokenAt.has(i);

  type Piece = { end: number; entry: VocabularyEntry | null };
  const cost = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const pieces: (Piece | undefined)[] = new Array(n + 1);
  cost[n] = 0;
  const consider = (i: number, piece: Piece, pieceCost: number) => {
    const total = pieceCost + cost[piece.end]!;
    if (total < cost[i]!) {
      cost[i] = total;
      pieces[i] = piece;
    }
  };
  for (let i = n - 1; i >= 0; i--) {
    const limit = Math.min(n, i + Math.max(vocabulary.maxPinyinLength, vocabulary.maxWordLength));
    const found: Piece[] = [];
    for (let j = i + 1; j <= limit; j++) {
      const part = joined.slice(i, j);
      if (!vocabulary.pinyinPrefixes.has(part)) break;
      const alias = atBoundary(i) && atBoundary(j) ? vocabulary.entries.get(part) : undefined;
      const entry = alias && !isStopOnly(alias) ? alias : vocabulary.byPinyin.get(part)?.[0];
      if (entry) found.push({ end: j, entry });
    }
    // Longest first, so that on a tie the longer word wins; short pieces and one-character words are
    // weaker evidence than a whole word's pinyin.
    for (const piece of found.reverse()) {
      const word = piece.entry!.word;
      consider(i, piece, piece.end - i <= 2 || [...word].length === 1 ? 1.5 : 1);
    }
    const k = tokenAt.get(i);
    if (k !== undefined) consider(i, { end: i + group[k]!.text.length, entry: null }, 3);
  }

  const out: Token[] = [];
  for (let i = 0; i < n;) {
    const piece = pieces[i];
    if (!piece) break;
    const span: Token[] = [];
    const typed: string[] = [];
    group.forEach((t, k) => {
      const start = starts[k]!;
      if (start < piece.end && start + t.text.length > i) {
        span.push(t);
        typed.push(t.text.slice(Math.max(0, i - start), piece.end - start));
      }
    });
    if (piece.entry === null) {
      const token = span[0]!;
      const typo = entryOf(vocabulary.typos.correct(token.text), vocabulary);
      out.push(typo ? asWord(typo, token.text, [token]) : token);
    } else {
      const from = typed.join(' ');
      // An alias typed with spaces (new balance) is not a correction.
      out.push(asWord(piece.entry, typed.join('') === piece.entry.word ? null : from, span));
    }
    i = piece.end;
  }
  return out;
}

/**
 * Applies pinyin, homophone and typo corrections to a segmented message.
 * @param chunks the normalised chunks the tokens were cut from, by chunk index.
 */
export function correct(tokens: readonly Token[], vocabulary: Vocabulary, chunks: readonly string[]): Token[] {
  // CJK corrections, chunk by chunk.
  const byChunk = new Map<number, Token[]>();
  for (const t of tokens) {
    const list = byChunk.get(t.chunk);
    if (list) list.push(t);
    else byChunk.set(t.chunk, [t]);
  }
  const hanFixed: Token[] = [];
  for (const [chunk, list] of byChunk) hanFixed.push(...correctHan(list, vocabulary, chunks[chunk] ?? ''));

  // ASCII runs, across chunks (lian yi qun is three chunks).
  const out: Token[] = [];
  for (let i = 0; i < hanFixed.length;) {
    const t = hanFixed[i]!;
    if (t.kind !== 'ascii') {
      out.push(t);
      i++;
      continue;
    }
    let j = i;
    while (hanFixed[j]?.kind === 'ascii') j++;
    out.push(...correctAscii(hanFixed.slice(i, j), vocabulary));
    i = j;
  }
  return out;
}
