/**
 * The orders list: a tab per status with its count (under the other filters), the search box (order number,
 * phone digits, receiver), store (not for store staff: the API gives them their store's only), source and
 * period, the orders a page at a time (newest first), 导出, and the 新订单 badge with the sound switch. A new
 * order reloads the first page by itself.
 */
import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, DatePicker, Grid, Input, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { SoundOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { api } from '../../api.ts';
import { usePagedList } from '../../paged-list.ts';
import { beijingTime } from '../../time.ts';
import { ExportMenu } from './ExportMenu.tsx';
import { filterQuery, itemLine, SOURCE_ZH, STATUSES, statusColor, yuan, type Filters, type Order, type OrderPage, type OrderStatus } from './model.ts';
import type { NewOrders } from './new-orders.ts';

const PAGE_SIZE = 20;

/** The value after it has stopped changing for `ms`: one request per pause in typing. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

const receiverCell = (o: Order) => (
  <>
    <div>{o.receiver}</div>
    <Typography.Text type="secondary">{o.phone}</Typography.Text>
  </>
);
const statusCell = (o: Order) => <Tag color={statusColor(o.status)}>{o.status_zh}</Tag>;

/** The order's number as a real link (a new tab, the keyboard), opened in place on a plain click. */
const orderLink = (id: number, open: (id: number) => void) => (
  <a href={`/admin/orders/${id}`} onClick={(e) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    e.stopPropagation();
    open(id);
  }}>{id}</a>
);

const wideColumns = (open: (id: number) => void): ColumnsType<Order> => [
  { title: '订单号', dataIndex: 'id', key: 'id', width: 90, render: (id: number) => orderLink(id, open) },
  { title: '下单时间', key: 'created_at', width: 150, render: (_, o) => beijingTime(o.created_at) },
  { title: '商品', key: 'items', render: (_, o) => o.items.map((i) => <div key={`${i.sku}-${i.variant}`}>{itemLine(i)}</div>) },
  { title: '收货人', key: 'receiver', width: 140, render: (_, o) => receiverCell(o) },
  { title: '金额', key: 'total', width: 110, align: 'right', render: (_, o) => yuan(o.total_fen) },
  { title: '门店', key: 'store', width: 110, render: (_, o) => (o.store ? (o.store.name ?? o.store.id) : '—') },
  { title: '来源', key: 'source', width: 90, render: (_, o) => SOURCE_ZH[o.source] },
  { title: '状态', key: 'status', width: 90, render: (_, o) => statusCell(o) },
];

/** On a phone: the number and time, what and who, the status and money — three columns that fit. */
const phoneColumns = (open: (id: number) => void): ColumnsType<Order> => [
  { title: '订单', key: 'id', width: 96, render: (_, o) => <>{orderLink(o.id, open)}<div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{beijingTime(o.created_at).slice(5)}</Typography.Text></div></> },
  { title: '商品 / 收货人', key: 'items', render: (_, o) => <><div>{o.items.map(itemLine).join('，')}</div>{receiverCell(o)}</> },
  { title: '状态', key: 'status', width: 84, render: (_, o) => <>{statusCell(o)}<div>{yuan(o.total_fen)}</div></> },
];

interface Store {
  readonly id: string;
  readonly name: string;
}

interface ListProps {
  readonly storeStaff: boolean;
  readonly news: NewOrders;
  readonly open: (id: number) => void;
  /** The filters, kept by the screen: back from an order, the list is as the merchant left it. */
  readonly filters: Filters;
  readonly setFilters: (change: (old: Filters) => Filters) => void;
}

