/**
 * The SQL of an order filter, shared by the merchant's list (order-store.ts) and the export (export/lines.ts):
 * one place says what `store`, `phone`, `q`, … mean. Pure: a filter in, WHERE clauses and their parameters out.
 */
import type { AccountId, UserId } from '../core/messages.ts';
import type { Param } from '../db/sql/sql.ts';
import type { OrderSource, OrderStatus } from './model.ts';

export interface OrderWhere {
  readonly account: AccountId;
  readonly status?: OrderStatus | undefined;
  readonly storeId?: string | undefined;
  readonly referrer?: string | undefined;
  readonly source?: OrderSource | undefined;
  readonly user?: UserId | undefined;
  /** The whole number or its last digits. */
  readonly phone?: string | undefined;
  /**
   * What the merchant typed in the search box: digits are an order number, or (3 digits or more) the last
   * digits of the phone; anything else is part of the receiver's name.
   */
  readonly search?: string | undefined;
  /** ms since the epoch, inclusive / exclusive. */
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

const likeEscaped = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The clauses (joined by AND) over the orders table, its columns prefixed with `alias` (`o.`, or ''), with `?`
 * placeholders and their parameters in order. A bounded set of shapes (each filter present or not), so the
 * statements stay few in the prepared-statement caches.
 * @example const { clauses, params } = orderWhere({ account, search: '5678' }, 'o.'); // `… WHERE ${clauses.join(' AND ')}`
 */
export function orderWhere(f: OrderWhere, alias = ''): { clauses: string[]; params: Param[] } {
  const clauses = [`${alias}account = ?`];
  const params: Param[] = [f.account];
  const add = (clause: string, ...values: Param[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (f.status !== undefined) add(`${alias}status = ?`, f.status);
  if (f.storeId !== undefined) add(`${alias}store_id = ?`, f.storeId);
  if (f.referrer !== undefined) add(`${alias}referrer = ?`, f.referrer);
  if (f.source !== undefined) add(`${alias}source = ?`, f.source);
  if (f.user !== undefined) add(`${alias}user_id = ?`, f.user);
  if (f.phone !== undefined) add(`${alias}phone LIKE ? ESCAPE '\\'`, `%${likeEscaped(f.phone)}`);
  const search = f.search?.trim();
  if (search) {
    if (/^\d+$/.test(search)) {
      const id = search.length <= 15 ? Number(search) : -1;
      if (search.length >= 3) add(`(${alias}id = ? OR ${alias}phone LIKE ? ESCAPE '\\')`, id, `%${search}`);
      else add(`${alias}id = ?`, id);
      // lower() on both sides: LIKE ignores ASCII case on SQLite, not on PostgreSQL (「amy」 finds 「Amy」 on both).
    } else add(`lower(${alias}receiver) LIKE lower(?) ESCAPE '\\'`, `%${likeEscaped(search)}%`);
  }
  if (f.from !== undefined) add(`${alias}created_at >= ?`, f.from);
  if (f.to !== undefined) add(`${alias}created_at < ?`, f.to);
  return { clauses, params };
}
