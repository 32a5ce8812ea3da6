/**
 * A list read a page at a time from a cursor-paged API (`{ items, next_cursor }`), with 加载更多: the first page
 * again whenever `load` changes (its filters), later pages appended. A page that arrives after the filters
 * changed is dropped, so a slow answer never shows another filter's rows.
 */
import { useEffect, useRef, useState } from 'react';

export interface CursorPage<T> {
  readonly items: readonly T[];
  readonly next_cursor: string | null;
}

type ItemOf<P> = P extends CursorPage<infer T> ? T : never;

export interface LoadMore<P extends CursorPage<unknown>> {
  /** The rows so far; null while the first page loads. */
  readonly rows: readonly ItemOf<P>[] | null;
  /** The first page as the API sent it (for totals it carries beside the items). */
  readonly first: P | null;
  readonly error: string | null;
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  readonly more: () => void;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * @example const list = useLoadMore(useCallback((after) => api<Page>('GET', `/subscribers?${q(after)}`), [q]));
 */
export function useLoadMore<P extends CursorPage<unknown>>(load: (after: string | null) => Promise<P>, describe: (e: unknown) => string = messageOf): LoadMore<P> {
  const [rows, setRows] = useState<readonly ItemOf<P>[] | null>(null);
  const [first, setFirst] = useState<P | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // Which `load` the pages on screen belong to: an answer for an older one is dropped.
  const current = useRef(load);
  current.current = load;

  useEffect(() => {
    setRows(null);
    setFirst(null);
    setCursor(null);
    setError(null);
    load(null).then(
      (p) => {
        if (current.current !== load) return;
        setRows(p.items as readonly ItemOf<P>[]);
        setFirst(p);
        setCursor(p.next_cursor);
      },
      (e: unknown) => current.current === load && setError(describe(e)),
    );
  }, [load]); // not on `describe`: it only words an error

  const more = () => {
    if (cursor === null || loadingMore) return;
    setLoadingMore(true);
    load(cursor).then(
      (p) => {
        if (current.current !== load) return;
        setRows((r) => [...(r ?? []), ...(p.items as readonly ItemOf<P>[])]);
        setCursor(p.next_cursor);
      },
      (e: unknown) => current.current === load && setError(describe(e)),
    ).finally(() => setLoadingMore(false));
  };

  return { rows, first, error, hasMore: cursor !== null, loadingMore, more };
}
