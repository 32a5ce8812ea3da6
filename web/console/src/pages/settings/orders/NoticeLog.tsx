/**
 * 通知记录: the newest order notices (GET /api/notices) — to whom, how, whether it arrived, attempts and the
 * last error — with a filter for the failed ones and 重试 on a failed one (POST /api/notices/:id/retry).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Segmented, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../../api.ts';
import { beijingTime } from '../../../time.ts';

interface Notice {
  id: number;
  order_id: number;
  audience: string;
  via: string;
  target: string;
  event: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: string;
}
const AUDIENCES: Record<string, string> = { staff: '总部员工', store: '门店员工', referrer: '推荐人', follower: '顾客', webhook: 'Webhook' };
const VIAS: Record<string, string> = { template: '模板消息', customer_service: '客服消息', wechaty: '个人微信', webhook: 'Webhook' };
const STATUSES = { pending: { color: 'blue', label: '待发送' }, sent: { color: 'green', label: '已送达' }, failed: { color: 'red', label: '失败' } } as const;

export function NoticeLog({ readOnly }: { readOnly: boolean }) {
  const { message } = App.useApp();
  const [filter, setFilter] = useState<'all' | 'failed'>('all');
  const [items, setItems] = useState<Notice[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setItems((await api<{ items: Notice[] }>('GET', `/notices?limit=50${filter === 'failed' ? '&status=failed' : ''}`)).items);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '加载失败');
    }
  }, [filter]);
  useEffect(() => void load(), [load]);

  const retry = async (n: Notice) => {
    try {
      const again = await api<Notice>('POST', `/notices/${n.id}/retry`);
      message.success(`已重新排队：订单 ${n.order_id} 的通知`);
      setItems((list) => (filter === 'failed' ? list?.filter((x) => x.id !== n.id) : list?.map((x) => (x.id === n.id ? again : x))) ?? null);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  return (
    <Card
      title="通知记录"
      extra={<Button icon={<ReloadOutlined />} aria-label="刷新" onClick={() => void load()} />}
      style={{ marginBottom: 16 }}
    >
      <Segmented
        value={filter}
        onChange={(v) => setFilter(v as 'all' | 'failed')}
        options={[{ value: 'all', label: '全部' }, { value: 'failed', label: '只看失败' }]}
        style={{ marginBottom: 12 }}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<Notice>
        rowKey="id"
        size="small"
        loading={items === null}
        dataSource={items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="notice-list"
        locale={{ emptyText: filter === 'failed' ? '没有失败的通知' : '还没有通知' }}
        columns={[
          { title: '时间', dataIndex: 'created_at', render: (t: string) => beijingTime(t) },
          { title: '订单', dataIndex: 'order_id' },
          { title: '通知对象', dataIndex: 'audience', render: (a: string) => AUDIENCES[a] ?? a },
          { title: '方式', dataIndex: 'via', render: (v: string) => VIAS[v] ?? v },
          { title: '发给', dataIndex: 'target', render: (t: string) => <Typography.Text ellipsis={{ tooltip: t }} style={{ maxWidth: 200 }}>{t}</Typography.Text> },
          { title: '状态', dataIndex: 'status', render: (s: Notice['status']) => <Tag color={STATUSES[s].color}>{STATUSES[s].label}</Tag> },
          { title: '尝试', dataIndex: 'attempts' },
          { title: '最近错误', dataIndex: 'last_error', render: (e: string | null) => (e ? <Typography.Text type="secondary" ellipsis={{ tooltip: e }} style={{ maxWidth: 280 }}>{e}</Typography.Text> : '—') },
          ...(readOnly
            ? []
            : [{ title: '操作', key: 'op', render: (_: unknown, n: Notice) => (n.status === 'failed' ? <Button type="link" size="small" onClick={() => void retry(n)}>重试</Button> : null) }]),
        ]}
      />
    </Card>
  );
}
