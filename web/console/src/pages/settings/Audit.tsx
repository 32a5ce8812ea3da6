/**
 * 操作记录 (owner only): every change made through the console or the API, newest first — who, what (in
 * words, audit-actions.ts), on what, in which official account, when (Beijing time). Narrowed by user and by
 * action; more pages load on demand (the API's cursor).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Select, Space, Table, Typography } from 'antd';
import { api, ApiError } from '../../api.ts';
import { useLoadMore } from '../../load-more.ts';
import type { PageProps } from '../../page.ts';
import { beijingTime } from '../../time.ts';
import { ACTION_NAMES, actionName, targetText } from './audit-actions.ts';

interface Entry {
  id: number;
  at: string;
  who: string;
  method: string;
  route: string;
  target: string | null;
  account: string;
}
interface Page {
  items: Entry[];
  next_cursor: string | null;
}

const PAGE_SIZE = 50;
const actionOptions = Object.entries(ACTION_NAMES).map(([value, label]) => ({ value, label }));
const whoText = (who: string) => (who === 'token' ? 'API 令牌' : who);

export default function Audit(_: PageProps) {
  const [who, setWho] = useState<string | undefined>();
  const [route, setRoute] = useState<string | undefined>();
  const [users, setUsers] = useState<string[]>([]);
  const [accounts, setAccounts] = useState<Record<string, string>>({});

  const load = useCallback((after: string | null) => {
    const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (who) q.set('who', who);
    if (route) q.set('route', route);
    if (after) q.set('cursor', after);
    return api<Page>('GET', `/audit?${q}`);
  }, [who, route]);
  const list = useLoadMore(load, (e) => (e instanceof ApiError ? e.message : '加载失败'));
  const rows = list.rows ?? [];
  useEffect(() => {
    // For the filters and the account column: names, not ids. Neither is needed to read the log.
    api<{ items: { username: string }[] }>('GET', '/staff').then((r) => setUsers(r.items.map((u) => u.username)), () => {});
    api<{ items: { id: string; name: string }[] }>('GET', '/accounts').then((r) => setAccounts(Object.fromEntries(r.items.map((a) => [a.id, a.name]))), () => {});
  }, []);

  const columns = [
    { title: '时间', dataIndex: 'at', key: 'at', render: (t: string) => beijingTime(t) },
    { title: '操作人', dataIndex: 'who', key: 'who', render: whoText },
    { title: '操作', dataIndex: 'route', key: 'route', render: actionName },
    { title: '对象', dataIndex: 'target', key: 'target', responsive: ['sm' as const], render: targetText },
    { title: '公众号', dataIndex: 'account', key: 'account', responsive: ['md' as const], render: (id: string) => (id === 'default' ? '默认公众号' : (accounts[id] ?? id)) },
  ];

  return (
    <Card title="操作记录">
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label="按操作人筛选" allowClear placeholder="全部操作人" style={{ minWidth: 160 }} value={who} onChange={setWho}
          options={[...users.map((u) => ({ value: u, label: u })), { value: 'token', label: 'API 令牌' }]}
        />
        <Select
          aria-label="按操作筛选" allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="全部操作" style={{ minWidth: 200 }} value={route} onChange={setRoute}
          options={actionOptions}
        />
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 16 }} />}
      <Table<Entry> rowKey="id" size="middle" loading={list.rows === null && !list.error} dataSource={rows} columns={columns} pagination={false} locale={{ emptyText: '暂无操作记录' }} />
      <div style={{ textAlign: 'center', marginTop: 16 }}>
        {list.hasMore ? (
          <Button loading={list.loadingMore} onClick={list.more}>加载更多</Button>
        ) : (
          rows.length > 0 && <Typography.Text type="secondary">已显示全部 {rows.length} 条</Typography.Text>
        )}
      </div>
    </Card>
  );
}
