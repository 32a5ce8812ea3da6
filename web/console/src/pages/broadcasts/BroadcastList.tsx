/**
 * The campaigns: each with its status, schedule and how its last run went (sent of planned, failed,
 * skipped); a row opens the campaign. Newest first.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Empty, Table, Tag, Typography } from 'antd';
import { api } from '../../api.ts';
import { beijingTime } from '../../time.ts';
import { RUN_STATUS_NAMES, scheduleText, STATUS_NAMES, type BroadcastJson, type RunJson } from './model.ts';

const skippedOf = (r: RunJson) => Object.values(r.skipped).reduce((a, b) => a + b, 0);

/** The last run in a line: 「已完成 · 发送 2/2 · 跳过 1」. */
export function lastRunText(r: RunJson | undefined): string {
  if (!r) return '还没有发送';
  const parts = [RUN_STATUS_NAMES[r.status], `发送 ${r.sent ?? 0}/${r.planned}`];
  if (r.failed) parts.push(`失败 ${r.failed}`);
  if (skippedOf(r)) parts.push(`跳过 ${skippedOf(r)}`);
  return parts.join(' · ');
}

export function BroadcastList({ writable, navigate }: { writable: boolean; navigate: (to: string) => void }) {
  const [rows, setRows] = useState<BroadcastJson[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const all: BroadcastJson[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: BroadcastJson[]; next_cursor: string | null } = await api('GET', `/broadcasts?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        all.push(...page.items);
        cursor = page.next_cursor;
      } while (cursor);
      setRows(all.reverse());
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);
  useEffect(() => void load(), [load]);

  if (error) return <Alert type="error" showIcon title={error} action={<Button size="small" onClick={() => void load()}>重试</Button>} />;
  return (
    <Table<BroadcastJson>
      rowKey="id"
      loading={rows === null}
      dataSource={rows ?? []}
      size="middle"
      scroll={{ x: 'max-content' }}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: <Empty description={writable ? '还没有群发。点击「新建群发」，写好消息、选好受众，就能发给粉丝。' : '还没有群发'} /> }}
      onRow={(b) => ({ onClick: () => navigate(`/broadcasts/${b.id}`), style: { cursor: 'pointer' } })}
      data-testid="broadcast-list"
      columns={[
        { title: '名称', dataIndex: 'name', render: (name: string, b) => <a href={`/admin/broadcasts/${b.id}`} onClick={(e) => { e.preventDefault(); navigate(`/broadcasts/${b.id}`); }}>{name}</a> },
        { title: '状态', dataIndex: 'status', render: (s: BroadcastJson['status']) => <Tag color={STATUS_NAMES[s].color}>{STATUS_NAMES[s].text}</Tag> },
        { title: '发送时间', key: 'schedule', render: (_, b) => scheduleText(b.schedule, beijingTime) },
        { title: '上次发送', key: 'last', render: (_, b) => <Typography.Text type={b.runs.at(-1)?.status === 'failed' ? 'danger' : undefined}>{lastRunText(b.runs.at(-1))}</Typography.Text> },
        { title: '创建时间', dataIndex: 'created_at', responsive: ['md'], render: (t: string | null) => (t ? beijingTime(t) : '—') },
      ]}
    />
  );
}
