/**
 * 数据 › 转化: the conversion funnel of the period (提问 → 看到商品 → 打开商品页 → 下单 → 送达), drawn as bars
 * with each step's followers, count and rate, then per day, store or question as a table; and revenue per
 * store and per referrer (¥, two decimals). Each table exports as CSV.
 */
import { useState } from 'react';
import { Alert, Card, Progress, Segmented, Skeleton, Space, Table, Typography } from 'antd';
import { csvName, ExportButton, useReport } from './sections.tsx';
import type { CsvColumn } from './csv.ts';
import type { Period } from './period.ts';

type StepKey = 'asked' | 'listed' | 'viewed' | 'ordered' | 'delivered';
interface Step {
  count: number;
  followers: number;
  rate: number | null;
}
type Counts = Record<StepKey, Step> & { ordered: Step & { cancelled: number } };
type FunnelRow = Counts & { key: string | null; name: string | null };
interface Funnel {
  total: Counts;
  rows: FunnelRow[];
}
type By = 'day' | 'store' | 'query';

const STEPS: readonly { key: StepKey; name: string; unit: string }[] = [
  { key: 'asked', name: '提问', unit: '条' },
  { key: 'listed', name: '看到商品', unit: '次' },
  { key: 'viewed', name: '打开商品页', unit: '次' },
  { key: 'ordered', name: '下单', unit: '单' },
  { key: 'delivered', name: '送达', unit: '单' },
];
const BY: { label: string; value: By }[] = [
  { label: '按日期', value: 'day' },
  { label: '按门店', value: 'store' },
  { label: '按问题', value: 'query' },
];

