/**
 * What 概览 and 数据 both show from the report endpoints (/api/stats/…): the rows' types, the question
 * tables' columns, intent names, and the questions-per-day chart (ECharts, loaded only when drawn).
 */
import { useEffect, useRef } from 'react';
import { Tag } from 'antd';
import { beijingTime, shortDay } from '../time.ts';
import type { TrendSeries } from './trend-chart.ts';

export interface QueryRow {
  query: string;
  count: number;
  followers: number;
  last_asked_at: string;
}
export interface ZeroRow extends QueryRow {
  reason: 'no_results' | 'not_understood';
}
export interface Intents {
  days: { day: string; total: number; intents: Record<string, number> }[];
}

const INTENT_NAMES: Readonly<Record<string, string>> = { product: '商品', hotel: '酒店', deal: '团购', rule: '自动回复', service: '客服问答', order: '查订单', none: '未理解' };
export const intentName = (k: string) => INTENT_NAMES[k] ?? k;

/** Every day of the period, quiet ones included (the API lists only days with questions). */
export function trendOf(intents: Intents, days: readonly string[]): TrendSeries {
  const keys = [...new Set(intents.days.flatMap((d) => Object.keys(d.intents)))];
  const on = new Map(intents.days.map((d) => [d.day, d.intents]));
  return {
    days: days.map(shortDay),
    series: keys.map((k) => ({ name: intentName(k), values: days.map((d) => on.get(d)?.[k] ?? 0) })),
  };
}

/** Questions per day, stacked by intent. */
export function Trend({ data, testId = 'trend-chart' }: { data: TrendSeries; testId?: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let dispose: (() => void) | undefined;
    let gone = false;
    void import('./trend-chart.ts').then(({ drawTrend }) => {
      if (!gone && el.current) dispose = drawTrend(el.current, data);
    });
    return () => {
      gone = true;
      dispose?.();
    };
  }, [data]);
  return <div ref={el} data-testid={testId} style={{ height: 300, width: '100%' }} />;
}

export const reasonName = (r: ZeroRow['reason']) => (r === 'no_results' ? '无结果' : '未理解');

export const queryColumns = [
  { title: '问题', dataIndex: 'query', key: 'query' },
  { title: '次数', dataIndex: 'count', key: 'count', width: 72 },
  { title: '人数', dataIndex: 'followers', key: 'followers', width: 72 },
  { title: '最近一次', dataIndex: 'last_asked_at', key: 'last', width: 150, render: (v: string) => beijingTime(v) },
];
export const reasonColumn = {
  title: '原因', dataIndex: 'reason', key: 'reason', width: 90,
  render: (r: ZeroRow['reason']) => <Tag color={r === 'no_results' ? 'orange' : 'red'}>{reasonName(r)}</Tag>,
};
export const zeroColumns = [...queryColumns.slice(0, 2), reasonColumn, ...queryColumns.slice(3)];
