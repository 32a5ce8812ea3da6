/**
 * 导出: the orders under the list's filters (its period, store, source, search) as an Excel workbook (订单 and
 * 销售汇总) or a CSV table, from the API's export. Fetched with the session cookie and saved under the name the
 * server gives (订单-2026-12-01_2026-12-03.xlsx); a refusal (a bad period) is shown, not saved.
 */
import { useState } from 'react';
import { App, Button, Dropdown } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { currentAccount } from '../../api.ts';
import { filterQuery, type Filters } from './model.ts';

/** The file name from Content-Disposition: RFC 5987's filename*= (the Chinese), else filename=. */
function fileNameOf(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (star) return decodeURIComponent(star[1]!);
  return /filename="?([^";]+)"?/i.exec(disposition ?? '')?.[1] ?? fallback;
}

async function download(query: URLSearchParams, fallback: string): Promise<void> {
  query.set('account', currentAccount());
  const res = await fetch(`/api/orders/export?${query}`, { credentials: 'same-origin', headers: { 'Accept-Language': 'zh-CN' } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `导出失败（${res.status}）`);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameOf(res.headers.get('content-disposition'), fallback);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportMenu({ filters }: { filters: Filters }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (format: 'xlsx' | 'csv' | 'summary') => {
    const q = filterQuery(filters);
    q.set('format', format === 'xlsx' ? 'xlsx' : 'csv');
    if (format === 'summary') q.set('sheet', 'summary');
    setBusy(true);
    try {
      await download(q, format === 'xlsx' ? '订单.xlsx' : '订单.csv');
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'xlsx', label: '导出 Excel（订单和销售汇总）' },
          { key: 'csv', label: '导出 CSV（订单明细）' },
          { key: 'summary', label: '导出 CSV（销售汇总）' },
        ],
        onClick: ({ key }) => void run(key as 'xlsx' | 'csv' | 'summary'),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy}>导出</Button>
    </Dropdown>
  );
}
