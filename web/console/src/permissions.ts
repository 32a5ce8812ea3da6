/**
 * What each role may do, area by area: the console's copy of the API's table (src/admin/permissions.ts), used
 * only to decide what to show (menu items, write buttons). The API enforces it; a test checks the two agree.
 */
import type { SessionUser } from './api.ts';

export type Role = 'owner' | 'operator' | 'store_staff' | 'viewer';
/** The API's areas (its OpenAPI tags). */
export type Area = 'catalogue' | 'rules' | 'stores' | 'broadcasts' | 'reports' | 'settings' | 'session' | 'staff' | 'audit' | 'accounts' | 'orders' | 'menu';
/** all: read and change; read: read only; store: their own store's things only; signed-in: their own session; none. */
type Access = 'all' | 'read' | 'store' | 'signed-in' | 'none';

export const ACCESS: Readonly<Record<Area, Readonly<Record<Role, Access>>>> = {
  catalogue: { owner: 'all', operator: 'all', store_staff: 'none', viewer: 'read' },
  rules: { owner: 'all', operator: 'all', store_staff: 'none', viewer: 'read' },
  stores: { owner: 'all', operator: 'all', store_staff: 'store', viewer: 'read' },
  broadcasts: { owner: 'all', operator: 'all', store_staff: 'none', viewer: 'read' },
  reports: { owner: 'all', operator: 'all', store_staff: 'store', viewer: 'read' },
  settings: { owner: 'all', operator: 'all', store_staff: 'none', viewer: 'read' },
  session: { owner: 'signed-in', operator: 'signed-in', store_staff: 'signed-in', viewer: 'signed-in' },
  staff: { owner: 'all', operator: 'none', store_staff: 'none', viewer: 'none' },
  audit: { owner: 'all', operator: 'none', store_staff: 'none', viewer: 'none' },
  accounts: { owner: 'all', operator: 'read', store_staff: 'read', viewer: 'read' },
  orders: { owner: 'all', operator: 'all', store_staff: 'store', viewer: 'read' },
  menu: { owner: 'all', operator: 'all', store_staff: 'none', viewer: 'read' },
};

const accessOf = (user: Pick<SessionUser, 'role'>, area: Area): Access => ACCESS[area][user.role as Role] ?? 'none';

/**
 * May the user change things in this area (show its add/edit/delete buttons)? A viewer never; store staff
 * only in their own store (the API decides which store).
 * @example {canWrite(user, 'rules') && <Button>新建规则</Button>}
 */
export function canWrite(user: Pick<SessionUser, 'role'>, area: Area): boolean {
  const a = accessOf(user, area);
  return a === 'all' || a === 'store';
}

/** The role's name on screen. */
export const ROLE_NAMES: Readonly<Record<Role, string>> = { owner: '所有者', operator: '运营', store_staff: '门店员工', viewer: '只读' };
