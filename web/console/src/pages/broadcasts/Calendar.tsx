/**
 * 日历: what is scheduled over the coming four weeks (GET /broadcasts/calendar), week by week from Monday, with
 * each week's broadcasts against the weekly cap (a follower in every audience would receive them all; past the
 * cap, the rest skip them). Runs already made show how they went; an entry opens its campaign.
 */
import { useEffect, useState } from 'react';
import { Alert, Card, Empty, Flex, List, Progress, Skeleton, Tag, Typography } from 'antd';
import { api } from '../../api.ts';
import { shortDay } from '../../time.ts';
import { withWeekday } from './PreviewPanel.tsx';
import type { CalendarJson } from './model.ts';

const dayKey = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
/** The last day of a week ending (excluded) at `end`. */
const lastDay = (end: string) => dayKey.format(new Date(Date.parse(end) - 1));

export function Calendar({ navigate }: { navigate: (to: string) => void }) {
  const [data, setData] = useState<CalendarJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const from = new Date();
    const to = new Date(from.getTime() + 28 * 86_400_000);
    api<CalendarJson>('GET', `/broadcasts/calendar?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`).then(setData, (e: Error) => setError(e.message));
  }, []);
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!data) return <Skeleton active />;
  const cap = data.weekly_cap;
  return (
    <Flex vertical gap={16} data-testid="calendar">
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        未来四周的群发（北京时间）。每周上限：每位粉丝任意 7 天内最多收到 {cap} 条（在「设置 › 群发与免打扰」修改）；同一粉丝在几条群发的受众里时，超出上限的会被跳过。
      </Typography.Paragraph>
      {data.weeks.map((w) => {
        const over = w.pushes > cap;
        return (
          <Card key={w.start} size="small" data-testid="calendar-week"
            title={`${shortDay(dayKey.format(new Date(w.start)))} – ${shortDay(lastDay(w.end))}`}
            extra={<Typography.Text type={over ? 'danger' : 'secondary'} data-testid="cap-use">{w.pushes} 条 / 每周上限 {cap} 条</Typography.Text>}>
            <Progress percent={cap > 0 ? Math.min(100, Math.round((w.pushes / cap) * 100)) : w.pushes > 0 ? 100 : 0} status={over ? 'exception' : 'normal'} showInfo={false} size="small" />
            {w.entries.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="这一周没有群发" /> : (
              <List size="small" dataSource={w.entries} renderItem={(e) => (
                <List.Item style={{ cursor: 'pointer' }} onClick={() => navigate(`/broadcasts/${e.broadcast}`)} data-testid="calendar-entry">
                  <Flex gap={8} wrap align="center">
                    <Typography.Text>{withWeekday(e.at)}</Typography.Text>
                    <a href={`/admin/broadcasts/${e.broadcast}`} onClick={(ev) => ev.preventDefault()}>{e.name}</a>
                    {e.kind === 'run' ? <Tag color={e.status === 'done' ? 'green' : 'default'}>已发送</Tag> : <Tag color="blue">待发送</Tag>}
                  </Flex>
                </List.Item>
              )} />
            )}
            {over ? <Typography.Text type="danger" style={{ fontSize: 13 }}>这一周排了 {w.pushes} 条，超过每周上限 {cap} 条：在几条群发受众里的粉丝，超出的会被跳过。</Typography.Text> : null}
          </Card>
        );
      })}
      {data.weeks.every((w) => w.entries.length === 0) ? <Typography.Text type="secondary">未来四周没有排期的群发。新建群发时选择「定时一次」「每天」或「每周」即可排期。</Typography.Text> : null}
    </Flex>
  );
}
