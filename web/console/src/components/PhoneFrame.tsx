/**
 * A phone-shaped frame in WeChat's colours: the official account's name on top, the conversation in the
 * middle (scrolls), and an optional input row at the bottom. The rule editor's preview and 对话 use it.
 */
import type { ReactNode } from 'react';

export function PhoneFrame({ title, children, footer, height = 560, width = 320 }: { title: string; children: ReactNode; footer?: ReactNode; height?: number | string; width?: number | string }) {
  return (
    <div data-testid="phone" style={{ width, maxWidth: '100%', height, border: '8px solid #1f1f1f', borderRadius: 28, overflow: 'hidden', display: 'flex', flexDirection: 'column', background: '#ededed' }}>
      <div style={{ padding: '10px 12px', textAlign: 'center', fontWeight: 600, background: '#ededed', borderBottom: '1px solid #d9d9d9' }}>{title}</div>
      <div style={{ flex: 1, overflowY: 'auto', padding: 12, display: 'flex', flexDirection: 'column', gap: 10 }}>{children}</div>
      {footer ? <div style={{ borderTop: '1px solid #d9d9d9', background: '#f7f7f7', padding: 8 }}>{footer}</div> : null}
    </div>
  );
}

/** One line of the conversation: the follower's on the right (green), the bot's on the left. */
export function ChatLine({ from, children }: { from: 'follower' | 'bot'; children: ReactNode }) {
  const mine = from === 'follower';
  return (
    <div style={{ display: 'flex', justifyContent: mine ? 'flex-end' : 'flex-start' }}>
      <div style={mine ? { background: '#95ec69', borderRadius: 6, padding: '8px 12px', maxWidth: '80%', whiteSpace: 'pre-wrap', wordBreak: 'break-word' } : { maxWidth: '85%' }}>{children}</div>
    </div>
  );
}
