/**
 * 概览: today and the last 7 or 30 Beijing days at a glance, from the report endpoints (/api/stats/…): today's
 * questions, new and lost followers and how many questions were answered; over the period how many questions,
 * how many the bot did not understand, questions per day by intent (chart), new and lost followers per day
 * (chart), the most asked questions and those nothing answered.
 */
import { useEffect, useState } from 'react';
import { Alert, Card, Col, Empty, Row, Segmented, Skeleton, Statistic, Table } from 'antd';
import { api } from '../api.ts';
import type { PageProps } from '../page.ts';
import { beijingDayBefore, shortDay } from '../time.ts';
import type { TrendSeries } from './trend-chart.ts';
import { queryColumns, Trend, trendOf, zeroColumns, type Intents, type QueryRow, type ZeroRow } from './report-parts.tsx';

interface Followers {
  following: number;
  days: { day: string; follows: number; unfollows: number }[];
}
interface Data {
  /** The period's Beijing days, oldest first (the last is today). */
  days: string[];
  intents: Intents;
  followers: Followers;
  top: QueryRow[];
  zero: ZeroRow[];
}

/** New and lost followers on every day of the period. */
function followerTrendOf(followers: Followers, days: readonly string[]): TrendSeries {
  const on = new Map(followers.days.map((d) => [d.day, d]));
  return {
    days: days.map(shortDay),
    series: [
      { name: '新增关注', values: days.map((d) => on.get(d)?.follows ?? 0), color: '#52c41a' },
      { name: '取消关注', values: days.map((d) => on.get(d)?.unfollows ?? 0), color: '#ff7875' },
    ],
    sideBySide: true,
  };
}

/** Today's numbers: the period's last day. */
function todayOf(data: Data) {
  const today = data.days[data.days.length - 1];
  const questions = data.intents.days.find((d) => d.day === today);
  const follows = data.followers.days.find((d) => d.day === today);
  const total = questions?.total ?? 0;
  const notUnderstood = questions?.intents.none ?? 0;
  return { total, notUnderstood, answered: total - notUnderstood, follows: follows?.follows ?? 0, unfollows: follows?.unfollows ?? 0 };
}

function Today({ data }: { data: Data | null }) {
  const t = data && todayOf(data);
  const share = (n: number) => (t && t.total ? `${Math.round((n / t.total) * 100)}%` : '—');
  return (
    <Card title="今天" size="small" data-testid="today">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}><Statistic title="今日问题" value={t?.total ?? 0} loading={!t} /></Col>
        <Col xs={12} md={6}><Statistic title="新增关注" value={t?.follows ?? 0} loading={!t} /></Col>
        <Col xs={12} md={6}><Statistic title="取消关注" value={t?.unfollows ?? 0} loading={!t} /></Col>
        <Col xs={12} md={6}>
          <Statistic title="已回答 / 未理解" value={t ? `${share(t.answered)} / ${share(t.notUnderstood)}` : ''} loading={!t} />
        </Col>
      </Row>
    </Card>
  );
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
      api<Followers>('GET', `/stats/followers?${period}`),
    ]).then(
      ([intents, top, zero, followers]) => !gone && setData({ days: periodDays, intents, followers, top: top.items, zero: zero.items }),
      (e: Error) => !gone && setError(e.message),
    );
    return () => {
      gone = true;
    };
  }, [days]);

  const total = data?.intents.days.reduce((n, d) => n + d.total, 0) ?? 0;
  const notUnderstood = data?.intents.days.reduce((n, d) => n + (d.intents.none ?? 0), 0) ?? 0;
  const trend = data && data.intents.days.length ? trendOf(data.intents, data.days) : null;
  const followerTrend = data && data.followers.days.length ? followerTrendOf(data.followers, data.days) : null;

  return (
    <>
      <div style={{ marginBottom: 16 }}><Today data={data} /></div>
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
        <Col span={24}>
          <Card title="每日关注变化" extra={data && <span>当前关注 {data.followers.following} 人</span>}>
            {!data ? <Skeleton active /> : followerTrend ? <Trend data={followerTrend} testId="followers-chart" /> : <Empty description="这段时间没有新增或取消关注" />}
          </Card>
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
