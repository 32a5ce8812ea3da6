/**
 * The order keyword rules are tried in, as the merchant arranges it (dragging in the console): a list of
 * every keyword rule's id, first tried first. Pure: the store checks and applies it in one transaction.
 */
import { wordsIn, type Lang } from '../../core/lang.ts';
import { RULE_WORDS } from './words.ts';

const list = (ids: readonly number[]) => ids.map((id) => `#${id}`).join(', ');

/**
 * What is wrong with `ids` as an order of the account's keyword rules (`current`), or null when it names
 * each of them exactly once.
 * @example orderProblem([3, 1], [1, 2, 3], 'en') // 'ids: every keyword rule exactly once; missing #2'
 */
export function orderProblem(ids: readonly number[], current: readonly number[], lang: Lang): string | null {
  const t = wordsIn(RULE_WORDS, lang);
  const known = new Set(current);
  const unknown = [...new Set(ids.filter((id) => !known.has(id)))];
  if (unknown.length > 0) return t.orderUnknown(list(unknown));
  const seen = new Set<number>();
  const twice = [...new Set(ids.filter((id) => seen.has(id) || !seen.add(id)))];
  if (twice.length > 0) return t.orderTwice(list(twice));
  const missing = current.filter((id) => !seen.has(id));
  if (missing.length > 0) return t.orderMissing(list(missing));
  return null;
}

/**
 * The priorities that make the rules tried in the order of `ids`: distinct and falling, so neither the match
 * mode nor the id (match.ts's tie-breakers) can reorder them. At most 200 rules, well inside ±1000.
 * @example priorities([12, 7, 9]) // Map { 12 → 3, 7 → 2, 9 → 1 }
 */
export function orderPriorities(ids: readonly number[]): Map<number, number> {
  return new Map(ids.map((id, i) => [id, ids.length - i]));
}
