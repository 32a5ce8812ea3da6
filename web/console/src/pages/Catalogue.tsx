/**
 * 商品/酒店/团购: one tab per kind (its own list, filters, import and edit, under catalogue/); the tab is part of
 * the address (/admin/catalogue/hotels). Owners and operators change the catalogue; viewers only look.
 */
import { Tabs } from 'antd';
import type { PageProps } from '../page.ts';
import { ItemList } from './catalogue/ItemList.tsx';
import { KINDS } from './catalogue/kinds.ts';

export default function Catalogue(props: PageProps) {
  const [, first = ''] = props.subpath.split('/');
  const active = KINDS.find((k) => k.key === first) ?? KINDS[0]!;
  const canEdit = props.user.role === 'owner' || props.user.role === 'operator';
  return (
    <Tabs
      activeKey={active.key}
      onChange={(key) => props.navigate(`/catalogue/${key}`)}
      items={KINDS.map((k) => ({ key: k.key, label: k.tab, children: k.key === active.key ? <ItemList key={k.key} kind={k} canEdit={canEdit} /> : null }))}
    />
  );
}
