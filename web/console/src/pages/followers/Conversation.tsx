/**
 * A follower's last messages as a conversation, oldest at the top: what they sent (left), and under it how the
 * bot answered — the rule or skill, and the catalogue items the answer showed (right). The answer log keeps what
 * answered and what it showed, not the reply's words.
 */
import { useEffect, useRef } from 'react';
import { Empty, Flex, Typography } from 'antd';
import { answererLine, answererOf } from '../../components/answered-by.ts';
import { beijingTime } from '../../time.ts';
import type { Activity } from './model.ts';

const bubble: React.CSSProperties = {
  borderRadius: 6, padding: '6px 10px', maxWidth: '85%', whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 14, lineHeight: 1.6,
};

export function Conversation({ messages }: { messages: Activity['messages'] }) {
  const box = useRef<HTMLDivElement>(null);
  // Like a chat, the newest message shows first: the box starts scrolled to its end.
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [messages]);
  if (messages.length === 0) return <Empty description="还没有发过消息" />;
  return (
    <Flex vertical gap={12} ref={box} style={{ background: '#f5f5f5', padding: 12, borderRadius: 8, maxHeight: 560, overflowY: 'auto' }} data-testid="follower-messages">
      {[...messages].reverse().map((m) => {
        const answerer = answererLine(answererOf(m.answered_by, m.rule));
        const shown = m.shown.map((s) => s.title ?? s.id);
        return (
          <div key={m.id} data-testid="follower-message">
            <Typography.Text type="secondary" style={{ fontSize: 11, display: 'block', textAlign: 'center' }}>{beijingTime(m.at)}</Typography.Text>
            <Flex justify="flex-start">
              <div style={{ ...bubble, background: '#fff', boxShadow: '0 1px 1px rgba(0,0,0,0.06)' }} data-testid="follower-said">{m.text}</div>
            </Flex>
            <Flex justify="flex-end" style={{ marginTop: 4 }}>
              <div style={{ ...bubble, background: '#d9f7be' }} data-testid="bot-answered">
                <div>{answerer}</div>
                {shown.length > 0 && <div style={{ fontSize: 12, color: '#555' }}>展示：{shown.join('、')}</div>}
              </div>
            </Flex>
          </div>
        );
      })}
    </Flex>
  );
}
