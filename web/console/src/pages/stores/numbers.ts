/** Per-store numbers over a period: follows, scans, followers and active followers (/stats/stores) with orders and revenue (/reports/revenue). */
import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { periodQuery, type Period } from '../reports/period.ts';
import { NO_NUMBERS, type StoreNumbers } from './model.ts';

interface StoreCounts {
  items: { store: string; follows: number; scans: number; followers: number; active_followers: number }[];
}
interface Revenue {
  rows: { key: string | null; orders: number; revenue_fen: number }[];
}

/** Each store's numbers for the period by store id (a store with nothing yet has zeros), or the error. */
export function useStoreNumbers(period: Period): { numbers: Map<string, StoreNumbers> | null; error: string | null } {
  const [state, setState] = useState<{ numbers: Map<string, StoreNumbers> | null; error: string | null }>({ numbers: null, error: null });
  const q = periodQuery(period);
  useEffect(() => {
    let gone = false;
    setState({ numbers: null, error: null });
    Promise.all([api<StoreCounts>('GET', `/stats/stores?${q}`), api<Revenue>('GET', `/reports/revenue?by=store&${q}`)]).then(
      ([counts, revenue]) => {
        if (gone) return;
        const numbers = new Map<string, StoreNumbers>();
        for (const c of counts.items) numbers.set(c.store, { ...NO_NUMBERS, follows: c.follows, scans: c.scans, followers: c.followers, active_followers: c.active_followers });
        for (const r of revenue.rows) {
          if (r.key === null) continue; // orders of no store
          numbers.set(r.key, { ...(numbers.get(r.key) ?? NO_NUMBERS), orders: r.orders, revenue_fen: r.revenue_fen });
        }
        setState({ numbers, error: null });
      },
      (e: Error) => !gone && setState({ numbers: null, error: e.message }),
    );
    return () => {
      gone = true;
    };
  }, [q]);
  return state;
}
