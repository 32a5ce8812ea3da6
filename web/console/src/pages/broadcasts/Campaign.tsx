/**
 * A campaign (`/admin/broadcasts/:id`): what it sends, to whom and when; who it would reach now; send now and
 * cancel (each asks first); the progress of a run while it sends (GET /broadcasts/:id every 1.5 s until the
 * run is done); its runs; and the replies it collected, with the CSV export.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Progress, Result, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { api, ApiError } from '../../api.ts';
import { beijingTime } from '../../time.ts';
import { AudienceCount, MessagePhone, withWeekday } from './PreviewPanel.tsx';
import { Replies } from './Replies.tsx';
import { lastRunText } from './BroadcastList.tsx';
import { CHANNEL_NAMES, editable, KIND_NAMES, RUN_STATUS_NAMES, scheduleText, STATUS_NAMES, type Audience, type BroadcastJson, type DraftPreviewJson, type PreviewJson, type RunJson } from './model.ts';

const POLL_MS = 1500;

function audienceText(a: Audience, storeName: (id: string) => string): string {
  if (a.all) return '全部粉丝';
  const parts: string[] = [];
  if (a.stores) parts.push(`门店：${a.stores.map(storeName).join('、')}`);
  if (a.cities) parts.push(`城市：${a.cities.join('、')}`);
  if (a.tags) parts.push(`标签：${a.tags.join('、')}`);
  if (a.interests) parts.push(`兴趣：${a.interests.join('、')}`);
  if (a.active_within_hours) parts.push(`${a.active_within_hours} 小时内活跃`);
  return parts.join('；');
}

/** A run's progress: sent, failed, skipped and still to send, and a bar to done. */
function RunProgress({ run }: { run: RunJson }) {
  const sent = run.sent ?? 0;
  const failed = (run.failed ?? 0) + (run.unknown ?? 0);
  const settled = sent + failed + (run.cancelled ?? 0);
  const percent = run.planned > 0 ? Math.round((settled / run.planned) * 100) : 100;
  const skipped = Object.values(run.skipped).reduce((a, b) => a + b, 0);
  return (
    <div data-testid="run-progress" data-status={run.status}>
      <Progress percent={run.status === 'done' ? 100 : percent} status={run.status === 'sending' ? 'active' : run.status === 'failed' ? 'exception' : run.status === 'done' ? 'success' : 'normal'} />
      <Space wrap size={16}>
        <Tag color={run.status === 'done' ? 'green' : run.status === 'sending' ? 'processing' : 'default'} data-testid="run-status">{RUN_STATUS_NAMES[run.status]}</Tag>
        <span data-testid="run-sent">已发送 {sent}</span>
        <span>失败 {failed}</span>
        <span>跳过 {skipped}</span>
        <span data-testid="run-pending">待发送 {run.pending ?? 0}</span>
      </Space>
      {run.status === 'sending' && run.not_before && Date.parse(run.not_before) > Date.now() ? (
        <Alert type="info" showIcon title={`免打扰时段，将在 ${beijingTime(run.not_before)} 开始发送`} style={{ marginTop: 8 }} />
      ) : null}
      {run.error ? <Alert type="error" showIcon title={run.error} style={{ marginTop: 8 }} /> : null}
    </div>
  );
}