export function OrderList({ storeStaff, news, open, filters: f, setFilters: setF }: ListProps) {
  const phone = !Grid.useBreakpoint().md;
  const q = useDebounced(f.q, 300);
  const filters = { ...f, q };
  const [stores, setStores] = useState<Store[]>([]);
  const [referrers, setReferrers] = useState<{ code: string; name: string }[]>([]);

  const set = (change: Partial<Filters>) => {
    setF((old) => ({ ...old, ...change }));
  };

  useEffect(() => {
    if (storeStaff) return;
    api<{ items: Store[] }>('GET', '/stores?limit=200').then((r) => setStores(r.items), () => setStores([]));
    // Store staff may not list referrers (the API's orders area gives them their store's orders only).
    api<{ items: { code: string; name: string }[] }>('GET', '/referrers').then((r) => setReferrers(r.items), () => setReferrers([]));
  }, [storeStaff]);

  const filtersKey = filterQuery(filters).toString();
  const pathOf = (cursor: string | null) => {
    const query = new URLSearchParams(filtersKey);
    query.set('limit', String(PAGE_SIZE));
    if (cursor) query.set('cursor', cursor);
    return `/orders?${query}`;
  };
  // A new order reloads the first page; a later page stays as it is (the badge says what came).
  const list = usePagedList<OrderPage>(pathOf, filtersKey, { firstPage: news.arrivals });
  const { page, error, loading, pageNo } = list;

  const all = page ? Object.values(page.counts).reduce((a, b) => a + b, 0) : 0;
  const tabLabel = (label: string, n: number | undefined, key: string) => (
    <span>{label}<Tag bordered={false} color={key === 'placed' && n ? 'orange' : undefined} style={{ marginInline: '6px 0' }} data-testid={`count-${key}`}>{n ?? 0}</Tag></span>
  );

  return (
    <Card>
      <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Badge count={news.fresh} size="small">
            <Button data-testid="new-orders" type={news.fresh ? 'primary' : 'default'} onClick={() => { news.seen(); set({ status: 'all' }); }}>新订单</Button>
          </Badge>
          <Space size={4}>
            <SoundOutlined />
            <Typography.Text>提示音</Typography.Text>
            <Switch size="small" aria-label="新订单提示音" checked={news.sound} onChange={news.setSound} />
          </Space>
        </Space>
        <ExportMenu filters={filters} />
      </Space>
      <Space wrap style={{ marginBottom: 4 }}>
        <Input.Search allowClear aria-label="搜索订单" placeholder="订单号 / 手机号 / 收货人" value={f.q} onChange={(e) => set({ q: e.target.value })} style={{ width: 240 }} />
        {!storeStaff && (
          <Select aria-label="门店" value={f.store} onChange={(store) => set({ store })} style={{ width: 140 }}
            options={[{ value: '', label: '全部门店' }, ...stores.map((s) => ({ value: s.id, label: s.name }))]} />
        )}
        {!storeStaff && referrers.length > 0 && (
          <Select aria-label="推荐人" value={f.referrer} onChange={(referrer) => set({ referrer })} style={{ width: 140 }}
            options={[{ value: '', label: '全部推荐人' }, ...referrers.map((r) => ({ value: r.code, label: r.name }))]} />
        )}
        <Select aria-label="来源" value={f.source} onChange={(source) => set({ source })} style={{ width: 120 }}
          options={[{ value: 'all', label: '全部来源' }, { value: 'chat', label: SOURCE_ZH.chat }, { value: 'page', label: SOURCE_ZH.page }]} />
        <DatePicker.RangePicker aria-label="下单日期" format="YYYY-MM-DD" placeholder={['开始日期', '结束日期']} style={{ width: 240 }}
          value={f.from && f.to ? [dayjs(f.from), dayjs(f.to)] : null}
          onChange={(_, [from, to]) => set({ from: from ?? '', to: to ?? '' })} />
      </Space>
      <Tabs
        activeKey={f.status}
        onChange={(key) => set({ status: key as OrderStatus | 'all' })}
        items={[{ key: 'all', label: tabLabel('全部', all, 'all') }, ...STATUSES.map((s) => ({ key: s.key, label: tabLabel(s.label, page?.counts[s.key], s.key) }))]}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<Order>
        size="small"
        rowKey="id"
        data-testid="orders"
        columns={phone ? phoneColumns(open) : wideColumns(open)}
        dataSource={page?.items ?? []}
        loading={loading}
        pagination={false}
        onRow={(o) => ({ onClick: () => open(o.id), style: { cursor: 'pointer' } })}
        locale={{ emptyText: '没有符合条件的订单' }}
      />
      <Space style={{ marginTop: 12, width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Text type="secondary" data-testid="orders-total">共 {page?.total ?? 0} 单</Typography.Text>
        <Space>
          <Button disabled={!list.hasPrevious} onClick={list.previous}>上一页</Button>
          <Typography.Text>第 {pageNo + 1} 页</Typography.Text>
          <Button disabled={!list.hasNext} onClick={list.next}>下一页</Button>
        </Space>
      </Space>
    </Card>
  );
}
