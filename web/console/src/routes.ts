/** The console's screens: one entry per side-menu item, addressed by path under /admin, with who may open it. */
import type { Area, Role } from './permissions.ts';

export interface Screen {
  readonly path: string;
  readonly title: string;
  /** The roles that see it in the menu and may open it; anyone else opening its address is told 无权访问. */
  readonly roles: readonly Role[];
  /** The API area it mostly reads (a test checks each role listed may read it), or null when it has none yet. */
  readonly area: Area | null;
}

export const BASE = '/admin';

const EVERYONE_BUT_STORE_STAFF: readonly Role[] = ['owner', 'operator', 'viewer'];
const EVERYONE: readonly Role[] = ['owner', 'operator', 'store_staff', 'viewer'];

export const SCREENS: readonly Screen[] = [
  // Store staff's own store, their home screen (owners and operators manage every store under 门店与二维码).
  { path: '/store', title: '我的门店', roles: ['store_staff'], area: 'stores' },
  { path: '/overview', title: '概览', roles: EVERYONE_BUT_STORE_STAFF, area: 'reports' },
  { path: '/rules', title: '自动回复', roles: EVERYONE_BUT_STORE_STAFF, area: 'rules' },
  { path: '/catalogue', title: '商品/酒店/团购', roles: EVERYONE_BUT_STORE_STAFF, area: 'catalogue' },
  // Store staff see their own store's orders and followers only: the API narrows both lists to their store.
  { path: '/orders', title: '订单', roles: EVERYONE, area: 'orders' },
  { path: '/followers', title: '粉丝', roles: EVERYONE, area: 'stores' },
  { path: '/broadcasts', title: '群发', roles: EVERYONE_BUT_STORE_STAFF, area: 'broadcasts' },
  { path: '/stores', title: '门店与二维码', roles: EVERYONE_BUT_STORE_STAFF, area: 'stores' },
  { path: '/menu', title: '自定义菜单', roles: EVERYONE_BUT_STORE_STAFF, area: 'menu' },
  { path: '/reports', title: '数据', roles: EVERYONE_BUT_STORE_STAFF, area: 'reports' },
  { path: '/settings', title: '设置', roles: EVERYONE_BUT_STORE_STAFF, area: 'settings' },
  { path: '/chat', title: '对话', roles: EVERYONE_BUT_STORE_STAFF, area: null },
];

/** The screen a location names: /admin/rules/12 → 自动回复; undefined for an address no screen has. */
export function findScreen(pathname: string): Screen | undefined {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  return SCREENS.find((s) => rest === s.path || rest.startsWith(`${s.path}/`));
}

/** The screens this role may open, in menu order. */
export const screensFor = (role: string): Screen[] => SCREENS.filter((s) => (s.roles as readonly string[]).includes(role));

/** May this role open this screen? */
export const mayOpen = (role: string, screen: Screen): boolean => (screen.roles as readonly string[]).includes(role);
