/**
 * 概览: the last 7 or 30 Beijing days at a glance, from the report endpoints (/api/stats/…): how many
 * questions, how many the bot did not understand, questions per day by intent (chart), the most asked
 * questions and those nothing answered.
 */
import { useEffect, useState } from 'react';
import { Alert, Card, Col, Empty, Row, Segmented, Skeleton, Statistic, Table } from 'antd';
import { api } from '../api.ts';
import type { PageProps } from '../page.ts';
import { beijingDayBefore } from '../time.ts';
import { queryColumns, Trend, trendOf, zeroColumns, type Intents, type QueryRow, type ZeroRow } from './report-parts.tsx';

interface Data {
  /** The period's Beijing days, oldest first. */
  days: string[];
  intents: Intents;
  top: QueryRow[];
  zero: ZeroRow[];
}

export function Overview(_: PageProps) {
  const [days, setDays] = useState<7 | 30>(7);
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let gone = false;
    setData(null);
    setError(null);
    const now = Date.now();
    const periodDays = Array.from({ length: days }, (_, i) => beijingDayBefore(now, days - 1 - i));
    const period = `from=${periodDays[0]}&to=${periodDays[days - 1]}`;
    Promise.all([
      api<Intents>('GET', `/stats/intents?${period}`),
      api<{ items: QueryRow[] }>('GET', `/stats/top-queries?${period}&limit=10`),
      api<{ items: ZeroRow[] }>('GET', `/stats/zero-results?${period}&limit=10`),
    ]).then(
      ([intents, top, zero]) => !gone && setData({ days: periodDays, intents, top: top.items, zero: zero.items }),
      (e: Error) => !gone && setError(e.message),
    );
    return () => {
      gone = true;
    };
  }, [days]);

  const total = data?.intents.days.reduce((n, d) => n + d.total, 0) ?? 0;
  const notUnderstood = data?.intents.days.reduce((n, d) => n + (d.intents.none ?? 0), 0) ?? 0;
  const trend = data && data.intents.days.length ? trendOf(data.intents, data.days) : null;

  return (
    <>
      <Segmented<7 | 30> value={days} onChange={setDays} options={[{ label: '近 7 天', value: 7 }, { label: '近 30 天', value: 30 }]} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={8}>
          <Card><Statistic title="问题总数" value={total} loading={!data} /></Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card><Statistic title="已回答" value={total ? ((total - notUnderstood) / total) * 100 : 0} precision={1} suffix="%" loading={!data} /></Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card><Statistic title="未理解" value={notUnderstood} loading={!data} /></Card>
        </Col>
        <Col span={24}>
          <Card title="每日问题（按意图）">{!data ? <Skeleton active /> : trend ? <Trend data={trend} /> : <Empty description="这段时间还没有问题" />}</Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="热门问题">
            <Table<QueryRow> size="small" rowKey="query" columns={queryColumns} dataSource={data?.top ?? []} loading={!data} pagination={false} scroll={{ x: true }} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="无结果的问题">
            <Table<ZeroRow> size="small" rowKey={(r) => `${r.reason}:${r.query}`} columns={zeroColumns} dataSource={data?.zero ?? []} loading={!data} pagination={false} scroll={{ x: true }} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
