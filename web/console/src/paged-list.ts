/**
 * A list shown a page at a time with 上一页 / 下一页 over a cursor-paged API: the cursors of the pages seen so
 * far are kept, so 上一页 goes back without the API paging backwards. New filters (`filtersKey`) start again at
 * the first page in the same render — no request goes out for the old page under the new filters — and an
 * answer for an address no longer shown is dropped.
 */
import { useEffect, useState } from 'react';
import { api } from './api.ts';

interface Position {
  readonly filtersKey: string;
  /** cursors[n] opens page n + 1; cursors[0] is null, the first page. */
  readonly cursors: readonly (string | null)[];
  readonly pageNo: number;
}

export interface PagedList<P> {
  readonly page: P | null;
  readonly error: string | null;
  readonly loading: boolean;
  /** 0 for the first page. */
  readonly pageNo: number;
  readonly hasPrevious: boolean;
  readonly hasNext: boolean;
  readonly previous: () => void;
  readonly next: () => void;
}

/**
 * @param pathOf the API address of the page at `cursor` under the current filters
 * @param filtersKey changes exactly when the filters do
 * @param reload `any`: a change reads the page shown again (an edit); `firstPage`: a change reads the first page
 *   again if it is the one shown (a new order arrived: a later page stays as it is)
 * @example const list = usePagedList<OrderPage>((c) => `/orders?${q(c)}`, q(null), { firstPage: news.arrivals });
 */
export function usePagedList<P extends { readonly next_cursor: string | null }>(
  pathOf: (cursor: string | null) => string,
  filtersKey: string,
  reload: { readonly any?: unknown; readonly firstPage?: unknown } = {},
): PagedList<P> {
  const [position, setPosition] = useState<Position>({ filtersKey, cursors: [null], pageNo: 0 });
  const at = position.filtersKey === filtersKey ? position : { filtersKey, cursors: [null], pageNo: 0 };
  const path = pathOf(at.cursors[at.pageNo] ?? null);
  const [page, setPage] = useState<P | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let gone = false;
    setLoading(true);
    api<P>('GET', path).then(
      (p) => {
        if (gone) return;
        setPage(p);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (gone) return;
        setError(e instanceof Error ? e.message : String(e));
        setLoading(false);
      },
    );
    return () => {
      gone = true;
    };
  }, [path, reload.any, at.pageNo === 0 ? reload.firstPage : undefined]);

  const nextCursor = page?.next_cursor ?? null;
  return {
    page,
    error,
    loading,
    pageNo: at.pageNo,
    hasPrevious: at.pageNo > 0,
    hasNext: nextCursor !== null,
    previous: () => setPosition({ ...at, pageNo: Math.max(0, at.pageNo - 1) }),
    next: () => {
      if (nextCursor === null) return;
      setPosition({ ...at, cursors: [...at.cursors.slice(0, at.pageNo + 1), nextCursor], pageNo: at.pageNo + 1 });
    },
  };
}