export function Campaign({ id, writable, navigate }: { id: number; writable: boolean; navigate: (to: string) => void }) {
  const { modal, message } = App.useApp();
  const [b, setB] = useState<BroadcastJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<PreviewJson | null>(null);
  const [shown, setShown] = useState<DraftPreviewJson['message'] | null>(null);
  const [stores, setStores] = useState<Map<string, string>>(new Map());
  const [following, setFollowing] = useState(false);

  const load = useCallback(async () => {
    try {
      const got = await api<BroadcastJson>('GET', `/broadcasts/${id}`);
      setB(got);
      return got;
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? '没有这条群发' : e instanceof Error ? e.message : String(e));
      return null;
    }
  }, [id]);
  const loadPreview = useCallback(() => {
    api<PreviewJson>('GET', `/broadcasts/${id}/preview`).then(setPreview, () => setPreview(null));
  }, [id]);

  useEffect(() => {
    void load().then((got) => {
      if (!got) return;
      if (got.status !== 'done' && got.status !== 'cancelled') loadPreview();
      // The message as sent: a product pick resolved from the catalogue (a dry run, nothing saved).
      const definition = { name: got.name, message: got.message, audience: got.audience, channel: got.channel, ...(got.schedule ? { schedule: got.schedule } : {}), ...(got.replies ? { replies: got.replies } : {}) };
      if (got.message.type === 'product_pick') api<DraftPreviewJson>('POST', '/broadcasts/preview', definition).then((p) => setShown(p.message), () => setShown(null));
    });
    api<{ items: { id: string; name: string }[] }>('GET', '/stores?limit=200').then((r) => setStores(new Map(r.items.map((s) => [s.id, s.name]))), () => {});
  }, [load, loadPreview]);

  const latest = b?.runs.at(-1);
  const sending = following || b?.status === 'sending' || latest?.status === 'sending';
  useEffect(() => {
    if (!sending) return;
    const t = setInterval(() => {
      void load().then((got) => {
        const run = got?.runs.at(-1);
        if (got && run && run.status !== 'sending' && got.status !== 'sending') {
          setFollowing(false);
          loadPreview();
        }
      });
    }, POLL_MS);
    return () => clearInterval(t);
  }, [sending, load, loadPreview]);

  if (error) return <Result status="404" title={error} extra={<Button onClick={() => navigate('/broadcasts')}>返回群发列表</Button>} />;
  if (!b) return <Skeleton active />;

  const sendNow = () => modal.confirm({
    title: `立即发送「${b.name}」？`,
    content: preview ? `现在发送将送达 ${preview.to_send} 人（受众 ${preview.audience} 人）。发出后无法撤回。` : '发出后无法撤回。',
    okText: '立即发送',
    cancelText: '再想想',
    onOk: async () => {
      try {
        await api('POST', `/broadcasts/${b.id}/send`);
        message.success('已开始发送');
        setFollowing(true);
        await load();
      } catch (e) {
        message.error(e instanceof Error ? e.message : String(e));
      }
    },
  });
  const cancel = () => modal.confirm({
    title: `取消「${b.name}」？`,
    content: '取消后不再发送（已排期的也不再发送），还没发出的消息会被撤下。取消后不能恢复。',
    okText: '取消群发',
    okButtonProps: { danger: true },
    cancelText: '不取消',
    onOk: async () => {
      try {
        setB(await api<BroadcastJson>('POST', `/broadcasts/${b.id}/cancel`));
        message.success('已取消');
      } catch (e) {
        message.error(e instanceof Error ? e.message : String(e));
      }
    },
  });
  const open = b.status !== 'done' && b.status !== 'cancelled';

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={15}>
        <Flex vertical gap={16}>
          <Card
            title={<Space wrap><span data-testid="campaign-name">{b.name}</span><Tag color={STATUS_NAMES[b.status].color} data-testid="campaign-status">{STATUS_NAMES[b.status].text}</Tag></Space>}
            extra={<Button type="link" onClick={() => navigate('/broadcasts')}>返回列表</Button>}
          >
            <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
              { key: 'channel', label: '发送方式', children: CHANNEL_NAMES[b.channel] },
              { key: 'kind', label: '消息类型', children: KIND_NAMES[b.message.type] },
              { key: 'audience', label: '受众', children: audienceText(b.audience, (s) => stores.get(s) ?? s) },
              { key: 'schedule', label: '发送时间', children: <span data-testid="campaign-schedule">{scheduleText(b.schedule, withWeekday)}</span> },
              { key: 'replies', label: '收集回复', children: b.replies ? `以「${b.replies.keyword}」开头的回复` : '不收集' },
              { key: 'last', label: '上次发送', children: lastRunText(latest) },
            ]} />
            {writable && open ? (
              <Space wrap style={{ marginTop: 12 }}>
                <Button type="primary" onClick={sendNow} disabled={sending} data-testid="send-now">立即发送</Button>
                {editable(b) && !sending ? <Button onClick={() => navigate(`/broadcasts/${b.id}/edit`)} data-testid="edit-broadcast">修改</Button> : null}
                <Button danger onClick={cancel} data-testid="cancel-broadcast">取消群发</Button>
              </Space>
            ) : null}
          </Card>
          {latest ? <Card size="small" title={`发送进度（${latest.occurrence.startsWith('manual:') ? '手动发送' : '定时发送'}）`}><RunProgress run={latest} /></Card> : null}
          {b.runs.length > 0 && (
            <Card size="small" title="发送记录">
              <Table<RunJson> rowKey="id" size="small" pagination={false} scroll={{ x: 'max-content' }} dataSource={[...b.runs].reverse()} columns={[
                { title: '开始', key: 'at', render: (_, r) => (r.not_before ? beijingTime(r.not_before) : '—') },
                { title: '状态', dataIndex: 'status', render: (s: RunJson['status']) => RUN_STATUS_NAMES[s] },
                { title: '受众', dataIndex: 'audience' },
                { title: '已发送', key: 'sent', render: (_, r) => `${r.sent ?? 0}/${r.planned}` },
                { title: '失败', key: 'failed', render: (_, r) => (r.failed ?? 0) + (r.unknown ?? 0) },
                { title: '跳过', key: 'skipped', render: (_, r) => Object.values(r.skipped).reduce((a, c) => a + c, 0) },
              ]} />
            </Card>
          )}
          {b.replies ? <Replies id={b.id} keyword={b.replies.keyword} refreshKey={b.runs.length} /> : null}
        </Flex>
      </Col>
      <Col xs={24} lg={9}>
        <Flex vertical gap={16}>
          {open ? <AudienceCount preview={preview} loading={false} /> : null}
          <Card size="small" title="粉丝看到的样子">
            <MessagePhone message={b.message.type === 'product_pick' ? shown ?? b.message : b.message} />
          </Card>
          {b.status === 'scheduled' && !preview?.next_runs.length ? <Typography.Text type="secondary">没有以后的发送时间。</Typography.Text> : null}
        </Flex>
      </Col>
    </Row>
  );
}
