/**
 * The 数据 screen's sections, one per report endpoint, each loading its own rows for the period and
 * exporting them as CSV: 热门问题, 规则命中, 意图分布, 门店. (无结果问题, with its actions, is zero-results.tsx.)
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Empty, Skeleton, Table, Tag } from 'antd';
import { api } from '../../api.ts';
import { beijingTime } from '../../time.ts';
import { intentName, queryColumns, Trend, trendOf, type Intents, type QueryRow } from '../report-parts.tsx';
import { downloadCsv, toCsv, type CsvColumn } from './csv.ts';
import { daysOf, periodQuery, type Period } from './period.ts';

/** One report call for the period: its answer, or its error, reloaded when the period changes or `reload` is called. */
export function useReport<T>(path: string, period: Period): { data: T | null; error: string | null; reload: () => void } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const [round, setRound] = useState(0);
  const url = `${path}${path.includes('?') ? '&' : '?'}${periodQuery(period)}`;
  useEffect(() => {
    let gone = false;
    setState({ data: null, error: null });
    api<T>('GET', url).then(
      (data) => !gone && setState({ data, error: null }),
      (e: Error) => !gone && setState({ data: null, error: e.message }),
    );
    return () => {
      gone = true;
    };
  }, [url, round]);
  return { ...state, reload: () => setRound((n) => n + 1) };
}

/** A file name for a table of the period: 热门问题_2026-11-01_2026-11-07.csv */
export const csvName = (what: string, p: Period) => `${what}_${p.from}_${p.to}.csv`;

/** The 导出 CSV button of a section's card. */
export function ExportButton<T>({ name, columns, rows }: { name: string; columns: readonly CsvColumn<T>[]; rows: readonly T[] | undefined }) {
  return (
    <Button size="small" disabled={!rows?.length} onClick={() => downloadCsv(name, toCsv(columns, rows ?? []))}>
      导出 CSV
    </Button>
  );
}

const queryCsv: CsvColumn<QueryRow>[] = [
  { title: '问题', value: (r) => r.query },
  { title: '次数', value: (r) => r.count },
  { title: '人数', value: (r) => r.followers },
  { title: '最近一次（北京时间）', value: (r) => beijingTime(r.last_asked_at) },
];

export function TopQueries({ period }: { period: Period }) {
  const { data, error } = useReport<{ items: QueryRow[] }>('/stats/top-queries?limit=100', period);
  return (
    <Card title="热门问题" extra={<ExportButton name={csvName('热门问题', period)} columns={queryCsv} rows={data?.items} />}>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<QueryRow> size="small" rowKey="query" columns={queryColumns} dataSource={data?.items ?? []} loading={!data && !error} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: true }} />
    </Card>
  );
}

interface RuleHit {
  rule: number;
  name: string | null;
  kind: string | null;
  deleted: boolean;
  hits: number;
}

const MATCH_NAMES: Readonly<Record<string, string>> = { exact: '关键词（完全匹配）', contains: '关键词（包含）', regex: '关键词（正则）' };
const EVENT_NAMES: Readonly<Record<string, string>> = { follow: '关注回复', scene: '扫码回复', click: '菜单回复', fallback: '兜底回复' };
/** The API's `keyword (contains)` / `event (follow)` in words. */
function kindName(kind: string | null): string {
  const m = /^(keyword|event) \((\w+)\)$/.exec(kind ?? '');
  if (!m) return kind ?? '—';
  return (m[1] === 'keyword' ? MATCH_NAMES[m[2]!] : EVENT_NAMES[m[2]!]) ?? kind!;
}
const ruleName = (r: RuleHit) => r.name ?? `规则 #${r.rule}`;

const ruleCsv: CsvColumn<RuleHit>[] = [
  { title: '规则编号', value: (r) => r.rule },
  { title: '规则', value: ruleName },
  { title: '类型', value: (r) => kindName(r.kind) },
  { title: '已删除', value: (r) => (r.deleted ? '是' : '否') },
  { title: '命中次数', value: (r) => r.hits },
];