/** 33.3%, or — when the step before had nobody. */
const rateText = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
/** Integer fen as ¥1,234.50. */
const yuanOfFen = (fen: number) => `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const keyName = (by: By, r: FunnelRow) => (by === 'store' ? (r.key === null ? '未归属门店' : (r.name ?? r.key)) : (r.key ?? '—'));

/** The whole period's funnel: one bar per step, as wide as its followers against the first step's. */
function FunnelBars({ total }: { total: Counts }) {
  const widest = Math.max(1, ...STEPS.map((s) => total[s.key].followers));
  return (
    <div data-testid="funnel">
      {STEPS.map((s, i) => {
        const step = total[s.key];
        return (
          <div key={s.key} data-step={s.key} style={{ display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap', marginBottom: 8 }}>
            <Typography.Text strong style={{ width: 84 }}>{s.name}</Typography.Text>
            <Progress percent={(step.followers / widest) * 100} showInfo={false} style={{ flex: '1 1 160px', margin: 0 }} />
            {/* A fixed width for the numbers, so the bars line up. */}
            <Space size={12} style={{ minWidth: 260 }}>
              <Typography.Text data-field="followers">{step.followers} 人</Typography.Text>
              <Typography.Text type="secondary" data-field="count">{step.count} {s.unit}</Typography.Text>
              {i > 0 && <Typography.Text data-field="rate">转化 {rateText(step.rate)}</Typography.Text>}
              {s.key === 'ordered' && total.ordered.cancelled > 0 && <Typography.Text type="warning" data-field="cancelled">已取消 {total.ordered.cancelled} 单</Typography.Text>}
            </Space>
          </div>
        );
      })}
    </div>
  );
}

export function Conversion({ period }: { period: Period }) {
  const [by, setBy] = useState<By>('day');
  const { data, error } = useReport<Funnel>(`/reports/funnel?by=${by}`, period);
  const byName = BY.find((b) => b.value === by)!.label.slice(1);
  const columns = [
    { title: byName, key: 'key', fixed: 'left' as const, render: (_: unknown, r: FunnelRow) => keyName(by, r) },
    ...STEPS.map((s, i) => ({
      title: s.name,
      key: s.key,
      render: (_: unknown, r: FunnelRow) => (
        <span data-step={s.key}>
          {r[s.key].followers} 人{i > 0 && <Typography.Text type="secondary">（{rateText(r[s.key].rate)}）</Typography.Text>}
        </span>
      ),
    })),
    { title: '已取消', key: 'cancelled', render: (_: unknown, r: FunnelRow) => r.ordered.cancelled },
  ];
  const csv: CsvColumn<FunnelRow>[] = [
    { title: byName, value: (r) => keyName(by, r) },
    ...STEPS.flatMap((s) => [
      { title: `${s.name}人数`, value: (r: FunnelRow) => r[s.key].followers },
      { title: `${s.name}${s.unit}数`, value: (r: FunnelRow) => r[s.key].count },
    ]),
    { title: '已取消', value: (r) => r.ordered.cancelled },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title="转化漏斗"
        extra={<ExportButton name={csvName(`转化漏斗${byName}`, period)} columns={csv} rows={data?.rows} />}
      >
        {error && <Alert type="error" showIcon title={error} />}
        {!data && !error ? <Skeleton active /> : data && <FunnelBars total={data.total} />}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          人数为去重后的粉丝数，转化率 = 本步人数 ÷ 上一步人数；下单含之后取消的订单，送达为本期下单中已送达的。
        </Typography.Paragraph>
        <Segmented<By> value={by} onChange={setBy} options={BY} aria-label="漏斗维度" style={{ marginBottom: 12 }} />
        <Table<FunnelRow>
          size="small" rowKey={(r) => r.key ?? '(none)'} columns={columns} dataSource={data?.rows ?? []} loading={!data && !error}
          pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: true }} locale={{ emptyText: '这段时间还没有数据' }}
        />
      </Card>
      <Revenue period={period} by="store" />
      <Revenue period={period} by="referrer" />
    </Space>
  );
}

interface RevenueRow {
  key: string | null;
  name: string | null;
  orders: number;
  cancelled: number;
  items: number;
  revenue_fen: number;
  delivered_orders: number;
  delivered_fen: number;
}

const REVENUE_TITLES = { store: { title: '门店收入', what: '门店', none: '未归属门店' }, referrer: { title: '推荐人收入', what: '推荐人', none: '无推荐人' } } as const;

function Revenue({ period, by }: { period: Period; by: 'store' | 'referrer' }) {
  const { data, error } = useReport<{ total: Omit<RevenueRow, 'key' | 'name'>; rows: RevenueRow[] }>(`/reports/revenue?by=${by}`, period);
  const t = REVENUE_TITLES[by];
  const label = (r: RevenueRow) => (r.key === null ? t.none : r.name ? (by === 'referrer' ? `${r.name}（${r.key}）` : r.name) : r.key);
  const rows = data ? [...data.rows, { key: '__total', name: '合计', ...data.total }] : [];
  const columns = [
    { title: t.what, key: 'name', render: (_: unknown, r: RevenueRow) => (r.key === '__total' ? <Typography.Text strong>合计</Typography.Text> : label(r)) },
    { title: '订单数', dataIndex: 'orders', key: 'orders' },
    { title: '件数', dataIndex: 'items', key: 'items' },
    { title: '收入', key: 'revenue', render: (_: unknown, r: RevenueRow) => yuanOfFen(r.revenue_fen) },
    { title: '已送达', key: 'delivered', render: (_: unknown, r: RevenueRow) => `${r.delivered_orders} 单 / ${yuanOfFen(r.delivered_fen)}` },
    { title: '已取消', dataIndex: 'cancelled', key: 'cancelled' },
  ];
  const csv: CsvColumn<RevenueRow>[] = [
    { title: t.what, value: (r) => (r.key === '__total' ? '合计' : label(r)) },
    { title: '订单数', value: (r) => r.orders },
    { title: '件数', value: (r) => r.items },
    { title: '收入（元）', value: (r) => (r.revenue_fen / 100).toFixed(2) },
    { title: '已送达订单', value: (r) => r.delivered_orders },
    { title: '已送达收入（元）', value: (r) => (r.delivered_fen / 100).toFixed(2) },
    { title: '已取消', value: (r) => r.cancelled },
  ];
  return (
    <Card title={t.title} data-testid={`revenue-${by}`} extra={<ExportButton name={csvName(t.title, period)} columns={csv} rows={data?.rows.length ? rows : undefined} />}>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<RevenueRow>
        size="small" rowKey={(r) => r.key ?? '(none)'} columns={columns} dataSource={data?.rows.length ? rows : []} loading={!data && !error}
        pagination={false} scroll={{ x: true }} locale={{ emptyText: '这段时间还没有订单' }}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>收入为未取消订单的应收金额（含运费，货到付款）。</Typography.Text>
    </Card>
  );
}
