/**
 * Growable sorted integer lists for the inverted index: each entry packs `docId << 4 | weight`
 * (doc ids below 2^28, weights 0–15), appended in doc id order so lists stay sorted for free.
 * A dense list (one doc in 32 or more) also gets a membership bitset the first time a query needs
 * it, so intersecting with it costs a bit test instead of a search.
 */

export interface Postings {
  a: Uint32Array;
  n: number;
  /** While indexing: the doc of the last entry and the fields it was counted for (bit mask). */
  last: number;
  fields: number;
  /** Membership bitset over doc ids, kept up to date once built (null until a query wants it). */
  bits: Uint32Array | null;
}

export const WEIGHT_MASK = 15;
/** Entries are `id * ID_SCALE + weight` (multiplication keeps values unsigned past 2^31). */
export const ID_SCALE = 16;
export const MAX_DOC_ID = 2 ** 28 - 1;
/** Lists at least this long and holding at least 1/32 of the doc ids get a bitset when intersected. */
const DENSE_MIN = 4096;

export function newPostings(capacity = 4): Postings {
  return { a: new Uint32Array(capacity), n: 0, last: -1, fields: 0, bits: null };
}

/**
 * Counts a token for doc `id` in field `field` (a bit) with `weight`: appends an entry for a new doc,
 * or adds the weight to the doc's entry when this field has not counted it yet (capped at 15).
 */
export function addOccurrence(l: Postings, id: number, weight: number, field: number): void {
  if (l.last !== id) {
    push(l, id * ID_SCALE + Math.min(WEIGHT_MASK, weight));
    l.last = id;
    l.fields = field;
  } else if ((l.fields & field) === 0) {
    l.fields |= field;
    const v = l.a[l.n - 1]!;
    l.a[l.n - 1] = v - (v & WEIGHT_MASK) + Math.min(WEIGHT_MASK, (v & WEIGHT_MASK) + weight);
  }
}

/** Appends an entry; doubles small lists, grows large ones by a quarter (less slack at a million docs). */
export function push(l: Postings, v: number): void {
  if (l.n === l.a.length) {
    const grown = new Uint32Array(l.n < 65_536 ? Math.max(4, l.n * 2) : l.n + (l.n >>> 2));
    grown.set(l.a);
    l.a = grown;
  }
  l.a[l.n++] = v;
  if (l.bits) setBit(l, v >>> 4);
}

function setBit(l: Postings, id: number): void {
  let bits = l.bits!;
  const word = id >>> 5;
  if (word >= bits.length) {
    const grown = new Uint32Array(Math.max(word + 1, bits.length + (bits.length >>> 1)));
    grown.set(bits);
    l.bits = bits = grown;
  }
  bits[word]! |= 1 << (id & 31);
}

/** The list's bitset, built now if the list is dense relative to `idSpace` doc ids; else null. */
function denseBits(l: Postings, idSpace: number): Uint32Array | null {
  if (l.bits) return l.bits;
  if (l.n < DENSE_MIN || l.n * 32 < idSpace) return null;
  l.bits = new Uint32Array((idSpace >>> 5) + 1);
  for (let i = 0; i < l.n; i++) setBit(l, l.a[i]! >>> 4);
  return l.bits;
}

