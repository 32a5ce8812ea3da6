/**
 * 我的门店 (store staff): their store's details, its follower numbers (now, today, the last 7 days), its QR codes
 * (the cards of 门店与二维码: drawn by the server, PNG/SVG at print sizes, a poster) with a button to make one, and the
 * followers the store brought. Every list comes from the API already narrowed to the user's store.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Result, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { api } from '../api.ts';
import type { PageProps } from '../page.ts';
import { useLoadMore, type CursorPage } from '../load-more.ts';
import { canWrite } from '../permissions.ts';
import { beijingDayBefore, beijingTime } from '../time.ts';
import { QrCodes } from './stores/QrCodes.tsx';

interface Store {
  id: string;
  name: string;
  city: string | null;
  welcome: string | null;
}
interface Follower {
  openid: string;
  subscribed: boolean;
  first_scene: string | null;
  subscribed_at: string | null;
  last_message_at: string | null;
}
interface FollowerCounts {
  following: number;
  days: { day: string; follows: number; unfollows: number }[];
}

type Which = 'all' | 'true' | 'false';

export default function MyStore({ user }: PageProps) {
  const storeId = user.store;
  if (!storeId) return <Result status="warning" title="账号没有所属门店" subTitle="请联系店主为您的账号设置门店。" />;
  return <StoreView storeId={storeId} writable={canWrite(user, 'stores')} />;
}

function StoreView({ storeId, writable }: { storeId: string; writable: boolean }) {
  const [store, setStore] = useState<Store | null>(null);
  const [counts, setCounts] = useState<FollowerCounts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = `/stores/${encodeURIComponent(storeId)}`;

  useEffect(() => {
    let gone = false;
    const now = Date.now();
    Promise.all([
      api<Store>('GET', path),
      api<FollowerCounts>('GET', `/stats/followers?from=${beijingDayBefore(now, 6)}&to=${beijingDayBefore(now, 0)}`),
    ]).then(
      ([s, c]) => {
        if (gone) return;
        setStore(s);
        setCounts(c);
      },
      (e: Error) => !gone && setError(e.message),
    );
    return () => {
      gone = true;
    };
  }, [path]);

  const today = beijingDayBefore(Date.now(), 0);
  const todays = counts?.days.find((d) => d.day === today);
  const week = counts?.days.reduce((n, d) => n + d.follows, 0) ?? 0;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} />}
      <Card title="门店信息" loading={!store && !error}>
        {store && (
          <Descriptions column={{ xs: 1, sm: 2 }} size="small" items={[
            { key: 'name', label: '门店', children: store.name },
            { key: 'id', label: '编号', children: store.id },
            { key: 'city', label: '城市', children: store.city ?? '—' },
            { key: 'welcome', label: '扫码欢迎语', children: store.welcome ?? '（使用公众号的关注欢迎语）' },
          ]} />
        )}
      </Card>
      <Row gutter={[16, 16]}>
        {[
          ['当前关注', counts?.following],
          ['今日新增', todays?.follows ?? 0],
          ['今日取关', todays?.unfollows ?? 0],
          ['近 7 天新增', week],
        ].map(([title, value]) => (
          <Col xs={12} sm={6} key={title as string}>
            <Card><Statistic title={title} value={(value as number | undefined) ?? 0} loading={!counts} /></Card>
          </Col>
        ))}
      </Row>
      <QrCodes storeId={storeId} writable={writable} />
      <Followers />
    </Space>
  );
}

const followerColumns = [
  { title: '粉丝', dataIndex: 'openid', key: 'openid', ellipsis: true, render: (v: string) => <Typography.Text copyable>{v}</Typography.Text> },
  { title: '状态', dataIndex: 'subscribed', key: 'subscribed', width: 90, render: (v: boolean) => (v ? <Tag color="green">关注中</Tag> : <Tag>已取关</Tag>) },
  { title: '关注时间', dataIndex: 'subscribed_at', key: 'subscribed_at', width: 150, render: (v: string | null) => (v ? beijingTime(v) : '—') },
  { title: '最近消息', dataIndex: 'last_message_at', key: 'last_message_at', width: 150, render: (v: string | null) => (v ? beijingTime(v) : '—') },
];

/** The store's followers (the API answers a store's staff with their store's only), a page at a time. */
function Followers() {
  const [which, setWhich] = useState<Which>('all');
  const load = useCallback((after: string | null) => {
    const q = new URLSearchParams({ limit: '20' });
    if (which !== 'all') q.set('subscribed', which);
    if (after) q.set('cursor', after);
    return api<CursorPage<Follower>>('GET', `/subscribers?${q}`);
  }, [which]);
  const { rows, error, hasMore, loadingMore, more } = useLoadMore(load);

  return (
    <Card title="门店关注者" extra={<Segmented<Which> value={which} onChange={setWhich} options={[{ label: '全部', value: 'all' }, { label: '关注中', value: 'true' }, { label: '已取关', value: 'false' }]} />}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Table<Follower>
        size="small"
        rowKey="openid"
        columns={followerColumns}
        dataSource={rows ?? []}
        loading={!rows && !error}
        pagination={false}
        scroll={{ x: 560 }}
        locale={{ emptyText: <Empty description="还没有通过本门店关注的粉丝" /> }}
        data-testid="store-followers"
      />
      {hasMore && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button loading={loadingMore} onClick={more}>加载更多</Button>
        </div>
      )}
    </Card>
  );
}
