/**
 * The editor's live preview: a phone showing what a follower sends and what comes back — every reply, or for
 * 「随机回复一条」 one of them at a time (换一条 shows another), as the bot would send it.
 */
import { useState } from 'react';
import { Button, Flex, Typography } from 'antd';
import { ChatLine, PhoneFrame } from '../../components/PhoneFrame.tsx';
import { ReplyBubble } from '../../components/ReplyBubble.tsx';
import type { RuleValues } from './form.ts';
import { replyInput } from './form.ts';
import { previewOf, type RuleReply } from './model.ts';

/** What the follower did, in the phone's words. */
function trigger(v: RuleValues): string {
  if (v.kind === 'keyword') {
    const first = (v.keywords ?? [])[0];
    if (!first) return '（粉丝发来的消息）';
    return v.match === 'regex' ? `（符合正则 ${first} 的消息）` : v.match === 'contains' ? `……${first}……` : first;
  }
  const key = (v.keys ?? [])[0];
  switch (v.event) {
    case 'follow':
      return '（关注了公众号）';
    case 'scene':
      return `（扫描场景值为 ${key ?? '…'} 的二维码）`;
    case 'click':
      return `（点击了菜单 ${key ?? '…'}）`;
    default:
      return '（一条没有其他回复的消息）';
  }
}

export function RulePreview({ values, title }: { values: RuleValues; title: string }) {
  const [pick, setPick] = useState(0);
  const replies = (values.replies ?? []).map((r) => replyInput(r) as unknown as RuleReply);
  const random = values.reply_mode === 'random' && replies.length > 1;
  const shown = random ? [replies[pick % replies.length]!] : replies;
  return (
    <Flex vertical gap={8} align="center" data-testid="rule-preview">
      <PhoneFrame title={title} height={520}>
        <ChatLine from="follower">{trigger(values)}</ChatLine>
        {shown.map((r, i) => (
          <ChatLine key={i} from="bot">
            <ReplyBubble reply={previewOf(r)} />
          </ChatLine>
        ))}
      </PhoneFrame>
      {random ? (
        <Flex gap={8} align="center" wrap justify="center">
          <Typography.Text type="secondary" data-testid="random-note">随机回复一条：每次从 {replies.length} 条中随机发送一条，这是第 {(pick % replies.length) + 1} 条</Typography.Text>
          <Button size="small" onClick={() => setPick((p) => p + 1)}>换一条</Button>
        </Flex>
      ) : replies.length > 1 ? (
        <Typography.Text type="secondary">全部回复：{replies.length} 条依次发送</Typography.Text>
      ) : null}
    </Flex>
  );
}
