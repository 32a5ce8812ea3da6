/** The period the stores' numbers cover: today, the last 7 or 30 Beijing days, or a range picked (as on 数据). */
import { useMemo, useState, type ReactNode } from 'react';
import { DatePicker, Segmented, Space, Typography } from 'antd';
import { beijingDayBefore } from '../../time.ts';
import { periodOf, type Period, type PeriodKind } from '../reports/period.ts';

const PERIODS: { label: string; value: PeriodKind }[] = [
  { label: '今天', value: 'today' },
  { label: '近7天', value: '7' },
  { label: '近30天', value: '30' },
  { label: '自定义', value: 'custom' },
];

/** The period chosen and the bar that chooses it. */
export function usePeriodBar(): { period: Period; bar: ReactNode } {
  const [kind, setKind] = useState<PeriodKind>('30');
  const [custom, setCustom] = useState<Period | null>(null);
  const today = beijingDayBefore(Date.now(), 0);
  const { from, to } = periodOf(kind, Date.now(), custom);
  const period = useMemo((): Period => ({ from, to }), [from, to]);
  const bar = (
    <Space wrap>
      <Segmented<PeriodKind> value={kind} onChange={setKind} options={PERIODS} aria-label="时间范围" />
      {kind === 'custom' && (
        <DatePicker.RangePicker
          aria-label="自定义日期"
          format="YYYY-MM-DD"
          allowClear={false}
          disabledDate={(d) => d.format('YYYY-MM-DD') > today}
          onChange={(_, [f, t]) => setCustom(f && t ? { from: f, to: t } : null)}
        />
      )}
      <Typography.Text type="secondary">{from === to ? from : `${from} 至 ${to}`}（北京时间）</Typography.Text>
    </Space>
  );
  return { period, bar };
}
