/** The staff roles in the console's words, with what each may do (the API's permissions.ts decides it). */

export const ROLES = ['owner', 'operator', 'store_staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Readonly<Record<Role, string>> = { owner: '所有者', operator: '运营', store_staff: '门店员工', viewer: '只读' };

export const ROLE_HINTS: Readonly<Record<Role, string>> = {
  owner: '全部功能，含员工、公众号和操作记录',
  operator: '规则、商品、门店、群发、报表和设置',
  store_staff: '只看自己门店及其二维码',
  viewer: '只能查看，不能修改',
};

export const roleName = (role: string): string => (ROLE_NAMES as Readonly<Record<string, string>>)[role] ?? role;
