/** The console's screens: one entry per side-menu item, addressed by path under /admin. */

export interface Screen {
  readonly path: string;
  readonly title: string;
}

export const BASE = '/admin';

export const SCREENS: readonly Screen[] = [
  { path: '/overview', title: '概览' },
  { path: '/rules', title: '自动回复' },
  { path: '/catalogue', title: '商品/酒店/团购' },
  { path: '/reports', title: '数据' },
  { path: '/settings', title: '设置' },
  { path: '/chat', title: '对话' },
];

/** The screen a location shows: /admin/rules/12 → 自动回复; anything unknown → 概览. */
export function screenAt(pathname: string): Screen {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  return SCREENS.find((s) => rest === s.path || rest.startsWith(`${s.path}/`)) ?? SCREENS[0]!;
}
