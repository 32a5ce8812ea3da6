/**
 * The replies a campaign collected (「回复 试用+理由」): who, their reason, the whole message and when, from
 * GET /broadcasts/:id/replies; 导出 CSV downloads replies.csv (the session's cookie goes with the link).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Space, Table } from 'antd';
import { api, currentAccount } from '../../api.ts';
import { beijingTime } from '../../time.ts';

interface ReplyRow { openid: string; reason: string; text: string; at: string }

export function Replies({ id, keyword, refreshKey }: { id: number; keyword: string; refreshKey: number }) {
  const [rows, setRows] = useState<ReplyRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<{ items: ReplyRow[] }>('GET', `/broadcasts/${id}/replies`).then((r) => { setRows(r.items); setError(null); }, (e: Error) => setError(e.message));
  }, [id]);
  useEffect(load, [load, refreshKey]);
  const csv = `/api/broadcasts/${id}/replies.csv?account=${encodeURIComponent(currentAccount())}`;
  return (
    <Card size="small" title={`收集到的回复（「${keyword}」开头）`} data-testid="replies"
      extra={<Space><Button size="small" onClick={load} data-testid="refresh-replies">刷新</Button><Button size="small" href={csv} download={`broadcast-${id}-replies.csv`} data-testid="replies-csv">导出 CSV</Button></Space>}>
      {error ? <Alert type="error" showIcon title={error} /> : null}
      <Table<ReplyRow> rowKey={(r) => `${r.openid}-${r.at}`} size="small" loading={rows === null && !error} dataSource={rows ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: 'max-content' }}
        locale={{ emptyText: '还没有粉丝回复' }}
        columns={[
          { title: '粉丝', dataIndex: 'openid' },
          { title: '理由', dataIndex: 'reason' },
          { title: '原话', dataIndex: 'text' },
          { title: '时间', dataIndex: 'at', render: (t: string) => beijingTime(t) },
        ]} />
    </Card>
  );
}
