/**
 * What a broadcast comes to: the message on a phone as the follower sees it, and the audience count — who
 * would receive it now and who would be skipped and why — with the warning when it would reach nobody and
 * the schedule's next run times. Shared by the editor (a definition not saved) and a campaign's page.
 */
import { Alert, Card, Descriptions, Flex, Spin, Statistic, Typography } from 'antd';
import { PhoneFrame, ChatLine } from '../../components/PhoneFrame.tsx';
import { ReplyBubble } from '../../components/ReplyBubble.tsx';
import { beijingTime } from '../../time.ts';
import { nobodyText, SKIP_NAMES, type DraftPreviewJson, type Message, type PreviewJson, type SkipReason } from './model.ts';

const weekdayFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', weekday: 'short' });
/** 「2026/12/07 10:00 周一」 */
export const withWeekday = (iso: string) => `${beijingTime(iso)} ${weekdayFormat.format(new Date(iso))}`;

/** The message as a reply bubble; a product pick not yet resolved says so. */
function MessageBubble({ message }: { message: Message | null }) {
  if (!message) return <Typography.Text type="secondary">（填写消息内容后显示）</Typography.Text>;
  switch (message.type) {
    case 'text':
      return message.content ? <ReplyBubble reply={{ type: 'text', text: message.content }} /> : <Typography.Text type="secondary">（填写文字后显示）</Typography.Text>;
    case 'news': {
      const a = message.article;
      return <ReplyBubble reply={{ type: 'news', articles: [{ title: a.title || '（标题）', url: a.url || '#', ...(a.description ? { description: a.description } : {}), ...(a.image_url ? { imageUrl: a.image_url } : {}) }] }} />;
    }
    case 'mpnews':
      return <ReplyBubble reply={{ type: 'text', text: `[图文素材] ${message.media_id || '（media_id）'}` }} />;
    case 'product_pick':
      return <Typography.Text type="secondary">商品精选「{message.title || '…'}」：发送时从商品库挑选，填写完整后显示</Typography.Text>;
  }
}

export function MessagePhone({ message, title = '公众号' }: { message: Message | null; title?: string }) {
  return (
    <Flex justify="center">
      <PhoneFrame title={title} height={420} width={300}>
        <ChatLine from="bot"><MessageBubble message={message} /></ChatLine>
      </PhoneFrame>
    </Flex>
  );
}

/** The live count: who would receive it, who is skipped and why, and why it would reach nobody. */
export function AudienceCount({ preview, loading, missing }: { preview: PreviewJson | DraftPreviewJson | null; loading: boolean; missing?: string[] }) {
  const skipped = preview ? (Object.entries(preview.skipped) as [SkipReason, number][]).filter(([, n]) => n > 0) : [];
  const nobody = preview ? nobodyText(preview) : null;
  return (
    <Card title="受众人数（现在发送的话）" size="small" extra={loading ? <Spin size="small" /> : null} data-testid="audience-count">
      {missing && missing.length > 0 ? (
        <Alert type="info" showIcon title={`填写完整后显示人数：${missing.join('、')}`} style={{ marginBottom: 12 }} />
      ) : null}
      {preview ? (
        <>
          <Flex gap={24} wrap>
            <Statistic title="将收到" value={preview.to_send} suffix="人" data-testid="to-send" />
            <Statistic title="受众" value={preview.audience} suffix="人" data-testid="audience-total" />
            <Statistic title="跳过" value={preview.audience - preview.to_send} suffix="人" />
          </Flex>
          {skipped.length > 0 && (
            <Descriptions size="small" column={1} style={{ marginTop: 12 }} title={<Typography.Text type="secondary" style={{ fontSize: 13 }}>跳过的原因</Typography.Text>}
              items={skipped.map(([r, n]) => ({ key: r, label: SKIP_NAMES[r], children: `${n} 人` }))} data-testid="skipped" />
          )}
          {preview.quiet_hours_until ? <Alert type="info" showIcon style={{ marginTop: 12 }} title={`现在是免打扰时段，将在 ${beijingTime(preview.quiet_hours_until)} 开始发送`} /> : null}
          {preview.blocked ? <Alert type="error" showIcon style={{ marginTop: 12 }} title={preview.blocked} /> : null}
          {nobody || ('warning' in preview && preview.warning) ? (
            <Alert type="warning" showIcon style={{ marginTop: 12 }} data-testid="nobody" title={nobody ?? '这条群发现在不会送达任何人'}
              description={'warning' in preview && preview.warning && !nobody ? preview.warning : undefined} />
          ) : null}
          {preview.next_runs.length > 0 && (
            <div style={{ marginTop: 12 }} data-testid="next-runs">
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>接下来的发送时间（北京时间）</Typography.Text>
              <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>{preview.next_runs.map((t) => <li key={t}>{withWeekday(t)}</li>)}</ul>
            </div>
          )}
        </>
      ) : !missing?.length ? <Spin /> : null}
    </Card>
  );
}
