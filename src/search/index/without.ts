/**
 * The docs a query's exclusions rule out (不要红色的, 除了耐克, 不要男款): those whose text holds an excluded
 * term, whose brand is excluded (or, without a brand, whose text names it), whose category lies under an
 * excluded one, or that are made only for an excluded audience. Built once per query, only for queries
 * that exclude something, and checked like the SKUs already shown.
 */
import type { Without } from '../types.ts';
import { AUDIENCE_BIT, AUDIENCE_BITS } from './audience.ts';
import type { Postings } from './postings.ts';
import { brandKey, type Shard } from './shard.ts';
import { queryTokens, type Dictionary } from './tokenize.ts';

const addAll = (out: Set<number>, l: Postings) => {
  for (let i = 0; i < l.n; i++) out.add(l.a[i]! >>> 4);
};

/** Adds the docs whose text holds every token of `term` (as a search term matches). */
function addTermDocs(out: Set<number>, s: Shard, term: string, dict: Dictionary | undefined): void {
  const lists: Postings[] = [];
  for (const t of queryTokens(term, dict)) {
    const l = s.postings.get(t);
    if (!l) return; // a token no product has: the term rules nothing out
    lists.push(l);
  }
  if (lists.length === 0) return;
  lists.sort((a, b) => a.n - b.n);
  const [first, ...rest] = lists;
  if (rest.length === 0) return addAll(out, first!);
  const others = rest.map((l) => {
    const ids = new Set<number>();
    addAll(ids, l);
    return ids;
  });
  for (let i = 0; i < first!.n; i++) {
    const id = first!.a[i]! >>> 4;
    if (others.every((o) => o.has(id))) out.add(id);
  }
}

/** The doc ids `w` rules out in shard `s`, or null when it rules out none. */
export function withoutDocs(s: Shard, w: Without, dict: Dictionary | undefined): Set<number> | null {
  const out = new Set<number>();
  for (const term of w.terms) addTermDocs(out, s, term, dict);
  for (const brand of w.brands) {
    const id = s.brandIds.get(brandKey(brand));
    if (id !== undefined) addAll(out, s.brandLists[id]!);
    addTermDocs(out, s, brand, dict);
  }
  const mask = s.categoryMask(w.categories);
  if (mask) for (let c = 0; c < mask.length; c++) if (mask[c]) addAll(out, s.catLists[c]!);
  if (w.audience !== null) {
    // Only what is made for that audience alone: a unisex product (男女同款) still suits the others.
    const only = AUDIENCE_BIT[w.audience];
    for (let id = 0; id < s.nextId; id++) if ((s.flags[id]! & AUDIENCE_BITS) === only) out.add(id);
  }
  return out.size > 0 ? out : null;
}
