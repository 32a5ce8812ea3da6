/**
 * The SQL of an order filter, shared by the merchant's list (order-store.ts) and the export (export/lines.ts):
 * one place says what `store`, `phone`, `q`, … mean. Pure: a filter in, WHERE clauses and their parameters out.
 */
import type { AccountId, UserId } from '../core/messages.ts';
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
 * The clauses (joined by AND) over the orders table, its columns prefixed with `alias` (`o.`, or '').
 * @example const { clauses, params } = orderWhere({ account, search: '5678' }, 'o.'); // `… WHERE ${clauses.join(' AND ')}`
 */
export function orderWhere(f: OrderWhere, alias = ''): { clauses: string[]; params: Record<string, unknown> } {
  const clauses = [`${alias}account = @account`];
  const params: Record<string, unknown> = { account: f.account };
  const add = (clause: string, values: Record<string, unknown>) => {
    clauses.push(clause);
    Object.assign(params, values);
  };
  if (f.status !== undefined) add(`${alias}status = @status`, { status: f.status });
  if (f.storeId !== undefined) add(`${alias}store_id = @storeId`, { storeId: f.storeId });
  if (f.referrer !== undefined) add(`${alias}referrer = @referrer`, { referrer: f.referrer });
  if (f.source !== undefined) add(`${alias}source = @source`, { source: f.source });
  if (f.user !== undefined) add(`${alias}user_id = @user`, { user: f.user });
  if (f.phone !== undefined) add(`${alias}phone LIKE @phone ESCAPE '\\'`, { phone: `%${likeEscaped(f.phone)}` });
  const search = f.search?.trim();
  if (search) {
    if (/^\d+$/.test(search)) {
      const id = search.length <= 15 ? Number(search) : -1;
      if (search.length >= 3) add(`(${alias}id = @searchId OR ${alias}phone LIKE @searchPhone ESCAPE '\\')`, { searchId: id, searchPhone: `%${search}` });
      else add(`${alias}id = @searchId`, { searchId: id });
    } else add(`${alias}receiver LIKE @searchName ESCAPE '\\'`, { searchName: `%${likeEscaped(search)}%` });
  }
  if (f.from !== undefined) add(`${alias}created_at >= @from`, { from: f.from });
  if (f.to !== undefined) add(`${alias}created_at < @to`, { to: f.to });
  return { clauses, params };
}
