/**
 * 数据 › 客服问题: the messages that need a person (followers who asked for one — 人工, 找客服 — and complaints), newest
 * first, and the service questions answered in the period by topic (/api/stats/needs-person, /api/stats/service-questions).
 * Service questions are answered, not catalogue gaps: they never show under 无结果问题.
 */
import { Alert, Card, Table, Tag } from 'antd';
import { beijingTime } from '../../time.ts';
import { csvName, ExportButton, useReport } from './sections.tsx';
import type { CsvColumn } from './csv.ts';
import type { Period } from './period.ts';

interface PersonRow {
  text: string;
  user: string;
  channel: string;
  reason: 'asked_for_person' | 'complaint';
  handoff: 'transfer' | 'text';
  at: string;
}

interface TopicRow {
  topic: string;
  count: number;
  followers: number;
}

const TOPIC_NAMES: Readonly<Record<string, string>> = {
  human: '找人工', how_to_order: '怎么下单', cod: '付款方式', shipping_time: '发货时间', shipping_fee: '运费/包邮', returns: '退换货',
  authenticity: '是否正品', sizes: '尺码', stores: '门店与营业时间', coupons: '优惠', who_are_you: '你是谁', out_of_scope: '闲聊（答不上来）', complaint: '投诉',
};
const topicName = (t: string) => TOPIC_NAMES[t] ?? t;
const reasonName = (r: PersonRow['reason']) => (r === 'complaint' ? '投诉' : '要人工');
const handoffName = (h: PersonRow['handoff']) => (h === 'transfer' ? '已转微信客服' : '已回复文字');

const personCsv: CsvColumn<PersonRow>[] = [
  { title: '时间（北京时间）', value: (r) => beijingTime(r.at) },
  { title: '粉丝', value: (r) => r.user },
  { title: '类型', value: (r) => reasonName(r.reason) },
  { title: '处理', value: (r) => handoffName(r.handoff) },
  { title: '消息', value: (r) => r.text },
];
const topicCsv: CsvColumn<TopicRow>[] = [
  { title: '问题类型', value: (r) => topicName(r.topic) },
  { title: '次数', value: (r) => r.count },
  { title: '人数', value: (r) => r.followers },
];

export function ServiceQuestions({ period }: { period: Period }) {
  const people = useReport<{ items: PersonRow[] }>('/stats/needs-person?limit=100', period);
  const topics = useReport<{ items: TopicRow[] }>('/stats/service-questions', period);
  return (
    <>
      <Card title="需要人工处理" style={{ marginBottom: 16 }} extra={<ExportButton name={csvName('需要人工处理', period)} columns={personCsv} rows={people.data?.items} />}>
        {people.error && <Alert type="error" showIcon title={people.error} />}
        <Table<PersonRow>
          size="small"
          rowKey={(r) => `${r.user} ${r.at}`}
          dataSource={people.data?.items ?? []}
          loading={!people.data && !people.error}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: true }}
          data-testid="needs-person"
          columns={[
            { title: '时间', dataIndex: 'at', width: 150, render: (t: string) => beijingTime(t) },
            { title: '粉丝', dataIndex: 'user', width: 160, ellipsis: true },
            { title: '类型', dataIndex: 'reason', width: 80, render: (r: PersonRow['reason']) => <Tag color={r === 'complaint' ? 'red' : 'blue'}>{reasonName(r)}</Tag> },
            { title: '处理', dataIndex: 'handoff', width: 110, render: handoffName },
            { title: '消息', dataIndex: 'text' },
          ]}
        />
      </Card>
      <Card title="客服问题（按类型）" extra={<ExportButton name={csvName('客服问题', period)} columns={topicCsv} rows={topics.data?.items} />}>
        {topics.error && <Alert type="error" showIcon title={topics.error} />}
        <Table<TopicRow>
          size="small"
          rowKey="topic"
          dataSource={topics.data?.items ?? []}
          loading={!topics.data && !topics.error}
          pagination={false}
          data-testid="service-topics"
          columns={[
            { title: '问题类型', dataIndex: 'topic', render: topicName },
            { title: '次数', dataIndex: 'count', width: 100 },
            { title: '人数', dataIndex: 'followers', width: 100 },
          ]}
        />
      </Card>
    </>
  );
}