export function RuleHits({ period, navigate }: { period: Period; navigate: (to: string) => void }) {
  const { data, error } = useReport<{ items: RuleHit[] }>('/stats/rule-hits', period);
  const columns = [
    {
      title: '规则', key: 'name',
      render: (_: unknown, r: RuleHit) =>
        r.deleted ? (
          <>
            {ruleName(r)} <Tag>已删除</Tag>
          </>
        ) : (
          <a
            href={`/admin/rules/${r.rule}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(`/rules/${r.rule}`);
            }}
          >
            {ruleName(r)}
          </a>
        ),
    },
    { title: '类型', key: 'kind', render: (_: unknown, r: RuleHit) => kindName(r.kind) },
    { title: '命中次数', dataIndex: 'hits', key: 'hits', width: 96 },
  ];
  return (
    <Card title="规则命中" extra={<ExportButton name={csvName('规则命中', period)} columns={ruleCsv} rows={data?.items} />}>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<RuleHit> size="small" rowKey="rule" columns={columns} dataSource={data?.items ?? []} loading={!data && !error} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: true }} locale={{ emptyText: '这段时间没有规则被触发' }} />
    </Card>
  );
}

interface IntentTotal {
  intent: string;
  count: number;
  share: number;
}

export function IntentShare({ period }: { period: Period }) {
  const { data, error } = useReport<Intents>('/stats/intents', period);
  const trend = useMemo(() => (data && data.days.length ? trendOf(data, daysOf(period)) : null), [data, period]);
  const totals = useMemo((): IntentTotal[] => {
    if (!data) return [];
    const sums = new Map<string, number>();
    for (const d of data.days) for (const [k, n] of Object.entries(d.intents)) sums.set(k, (sums.get(k) ?? 0) + n);
    const all = [...sums.values()].reduce((a, b) => a + b, 0);
    return [...sums].map(([intent, count]) => ({ intent, count, share: all ? count / all : 0 })).sort((a, b) => b.count - a.count);
  }, [data]);
  const keys = totals.map((t) => t.intent);
  const dayCsv: CsvColumn<Intents['days'][number]>[] = [
    { title: '日期', value: (d) => d.day },
    { title: '合计', value: (d) => d.total },
    ...keys.map((k) => ({ title: intentName(k), value: (d: Intents['days'][number]) => d.intents[k] ?? 0 })),
  ];
  return (
    <Card title="意图分布" extra={<ExportButton name={csvName('意图分布', period)} columns={dayCsv} rows={data?.days} />}>
      {error && <Alert type="error" showIcon title={error} />}
      {!data && !error ? <Skeleton active /> : trend ? <Trend data={trend} /> : <Empty description="这段时间还没有问题" />}
      {totals.length > 0 && (
        <Table<IntentTotal>
          size="small" rowKey="intent" pagination={false} style={{ marginTop: 16 }} dataSource={totals}
          columns={[
            { title: '意图', key: 'intent', render: (_: unknown, t) => intentName(t.intent) },
            { title: '问题数', dataIndex: 'count', key: 'count' },
            { title: '占比', key: 'share', render: (_: unknown, t) => `${(t.share * 100).toFixed(1)}%` },
          ]}
        />
      )}
    </Card>
  );
}

interface StoreCount {
  store: string;
  name: string;
  city: string | null;
  follows: number;
  scans: number;
  followers: number;
  active_followers: number;
}

const storeCsv: CsvColumn<StoreCount>[] = [
  { title: '门店编号', value: (s) => s.store },
  { title: '门店', value: (s) => s.name },
  { title: '城市', value: (s) => s.city ?? '' },
  { title: '扫码关注', value: (s) => s.follows },
  { title: '老粉丝扫码', value: (s) => s.scans },
  { title: '归属粉丝', value: (s) => s.followers },
  { title: '近30天活跃', value: (s) => s.active_followers },
];

export function StoreCounts({ period }: { period: Period }) {
  const { data, error } = useReport<{ items: StoreCount[] }>('/stats/stores', period);
  const columns = [
    { title: '门店', key: 'name', render: (_: unknown, s: StoreCount) => (s.city ? `${s.name}（${s.city}）` : s.name) },
    { title: '扫码关注', dataIndex: 'follows', key: 'follows', width: 88 },
    { title: '老粉丝扫码', dataIndex: 'scans', key: 'scans', width: 100 },
    { title: '归属粉丝', dataIndex: 'followers', key: 'followers', width: 88 },
    { title: '近30天活跃', dataIndex: 'active_followers', key: 'active', width: 100 },
  ];
  return (
    <Card title="门店" extra={<ExportButton name={csvName('门店', period)} columns={storeCsv} rows={data?.items} />}>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<StoreCount> size="small" rowKey="store" columns={columns} dataSource={data?.items ?? []} loading={!data && !error} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: true }} locale={{ emptyText: '还没有门店' }} />
    </Card>
  );
}
