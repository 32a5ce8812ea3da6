/**
 * Deciding a product's category from its title, for rows that name none (a 淘宝助理 export has only Taobao's
 * numeric category ids). The candidates are known category paths; the longest leaf name found in the title
 * wins (`半身裙` before `裙`). When one leaf sits under several roots (女装/T恤, 男装/T恤), the path whose
 * other parts appear in the title wins — in full (`男装`) or as the audience word of a `…装` root (`男`).
 * Anything still undecided is reported, never guessed.
 */
import { CATEGORY_SEPARATOR } from '../catalogue-store.ts';

export type CategoryGuess = { readonly ok: true; readonly path: readonly string[] } | { readonly ok: false; readonly reason: string };

interface Leaf {
  readonly name: string;
  readonly paths: (readonly string[])[];
}

/** `女装` → [`女装`, `女`]: the words in a title that point at a path segment. */
function hints(segment: string): string[] {
  const s = segment.toLowerCase();
  return s.length >= 2 && s.endsWith('装') ? [s, s.slice(0, -1)] : [s];
}

/**
 * @example
 * const guess = createCategoryGuesser([['女装', '连衣裙'], ['女装', '半身裙']]);
 * guess('优衣库 纯棉碎花连衣裙 夏季新款') // { ok: true, path: ['女装', '连衣裙'] }
 */
export function createCategoryGuesser(paths: Iterable<readonly string[]>): (title: string) => CategoryGuess {
  const byLeaf = new Map<string, Leaf>();
  const seen = new Set<string>();
  for (const path of paths) {
    const key = path.join(CATEGORY_SEPARATOR);
    const leaf = path[path.length - 1]?.toLowerCase();
    if (!leaf || seen.has(key)) continue;
    seen.add(key);
    const entry = byLeaf.get(leaf) ?? { name: leaf, paths: [] };
    entry.paths.push(path);
    byLeaf.set(leaf, entry);
  }
  // Longest names first: the first length that matches decides.
  const leaves = [...byLeaf.values()].sort((a, b) => b.name.length - a.name.length);
  const known = leaves.length;

  return (title) => {
    if (known === 0) {
      return { ok: false, reason: 'category is missing and there are no known categories to infer it from; pass --category (e.g. --category 女装/连衣裙)' };
    }
    const t = title.toLowerCase();
    const matched: Leaf[] = [];
    for (const leaf of leaves) {
      if (matched.length > 0 && leaf.name.length < matched[0]!.name.length) break;
      if (t.includes(leaf.name)) matched.push(leaf);
    }
    if (matched.length === 0) {
      return { ok: false, reason: `category could not be inferred: the title names none of the ${known} known categories; pass --category or add a category column` };
    }
    const candidates = matched.flatMap((l) => l.paths);
    if (candidates.length === 1) return { ok: true, path: candidates[0]! };
    const score = (path: readonly string[]) =>
      path.slice(0, -1).reduce((sum, segment) => {
        const [full, short] = hints(segment);
        return sum + (t.includes(full!) ? 2 : short !== undefined && t.includes(short) ? 1 : 0);
      }, 0);
    const scored = candidates.map((path) => ({ path, score: score(path) })).sort((a, b) => b.score - a.score);
    if (scored[0]!.score > scored[1]!.score) return { ok: true, path: scored[0]!.path };
    const tied = scored.filter((s) => s.score === scored[0]!.score).map((s) => s.path.join(CATEGORY_SEPARATOR));
    return { ok: false, reason: `category is ambiguous: the title fits ${tied.slice(0, 3).join(' and ')}; pass --category or add a category column` };
  };
}
