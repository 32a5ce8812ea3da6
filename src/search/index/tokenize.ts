/**
 * Tokens for the in-memory indexes: Chinese has no spaces, so CJK runs become overlapping bigrams plus
 * the vocabulary words found in them; ASCII and digit words stay whole.
 *
 * Index side (`tokens`) emits every token a text contains; query side (`queryTokens`) emits the few
 * tokens a product must contain to match a search word, so both sides agree by construction.
 */

/** Vocabulary words compiled for fast scanning (a trie over UTF-16 code units). */
export interface Dictionary {
  readonly size: number;
  /** Whether `word` (already normalised) is in the vocabulary. */
  has(word: string): boolean;
  /** @internal */
  readonly root: TrieNode;
}

interface TrieNode {
  next: Map<number, TrieNode> | null;
  word: boolean;
}

/**
 * Compiles vocabulary words (category leaves, brands, colours, materials…) once, for `tokens` and the
 * indexes. Words are normalised like any text; empty words are ignored.
 *
 * @example const dict = createDictionary(['连衣裙', '牛仔裤', '优衣库']);
 */
export function createDictionary(words: Iterable<string>): Dictionary {
  const root: TrieNode = { next: null, word: false };
  const all = new Set<string>();
  for (const raw of words) {
    const w = normalizeText(raw).replace(/\s+/g, '');
    if (!w || all.has(w)) continue;
    all.add(w);
    let node = root;
    for (let i = 0; i < w.length; i++) {
      const c = w.charCodeAt(i);
      node.next ??= new Map();
      let child = node.next.get(c);
      if (!child) {
        child = { next: null, word: false };
        node.next.set(c, child);
      }
      node = child;
    }
    node.word = true;
  }
  return { size: all.size, has: (word) => all.has(word), root };
}

const compiled = new WeakMap<object, Dictionary>();

/**
 * A `Dictionary` from either a compiled one or a word list. A list is compiled once per list object:
 * after changing its words, pass a new list (or call `createDictionary`).
 */
export function toDictionary(dictionary: Dictionary | Iterable<string> | undefined): Dictionary | undefined {
  if (dictionary === undefined) return undefined;
  if (isDictionary(dictionary)) return dictionary;
  let d = compiled.get(dictionary);
  if (!d) {
    d = createDictionary(dictionary);
    compiled.set(dictionary, d);
  }
  return d;
}

function isDictionary(x: Dictionary | Iterable<string>): x is Dictionary {
  return typeof (x as Dictionary).has === 'function' && (x as Dictionary).root !== undefined && !(Symbol.iterator in x);
}

// Everything NFKC leaves unchanged: ASCII, CJK Extension A, CJK Unified Ideographs.
const NEEDS_NFKC = /[^\x00-\x7f\u3400-\u9fff]/;

/** NFKC (full width → half width, compatibility forms) and lower case. */
export function normalizeText(text: string): string {
  return (NEEDS_NFKC.test(text) ? text.normalize('NFKC') : text).toLowerCase();
}

const enum Kind {
  Other = 0,
  Cjk = 1,
  Word = 2,
}

function kindOf(c: number): Kind {
  if (c < 0x80) {
    return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) ? Kind.Word : Kind.Other;
  }
  if (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x3040 && c <= 0x30ff) ||
    (c >= 0xac00 && c <= 0xd7af) ||
    c === 0x3007
  ) {
    return Kind.Cjk;
  }
  // Latin letters with accents (café) belong to words.
  if (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) return Kind.Word;
  return Kind.Other;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * The tokens of a text, in order of appearance (a token repeats when the text repeats it).
 * CJK runs: overlapping bigrams, the character itself for a one-character run, plus every vocabulary
 * word of three or more characters found in the run (shorter words are bigrams already).
 * Other words (letters, digits): whole, plus their letter and digit parts when mixed (`iphone15` →
 * `iphone15`, `iphone`, `15`). Pure; punctuation, spaces and emoji separate tokens.
 *
 * @example tokens('优衣库 纯棉连衣裙 M码', ['连衣裙']) // ['优衣','衣库','纯棉','棉连','连衣','连衣裙','衣裙','m','码']
 */
export function tokens(text: string, dictionary?: Dictionary | Iterable<string>): string[] {
  const out: string[] = [];
  forEachToken(normalizeText(text), toDictionary(dictionary), (t) => out.push(t));
  return out;
}

/** Calls `visit` for each maximal run of CJK or word characters in normalised text (other characters split runs). */
function forEachRun(s: string, visit: (kind: Kind.Cjk | Kind.Word, start: number, end: number) => void): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const kind = kindOf(s.charCodeAt(i));
    if (kind === Kind.Other) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && kindOf(s.charCodeAt(j)) === kind) j++;
    visit(kind, i, j);
    i = j;
  }
}

