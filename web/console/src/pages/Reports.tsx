/**
 * 数据: what followers asked over a period (today, the last 7 or 30 Beijing days, or a range picked), in
 * sections that are part of the address (/admin/reports/zero-results …): the most asked questions, those
 * nothing answered (with one-click answers), the service questions and those that need a person, rule hits, intents, stores, and 转化 (the order funnel and revenue).
 * Each table exports as CSV.
 */
import { useMemo, useState } from 'react';
import { DatePicker, Segmented, Space, Tabs, Typography } from 'antd';
import type { PageProps } from '../page.ts';
import { beijingDayBefore } from '../time.ts';
import { periodOf, type Period, type PeriodKind } from './reports/period.ts';
import { IntentShare, RuleHits, StoreCounts, TopQueries } from './reports/sections.tsx';
import { ZeroResults } from './reports/zero-results.tsx';
import { Conversion } from './reports/conversion.tsx';
import { ServiceQuestions } from './reports/service.tsx';

const SECTIONS = [
  { key: 'top-queries', label: '热门问题' },
  { key: 'zero-results', label: '无结果问题' },
  { key: 'service', label: '客服问题' },
  { key: 'rule-hits', label: '规则命中' },
  { key: 'intents', label: '意图分布' },
  { key: 'stores', label: '门店' },
  { key: 'conversion', label: '转化' },
] as const;
type Section = (typeof SECTIONS)[number]['key'];

const PERIODS: { label: string; value: PeriodKind }[] = [
  { label: '今天', value: 'today' },
  { label: '近7天', value: '7' },
  { label: '近30天', value: '30' },
  { label: '自定义', value: 'custom' },
];

export default function Reports({ user, subpath, navigate }: PageProps) {
  const section: Section = SECTIONS.find((s) => `/${s.key}` === subpath)?.key ?? 'top-queries';
  const [kind, setKind] = useState<PeriodKind>('7');
  const [custom, setCustom] = useState<Period | null>(null);
  const today = beijingDayBefore(Date.now(), 0);
  // A new object only when the days change: the sections reload on a new period, not on every render.
  const { from, to } = periodOf(kind, Date.now(), custom);
  const period = useMemo((): Period => ({ from, to }), [from, to]);
  const canAct = user.role !== 'viewer';

  const body = (key: Section) => {
    switch (key) {
      case 'top-queries':
        return <TopQueries period={period} />;
      case 'zero-results':
        return <ZeroResults period={period} canAct={canAct} navigate={navigate} />;
      case 'service':
        return <ServiceQuestions period={period} />;
      case 'rule-hits':
        return <RuleHits period={period} navigate={navigate} />;
      case 'intents':
        return <IntentShare period={period} />;
      case 'stores':
        return <StoreCounts period={period} />;
      case 'conversion':
        return <Conversion period={period} />;
    }
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 8 }}>
        <Segmented<PeriodKind> value={kind} onChange={setKind} options={PERIODS} aria-label="时间范围" />
        {kind === 'custom' && (
          <DatePicker.RangePicker
            aria-label="自定义日期"
            format="YYYY-MM-DD"
            allowClear={false}
            // Beijing days, compared as text: the picker's own dates are the browser's.
            disabledDate={(d) => d.format('YYYY-MM-DD') > today}
            onChange={(_, [from, to]) => setCustom(from && to ? { from, to } : null)}
          />
        )}
        <Typography.Text type="secondary">
          {period.from === period.to ? period.from : `${period.from} 至 ${period.to}`}（北京时间）
        </Typography.Text>
      </Space>
      <Tabs
        activeKey={section}
        onChange={(key) => navigate(`/reports/${key}`)}
        items={SECTIONS.map((s) => ({ key: s.key, label: s.label, children: s.key === section ? body(s.key) : null }))}
      />
    </>
  );
}
