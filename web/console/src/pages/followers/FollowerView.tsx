/**
 * A follower's page (`/admin/followers/:openid`): who they are (store, first scene, following since, opted out),
 * their tags (add and remove), what may still reach them (the 48-hour customer-service window counting down, its
 * quota, this week's pushes against the cap), their messages with the bot's answers, their orders (each opens
 * 订单), and what the send ledger holds for them.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, List, Result, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api.ts';
import type { PageProps } from '../../page.ts';
import { canWrite } from '../../permissions.ts';
import { beijingTime } from '../../time.ts';
import { Conversation } from './Conversation.tsx';
import { FollowerTags } from './FollowerTags.tsx';
import { ANSWER_SOURCES, ORDER_STATUS, listAddress, yuan, type Activity } from './model.ts';

export function FollowerView({ user, subpath, navigate }: PageProps) {
  const openid = decodeURIComponent(subpath.slice(1));
  const [data, setData] = useState<Activity | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [storeName, setStoreName] = useState<string | null>(null);

  const load = useCallback(() => {
    api<Activity>('GET', `/subscribers/${encodeURIComponent(openid)}/activity`).then(
      (a) => { setData(a); setError(null); },
      (e: Error) => setError({ status: e instanceof ApiError ? e.status : 0, message: e.message }),
    );
  }, [openid]);
  useEffect(load, [load]);
  const store = data?.subscriber.store ?? null;
  useEffect(() => {
    if (store === null) return;
    // The store's name; its id stands in when it is gone (a deleted store's followers keep their attribution).
    api<{ name: string }>('GET', `/stores/${encodeURIComponent(store)}`).then((s) => setStoreName(s.name), () => setStoreName(null));
  }, [store]);

  const back = <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(listAddress())}>返回粉丝列表</Button>;
  if (error?.status === 404) return <Result status="404" title="没有这个粉丝" subTitle={`找不到粉丝 ${openid}（或不属于你的门店）`} extra={back} />;
  if (error) return <Alert type="error" showIcon title={error.message} action={<Button size="small" onClick={load}>重试</Button>} />;
  if (!data) return <Skeleton active />;

  const f = data.subscriber;
  const w = data.window;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap>
        {back}
        <Typography.Title level={4} style={{ margin: 0, wordBreak: 'break-all' }} copyable={{ text: f.openid }} data-testid="follower-openid">{f.openid}</Typography.Title>
        {f.subscribed ? <Tag color="green">关注中</Tag> : <Tag>已取关</Tag>}
        {f.opted_out && <Tag color="orange">已退订群发</Tag>}
      </Space>
      {/* A phone stacks the left column (who, what may reach them, orders) above the right (messages, pushes). */}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title="资料" size="small">
              <Descriptions column={1} size="small" items={[
                { key: 'store', label: '所属门店', children: f.store === null ? '—' : storeName ? `${storeName}（${f.store}）` : f.store },
                { key: 'scene', label: '首次来源', children: f.first_scene === null ? '直接关注' : `扫码 ${f.first_scene === f.store && storeName ? storeName : f.first_scene}` },
                { key: 'since', label: '关注时间', children: f.subscribed_at ? beijingTime(f.subscribed_at) : '—' },
                { key: 'last', label: '最近消息', children: f.last_message_at ? beijingTime(f.last_message_at) : '还没有发过消息' },
                { key: 'opt', label: '群发', children: f.opted_out ? '已退订（回复了「TD」），不会收到群发' : '接收群发' },
              ]} />
              <Typography.Title level={5}>标签</Typography.Title>
              <FollowerTags openid={f.openid} tags={f.tags} writable={canWrite(user, 'stores')} onChange={(tags) => setData({ ...data, subscriber: { ...f, tags } })} />
            </Card>
            <Card title="还能发给 TA 的消息" size="small" data-testid="follower-window">
              <Row gutter={[16, 16]}>
                <Col xs={24} sm={12}>
                  {w.open && w.ends_at ? (
                    <Statistic.Timer type="countdown" title="48 小时客服窗口剩余" value={Date.parse(w.ends_at)} format="H 小时 m 分" onFinish={load} />
                  ) : (
                    <Statistic title="48 小时客服窗口" value="已关闭" />
                  )}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {w.ends_at ? `${w.open ? '将于' : '已于'} ${beijingTime(w.ends_at)} 关闭` : '粉丝还没有发过消息，窗口未打开'}
                  </Typography.Text>
                </Col>
                <Col xs={12} sm={6}>
                  <Statistic title="客服消息剩余" value={w.customer_service_left} suffix={`/ ${w.customer_service_quota}`} />
                </Col>
                <Col xs={12} sm={6}>
                  <Statistic title="本周已群发" value={data.week.pushes} suffix={`/ ${data.week.cap}`} />
                </Col>
              </Row>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '12px 0 0' }}>
                粉丝发消息后 48 小时内，公众号最多可再主动发 5 条客服消息；群发每位粉丝每 7 天最多 {data.week.cap} 条（在「设置」中修改）。
              </Typography.Paragraph>
            </Card>
            <Card title={`订单（共 ${data.orders_total} 笔）`} size="small">
              <Table size="small" rowKey="id" pagination={false} dataSource={data.orders} scroll={{ x: 420 }} data-testid="follower-orders"
                locale={{ emptyText: <Empty description="还没有下过单" /> }}
                columns={[
                  {
                    title: '订单', dataIndex: 'id', key: 'id', width: 80,
                    render: (id: number) => <Typography.Link href={`/admin/orders/${id}`} onClick={(e) => { e.preventDefault(); navigate(`/orders/${id}`); }}>#{id}</Typography.Link>,
                  },
                  { title: '商品', dataIndex: 'items', key: 'items', ellipsis: true },
                  { title: '金额', dataIndex: 'total_fen', key: 'total', width: 90, align: 'right', render: (v: number) => yuan(v) },
                  { title: '状态', dataIndex: 'status', key: 'status', width: 80, render: (v: string) => <Tag color={ORDER_STATUS[v]?.color}>{ORDER_STATUS[v]?.label ?? v}</Tag> },
                  { title: '下单时间', dataIndex: 'created_at', key: 'at', width: 140, render: (v: string) => beijingTime(v) },
                ]} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} lg={12}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title="最近消息" size="small" extra={<Typography.Text type="secondary">最近 20 条</Typography.Text>}>
              <Conversation messages={data.messages} />
            </Card>
            <Card title="收到的推送" size="small" extra={<Typography.Text type="secondary">最近 20 条</Typography.Text>}>
              <List size="small" dataSource={data.pushes} data-testid="follower-pushes" locale={{ emptyText: <Empty description="还没有收到过推送" /> }}
                renderItem={(p) => (
                  <List.Item>
                    <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
                      <Space size={4} wrap>
                        {p.kind === 'push' ? <Tag color="purple">群发</Tag> : <Tag>客服回复</Tag>}
                        {p.broadcast && <Typography.Text strong>{p.broadcast.name}</Typography.Text>}
                        {p.outcome === 'unknown' && <Tag color="warning">送达未知</Tag>}
                      </Space>
                      <Typography.Text type="secondary" style={{ wordBreak: 'break-word' }}>
                        {p.kind === 'answer' ? (ANSWER_SOURCES[p.what] ?? p.what) : p.what}
                      </Typography.Text>
                    </Space>
                    <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>{beijingTime(p.at)}</Typography.Text>
                  </List.Item>
                )} />
            </Card>
          </Space>
        </Col>
      </Row>
    </Space>
  );
}