/** `tokens` without the array, over already normalised text (for the index build loop). */
export function forEachToken(s: string, dict: Dictionary | undefined, emit: (token: string) => void): void {
  forEachRun(s, (kind, i, j) => (kind === Kind.Cjk ? cjkRun(s, i, j, dict, emit) : wordRun(s, i, j, emit)));
}

function cjkRun(s: string, start: number, end: number, dict: Dictionary | undefined, emit: (token: string) => void): void {
  if (end - start === 1) {
    emit(s[start]!);
    return;
  }
  for (let i = start; i < end - 1; i++) {
    emit(s.slice(i, i + 2));
    if (dict) {
      // Words of 3+ characters starting here (1–2 character words are covered by the bigrams).
      let node: TrieNode | undefined = dict.root;
      for (let j = i; j < end && node; j++) {
        node = node.next?.get(s.charCodeAt(j));
        if (node?.word && j - i >= 2) emit(s.slice(i, j + 1));
      }
    }
  }
}

function wordRun(s: string, start: number, end: number, emit: (token: string) => void): void {
  emit(s.slice(start, end));
  // Mixed letters and digits: also the parts, so `iphone 15` finds `iPhone15`.
  let partStart = start;
  let split = false;
  for (let i = start + 1; i <= end; i++) {
    if (i === end || isDigit(s.charCodeAt(i)) !== isDigit(s.charCodeAt(i - 1))) {
      if (i !== end) split = true;
      if (split) emit(s.slice(partStart, i));
      partStart = i;
    }
  }
}

/**
 * What a product must contain to match one search word: the vocabulary words in it (longest first,
 * left to right), the bigrams of what lies between them, and its ASCII words — a word mixing letters and
 * digits by its parts, so `mate60` finds `Mate 60` as well as `Mate60`. A one-character leftover next to a
 * word is dropped when it is filler (的, 款); any other is kept with the character beside it (劳力士 with the
 * word 力士 needs 劳力: a Rolex is not 力士 shower gel). A word that is one character only is kept as is.
 * Every token returned is one `tokens` emits for a text containing the word.
 *
 * @example queryTokens('碎花连衣裙', ['连衣裙']) // ['碎花', '连衣裙']
 */
export function queryTokens(word: string, dictionary?: Dictionary | Iterable<string>): string[] {
  const dict = toDictionary(dictionary);
  const s = normalizeText(word);
  const out = new Set<string>();
  forEachRun(s, (kind, i, j) => {
    if (kind === Kind.Word) wordParts(s, i, j, out);
    else if (j - i === 1) out.add(s[i]!);
    else segmentRun(s, i, j, dict, out);
  });
  return [...out];
}

/** Characters that glue to a word without changing what it names (红色的, 裙子, 女款, 西装式). */
const FILLER = new Set('的地得之子儿们款式色装类系版型个件条双只套把吧呢吗啊呀了');

/** A letters-and-digits word's parts (`iphone15` → `iphone`, `15`), or the word itself when it is not mixed. */
function wordParts(s: string, start: number, end: number, out: Set<string>): void {
  let partStart = start;
  for (let i = start + 1; i <= end; i++) {
    if (i === end || isDigit(s.charCodeAt(i)) !== isDigit(s.charCodeAt(i - 1))) {
      out.add(s.slice(partStart, i));
      partStart = i;
    }
  }
}

function segmentRun(s: string, start: number, end: number, dict: Dictionary | undefined, out: Set<string>): void {
  let gapStart = start;
  const gap = (gapEnd: number): void => {
    // Bigrams of the text between vocabulary words; a lone character there goes with its neighbour, unless filler.
    if (gapEnd - gapStart === 1 && !FILLER.has(s[gapStart]!)) {
      if (gapEnd < end) out.add(s.slice(gapStart, gapEnd + 1));
      else out.add(s.slice(gapStart - 1, gapEnd));
      return;
    }
    for (let k = gapStart; k < gapEnd - 1; k++) out.add(s.slice(k, k + 2));
  };
  let i = start;
  while (i < end) {
    let wordEnd = -1;
    if (dict) {
      let node: TrieNode | undefined = dict.root;
      for (let j = i; j < end && node; j++) {
        node = node.next?.get(s.charCodeAt(j));
        if (node?.word && j - i >= 1) wordEnd = j + 1;
      }
    }
    if (wordEnd > 0) {
      gap(i);
      out.add(s.slice(i, wordEnd));
      i = wordEnd;
      gapStart = i;
    } else {
      i++;
    }
  }
  gap(end);
}
