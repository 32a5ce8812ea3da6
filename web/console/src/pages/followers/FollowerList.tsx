/**
 * 粉丝's list: filters (store, tag, following, opted out of broadcasts, active within N days, ordered) kept in the
 * address, the count of who matches, and a page at a time of followers; a row opens the follower's page.
 * Store staff get their store's followers only (the API narrows the list) and no store filter.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Empty, Grid, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { api } from '../../api.ts';
import { useLoadMore } from '../../load-more.ts';
import type { PageProps } from '../../page.ts';
import { beijingTime } from '../../time.ts';
import { filtersOf, isStoreTag, queryOf, rememberList, type Filters, type Follower, type FollowerPage } from './model.ts';

const YES_NO_ANY = (yes: string, no: string) => [{ value: '', label: '不限' }, { value: 'true', label: yes }, { value: 'false', label: no }];
const ACTIVE = [{ value: '', label: '不限' }, { value: '1', label: '1 天内' }, { value: '7', label: '7 天内' }, { value: '30', label: '30 天内' }, { value: '90', label: '90 天内' }];

export function FollowerList({ user, search, navigate }: PageProps) {
  const filters = filtersOf(search);
  const query = queryOf(filters);
  const [stores, setStores] = useState<Record<string, string>>({});
  const [tagInput, setTagInput] = useState(filters.tag);
  const storeStaff = user.role === 'store_staff';
  const phone = !Grid.useBreakpoint().md;

  useEffect(() => {
    if (storeStaff) return;
    api<{ items: { id: string; name: string }[] }>('GET', '/stores?limit=200').then(
      (r) => setStores(Object.fromEntries(r.items.map((s) => [s.id, s.name]))),
      () => setStores({}),
    );
  }, [storeStaff]);

  const load = useCallback((after: string | null) => {
    const q = new URLSearchParams(query);
    q.set('limit', '20');
    if (after) q.set('cursor', after);
    return api<FollowerPage>('GET', `/subscribers?${q}`);
  }, [query]);

  const { rows, first, error, hasMore, loadingMore, more } = useLoadMore(load);
  const total = first?.total ?? null;
  useEffect(() => setTagInput(filters.tag), [filters.tag]);
  useEffect(() => rememberList(query), [query]);

  const set = (change: Partial<Filters>) => {
    const q = queryOf({ ...filters, ...change });
    navigate(`/followers${q ? `?${q}` : ''}`);
  };
  const open = (openid: string) => navigate(`/followers/${encodeURIComponent(openid)}`);
  const storeName = (id: string | null) => (id === null ? '—' : (stores[id] ?? id));

  const columns: ColumnsType<Follower> = [
    {
      title: '粉丝', dataIndex: 'openid', key: 'openid', ellipsis: true, width: 200,
      render: (v: string) => <Typography.Link href={`/admin/followers/${encodeURIComponent(v)}`} onClick={(e) => { e.preventDefault(); open(v); }}>{v}</Typography.Link>,
    },
    { title: '门店', dataIndex: 'store', key: 'store', width: 110, render: (v: string | null) => storeName(v) },
    {
      title: '标签', dataIndex: 'tags', key: 'tags', render: (tags: string[]) => <Tags tags={tags} />,
    },
    { title: '状态', key: 'state', width: 130, render: (_: unknown, f: Follower) => <State f={f} /> },
    { title: '最近消息', dataIndex: 'last_message_at', key: 'last_message_at', width: 150, render: (v: string | null) => (v ? beijingTime(v) : '—') },
    { title: '订单', dataIndex: 'orders', key: 'orders', width: 70, align: 'right' },
  ];

  return (
    <Card title="粉丝" extra={total !== null && <Typography.Text type="secondary" data-testid="followers-total">共 {total} 位</Typography.Text>}>
      <Space wrap style={{ marginBottom: 16 }} data-testid="follower-filters">
        {!storeStaff && (
          <Select aria-label="门店" value={filters.store} onChange={(v: string) => set({ store: v })} style={{ width: 140 }}
            options={[{ value: '', label: '全部门店' }, ...Object.entries(stores).map(([id, name]) => ({ value: id, label: name }))]} />
        )}
        <Input.Search aria-label="标签" placeholder="按标签筛选" allowClear value={tagInput} style={{ width: 160 }}
          onChange={(e) => setTagInput(e.target.value)} onSearch={(v) => set({ tag: v.trim() })} />
        <Select aria-label="关注状态" value={filters.subscribed} onChange={(v: Filters['subscribed']) => set({ subscribed: v })} style={{ width: 120 }}
          options={YES_NO_ANY('关注中', '已取关').map((o) => (o.value === '' ? { ...o, label: '关注状态' } : o))} />
        <Select aria-label="群发退订" value={filters.opted_out} onChange={(v: Filters['opted_out']) => set({ opted_out: v })} style={{ width: 130 }}
          options={YES_NO_ANY('已退订群发', '接收群发').map((o) => (o.value === '' ? { ...o, label: '群发退订' } : o))} />
        <Select aria-label="活跃" value={filters.active_days} onChange={(v: string) => set({ active_days: v })} style={{ width: 130 }}
          options={ACTIVE.map((o) => (o.value === '' ? { ...o, label: '最近发消息' } : { ...o, label: `${o.label}发过消息` }))} />
        <Select aria-label="下单" value={filters.has_ordered} onChange={(v: Filters['has_ordered']) => set({ has_ordered: v })} style={{ width: 110 }}
          options={YES_NO_ANY('下过单', '未下单').map((o) => (o.value === '' ? { ...o, label: '是否下单' } : o))} />
        {query !== '' && <Button type="link" onClick={() => navigate('/followers')}>清除筛选</Button>}
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {phone ? (
        <List<Follower>
          dataSource={rows ?? []}
          loading={!rows && !error}
          locale={{ emptyText: <Empty description={query ? '没有符合筛选条件的粉丝' : '还没有粉丝'} /> }}
          data-testid="follower-list"
          renderItem={(f) => (
            <List.Item onClick={() => open(f.openid)} style={{ cursor: 'pointer', display: 'block' }}>
              <Typography.Link ellipsis style={{ display: 'block' }}>{f.openid}</Typography.Link>
              <Space size={[8, 4]} wrap style={{ marginTop: 4 }}>
                <Typography.Text type="secondary">{storeName(f.store)}</Typography.Text>
                <State f={f} />
                <Tags tags={f.tags} />
              </Space>
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 4 }}>
                最近消息 {f.last_message_at ? beijingTime(f.last_message_at) : '—'} · 订单 {f.orders}
              </Typography.Text>
            </List.Item>
          )}
        />
      ) : (
        <Table<Follower>
          size="small"
          rowKey="openid"
          columns={columns}
          dataSource={rows ?? []}
          loading={!rows && !error}
          pagination={false}
          scroll={{ x: 760 }}
          onRow={(f) => ({ onClick: (e) => { if (!(e.target as HTMLElement).closest('a')) open(f.openid); }, style: { cursor: 'pointer' } })}
          locale={{ emptyText: <Empty description={query ? '没有符合筛选条件的粉丝' : '还没有粉丝'} /> }}
          data-testid="follower-list"
        />
      )}
      {hasMore && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button loading={loadingMore} onClick={more}>加载更多</Button>
        </div>
      )}
    </Card>
  );
}

function State({ f }: { f: Follower }) {
  return (
    <Space size={[0, 4]} wrap>
      {f.subscribed ? <Tag color="green">关注中</Tag> : <Tag>已取关</Tag>}
      {f.opted_out && <Tag color="orange">已退订群发</Tag>}
    </Space>
  );
}

/** The merchant's tags (the store's own tag is the 门店 column). */
function Tags({ tags }: { tags: readonly string[] }) {
  return (
    <Space size={[0, 4]} wrap>
      {tags.filter((t) => !isStoreTag(t)).map((t) => <Tag key={t} color="blue">{t}</Tag>)}
    </Space>
  );
}