/** First index ≥ `from` whose entry is ≥ `key`, galloping then bisecting (entries ascending). */
export function seek(a: Uint32Array, n: number, from: number, key: number): number {
  let lo = from;
  if (lo >= n || a[lo]! >= key) return lo;
  let step = 1;
  let hi = lo + 1;
  while (hi < n && a[hi]! < key) {
    lo = hi;
    step <<= 1;
    hi = lo + step;
  }
  if (hi > n) hi = n;
  // a[lo] < key, and the answer lies in (lo, hi].
  lo++;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keeps the entries whose doc survives `remap` (old id → new id, or -1), renumbered; trims slack. */
export function remapPostings(l: Postings, remap: Int32Array): void {
  let w = 0;
  for (let i = 0; i < l.n; i++) {
    const v = l.a[i]!;
    const to = remap[v >>> 4]!;
    if (to >= 0) l.a[w++] = to * ID_SCALE + (v & WEIGHT_MASK);
  }
  l.n = w;
  l.last = -1;
  l.fields = 0;
  l.bits = null;
  if (l.a.length > Math.max(8, w + (w >>> 2))) l.a = l.a.slice(0, Math.max(4, w));
}

/** Candidates collected by `intersect`: doc ids and their summed token scores (reused between queries). */
export interface Candidates {
  ids: Int32Array;
  scores: Float64Array;
  n: number;
}

export function newCandidates(): Candidates {
  return { ids: new Int32Array(1024), scores: new Float64Array(1024), n: 0 };
}

function ensureRoom(c: Candidates, extra: number): void {
  const need = c.n + extra;
  if (need <= c.ids.length) return;
  let cap = c.ids.length;
  while (cap < need) cap *= 2;
  const ids = new Int32Array(cap);
  ids.set(c.ids.subarray(0, c.n));
  const scores = new Float64Array(cap);
  scores.set(c.scores.subarray(0, c.n));
  c.ids = ids;
  c.scores = scores;
}

/**
 * Appends to `out` the docs of `driver` that every list of `others` also holds, each scored
 * `driverIdf·sat[w] + Σ idf[j]·sat[w_j]` (weights w from the entries; `driverIdf` 0 when the driver is not
 * a token). Dense others are tested through their bitsets first; the weights of the survivors are
 * found by galloping cursors. `idSpace`: the number of doc ids in use.
 */
export function intersect(
  driver: Postings,
  driverIdf: number,
  others: readonly Postings[],
  idf: Float64Array,
  sat: Float64Array,
  out: Candidates,
  idSpace: number,
): void {
  const a = driver.a;
  const n = driver.n;
  ensureRoom(out, n);
  const ids = out.ids;
  const scores = out.scores;
  let m = out.n;
  const k = others.length;
  if (k === 0) {
    for (let i = 0; i < n; i++) {
      const v = a[i]!;
      ids[m] = v >>> 4;
      scores[m++] = driverIdf * sat[v & WEIGHT_MASK]!;
    }
    out.n = m;
    return;
  }
  if (k === 1) {
    const b = others[0]!.a;
    const bn = others[0]!.n;
    const bits = denseBits(others[0]!, idSpace);
    const idf0 = idf[0]!;
    let cur = 0;
    for (let i = 0; i < n; i++) {
      const v = a[i]!;
      if (bits !== null) {
        const id = v >>> 4;
        if (((bits[id >>> 5]! >>> (id & 31)) & 1) === 0) continue;
      }
      const key = v - (v & WEIGHT_MASK);
      cur = seek(b, bn, cur, key);
      if (cur >= bn) break;
      const w = b[cur]!;
      if (w - (w & WEIGHT_MASK) !== key) continue;
      ids[m] = v >>> 4;
      scores[m++] = driverIdf * sat[v & WEIGHT_MASK]! + idf0 * sat[w & WEIGHT_MASK]!;
    }
    out.n = m;
    return;
  }
  const bitsets: Uint32Array[] = [];
  for (const l of others) {
    const bits = denseBits(l, idSpace);
    if (bits) bitsets.push(bits);
  }
  const nb = bitsets.length;
  const cursors = new Int32Array(k);
  outer: for (let i = 0; i < n; i++) {
    const v = a[i]!;
    const id = v >>> 4;
    for (let j = 0; j < nb; j++) if (((bitsets[j]![id >>> 5]! >>> (id & 31)) & 1) === 0) continue outer;
    const key = v - (v & WEIGHT_MASK);
    let score = driverIdf * sat[v & WEIGHT_MASK]!;
    for (let j = 0; j < k; j++) {
      const l = others[j]!;
      const at = seek(l.a, l.n, cursors[j]!, key);
      cursors[j] = at;
      if (at >= l.n) break outer;
      const w = l.a[at]!;
      if (w - (w & WEIGHT_MASK) !== key) continue outer;
      score += idf[j]! * sat[w & WEIGHT_MASK]!;
    }
    ids[m] = id;
    scores[m++] = score;
  }
  out.n = m;
}
