/**
 * Growable sorted integer lists for the inverted index: each entry packs `docId << 4 | weight`
 * (doc ids below 2^28, weights 0–15), appended in doc id order so lists stay sorted for free.
 */

export interface Postings {
  a: Uint32Array;
  n: number;
}

export const WEIGHT_BITS = 4;
export const WEIGHT_MASK = 15;
/** Entries are `id * ID_SCALE + weight` (multiplication keeps values unsigned past 2^31). */
export const ID_SCALE = 16;
export const MAX_DOC_ID = 2 ** 28 - 1;

export function newPostings(capacity = 4): Postings {
  return { a: new Uint32Array(capacity), n: 0 };
}

/** Appends an entry; doubles small lists, grows large ones by a quarter (less slack at a million docs). */
export function push(l: Postings, v: number): void {
  if (l.n === l.a.length) {
    const grown = new Uint32Array(l.n < 65_536 ? Math.max(4, l.n * 2) : l.n + (l.n >>> 2));
    grown.set(l.a);
    l.a = grown;
  }
  l.a[l.n++] = v;
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
    const to = remap[Math.floor(v / ID_SCALE)]!;
    if (to >= 0) l.a[w++] = to * ID_SCALE + (v & WEIGHT_MASK);
  }
  l.n = w;
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
 * a token). A merge with galloping cursors: cost ~ driver length × (1 + log of the gap).
 */
export function intersect(
  driver: Postings,
  driverIdf: number,
  others: readonly Postings[],
  idf: Float64Array,
  sat: Float64Array,
  out: Candidates,
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
  } else if (k === 1) {
    const b = others[0]!.a;
    const bn = others[0]!.n;
    const idf0 = idf[0]!;
    let cur = 0;
    for (let i = 0; i < n; i++) {
      const v = a[i]!;
      const key = v - (v & WEIGHT_MASK);
      cur = seek(b, bn, cur, key);
      if (cur >= bn) break;
      const w = b[cur]!;
      if (w - (w & WEIGHT_MASK) !== key) continue;
      ids[m] = v >>> 4;
      scores[m++] = driverIdf * sat[v & WEIGHT_MASK]! + idf0 * sat[w & WEIGHT_MASK]!;
    }
  } else {
    const cursors = new Int32Array(k);
    outer: for (let i = 0; i < n; i++) {
      const v = a[i]!;
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
      ids[m] = v >>> 4;
      scores[m++] = score;
    }
  }
  out.n = m;
}
