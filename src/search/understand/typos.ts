/**
 * One-character typo correction against the vocabulary (never the catalogue): 连依裙 → 连衣裙,
 * 牛仔库 → 牛仔裤, adidsa → adidas, lianyiqum → 连衣裙 (through its pinyin).
 *
 * A cheap character-overlap gate decides whether any vocabulary word is one edit away; only then do the
 * fuse.js indexes rank the candidates, and a strict check keeps a correction only when it is exactly one
 * edit (substitution, insertion, deletion or swap). A three-character word accepts a substitution only
 * when the two characters sound alike, so ordinary words are left alone.
 *
 * The fuse.js indexes are small: one per (length, first character) and one per (length, last character).
 * One edit to a word of three or more characters keeps its first or its last character, so searching the
 * two buckets of the typed text's ends finds every candidate without scanning the whole vocabulary.
 */
import Fuse from 'fuse.js';
import { finish, type Steps } from '../steps.ts';
import { charSyllable, hasHan, soundAlike } from './pinyin.ts';

export interface TypoItem {
  /** What is compared with the typed text: a CJK word, an ASCII alias, or a word's joined pinyin. */
  readonly text: string;
  /** The vocabulary word it stands for. */
  readonly word: string;
}

/** Fuse's Bitap score is errors ÷ pattern length: one error in three characters is 0.33. */
const THRESHOLD = 0.34;
export const MIN_HAN_LENGTH = 3;
export const MIN_ASCII_LENGTH = 5;

/** Optimal string alignment distance (Levenshtein plus adjacent swaps), stopping early past `limit`. */
export function editDistance(a: readonly string[], b: readonly string[], limit = 2): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (i > 0 && best > limit) return limit + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

const endKeys = (chars: readonly string[]): string[] =>
  [`${chars.length}<${chars[0]}`, `${chars.length}>${chars[chars.length - 1]}`];

function occurrences(chars: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ch of chars) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return counts;
}

type Item = TypoItem & { readonly chars: readonly string[] };

/** What a TypoIndex is made of, built by `typoParts`. */
export interface TypoParts {
  readonly items: readonly Item[];
  /** Character → [item id, occurrences in that item]. */
  readonly byChar: ReadonlyMap<string, [number, number][]>;
  /** `${length}<${first char}` and `${length}>${last char}` → the words of that length and end. */
  readonly fuseByEnd: ReadonlyMap<string, Fuse<TypoItem>>;
}

function* typoParts(items: Iterable<TypoItem>): Steps<TypoParts> {
  const seen = new Set<string>();
  const list: Item[] = [];
  for (const item of items) {
    const key = `${item.text}\u0000${item.word}`;
    if (seen.has(key)) continue;
    seen.add(key);
    list.push({ ...item, chars: [...item.text] });
  }
  yield;
  const byChar = new Map<string, [number, number][]>();
  const byEnd = new Map<string, TypoItem[]>();
  for (const [id, item] of list.entries()) {
    for (const [ch, times] of occurrences(item.chars)) {
      const postings = byChar.get(ch);
      if (postings) postings.push([id, times]);
      else byChar.set(ch, [[id, times]]);
    }
    for (const key of endKeys(item.chars)) {
      const bucket = byEnd.get(key);
      if (bucket) bucket.push(item);
      else byEnd.set(key, [item]);
    }
    if (id % 64 === 63) yield;
  }
  const fuseByEnd = new Map<string, Fuse<TypoItem>>();
  for (const [key, bucket] of byEnd) {
    yield;
    fuseByEnd.set(key, new Fuse(bucket, {
      keys: ['text'],
      threshold: THRESHOLD,
      ignoreLocation: true,
      includeScore: true,
      isCaseSensitive: true,
      shouldSort: true,
    }));
  }
  return { items: list, byChar, fuseByEnd };
}

export class TypoIndex {
  private readonly items: readonly Item[];
  private readonly byChar: ReadonlyMap<string, [number, number][]>;
  private readonly fuseByEnd: ReadonlyMap<string, Fuse<TypoItem>>;
  private readonly counts: Int32Array;

  /** @param parts prebuilt by `TypoIndex.steps` (then `items` is not read) */
  constructor(items: Iterable<TypoItem>, parts: TypoParts = finish(typoParts(items))) {
    this.items = parts.items;
    this.byChar = parts.byChar;
    this.fuseByEnd = parts.fuseByEnd;
    this.counts = new Int32Array(parts.items.length);
  }

  /**
   * The index built a bucket at a time (see steps.ts), for a build that gives way between webhook deliveries.
   * @example const typos = finish(TypoIndex.steps(items)); // as new TypoIndex(items)
   */
  static *steps(items: Iterable<TypoItem>): Steps<TypoIndex> {
    return new TypoIndex([], yield* typoParts(items));
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * The vocabulary word `typed` is one typo away from, or null when there is none or it is ambiguous.
   * @example index.correct('连依裙') // → '连衣裙'
   */
  correct(typed: string): string | null {
    const chars = [...typed];
    const han = hasHan(typed);
    if (chars.length < (han ? MIN_HAN_LENGTH : MIN_ASCII_LENGTH)) return null;
    const lengths = this.gate(chars);
    if (lengths.size === 0) return null;

    let best: { word: string; distance: number; score: number } | null = null;
    let ambiguous = false;
    const first = chars[0]!;
    const last = chars[chars.length - 1]!;
    const buckets = [...lengths].flatMap((length) => [`${length}<${first}`, `${length}>${last}`]);
    for (const key of buckets) {
      const fuse = this.fuseByEnd.get(key);
      if (!fuse) continue;
      for (const result of fuse.search(typed, { limit: 8 })) {
        const item = result.item as TypoItem;
        const target = [...item.text];
        const distance = editDistance(chars, target, 1);
        if (distance !== 1 || !this.plausible(chars, target)) continue;
        const score = result.score ?? 1;
        if (best === null || score < best.score - 1e-9) {
          best = { word: item.word, distance, score };
          ambiguous = false;
        } else if (Math.abs(score - best.score) <= 1e-9 && item.word !== best.word) {
          ambiguous = true;
        }
      }
    }
    return best !== null && !ambiguous ? best.word : null;
  }

  /** Word lengths that hold a word sharing all but one character with `chars` (as multisets). */
  private gate(chars: readonly string[]): Set<number> {
    const touched: number[] = [];
    for (const [ch, times] of occurrences(chars)) {
      for (const [id, itemTimes] of this.byChar.get(ch) ?? []) {
        if (this.counts[id] === 0) touched.push(id);
        this.counts[id]! += Math.min(times, itemTimes);
      }
    }
    const lengths = new Set<number>();
    const allowLengthChange = chars.length >= 4;
    for (const id of touched) {
      const item = this.items[id]!;
      const length = item.chars.length;
      const lengthOk = length === chars.length || (allowLengthChange && Math.abs(length - chars.length) === 1);
      if (lengthOk && this.counts[id]! >= Math.max(length, chars.length) - 1) lengths.add(length);
      this.counts[id] = 0;
    }
    return lengths;
  }

  /** A three-character CJK word accepts a substitution only between characters that sound alike. */
  private plausible(typed: readonly string[], target: readonly string[]): boolean {
    if (typed.length !== target.length || typed.length > MIN_HAN_LENGTH || !hasHan(target.join(''))) return true;
    const i = typed.findIndex((ch, k) => ch !== target[k]);
    if (i < 0) return true;
    return soundAlike(charSyllable(typed[i]!), charSyllable(target[i]!));
  }
}
