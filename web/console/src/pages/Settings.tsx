/**
 * 设置: one tab per area, each its own module under settings/; the tab is part of the address
 * (/admin/settings/staff), so a link or a reload lands on it. Tabs only the owner may use are shown to the owner only.
 */
import { lazy, Suspense } from 'react';
import { Spin, Tabs } from 'antd';
import type { PageProps } from '../page.ts';

interface Tab {
  readonly key: string;
  readonly label: string;
  readonly ownerOnly: boolean;
  readonly Page: React.ComponentType<PageProps>;
}

const TABS: readonly Tab[] = [
  { key: 'bot', label: '机器人', ownerOnly: false, Page: lazy(() => import('./settings/Bot.tsx')) },
  { key: 'orders', label: '订单', ownerOnly: false, Page: lazy(() => import('./settings/Orders.tsx')) },
  { key: 'service', label: '客服问答', ownerOnly: false, Page: lazy(() => import('./settings/Service.tsx')) },
  { key: 'push', label: '群发与免打扰', ownerOnly: false, Page: lazy(() => import('./settings/Push.tsx')) },
  { key: 'staff', label: '员工', ownerOnly: true, Page: lazy(() => import('./settings/Staff.tsx')) },
  { key: 'accounts', label: '公众号', ownerOnly: true, Page: lazy(() => import('./settings/Accounts.tsx')) },
  { key: 'audit', label: '操作记录', ownerOnly: true, Page: lazy(() => import('./settings/Audit.tsx')) },
];

export default function Settings(props: PageProps) {
  const tabs = TABS.filter((t) => !t.ownerOnly || props.user.role === 'owner');
  const [, first = '', ...rest] = props.subpath.split('/');
  const active = tabs.find((t) => t.key === first) ?? tabs[0]!;
  const inner = { ...props, subpath: active.key === first ? rest.map((s) => `/${s}`).join('') : '' };
  return (
    <Tabs
      activeKey={active.key}
      onChange={(key) => props.navigate(`/settings/${key}`)}
      items={tabs.map((t) => ({
        key: t.key,
        label: t.label,
        children: t.key === active.key ? (
          <Suspense fallback={<Spin />}>
            <t.Page {...inner} />
          </Suspense>
        ) : null,
      }))}
    />
  );
}
