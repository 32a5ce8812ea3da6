/**
 * One bot reply drawn the way a follower's phone shows it: a text bubble (its `<a href>` links as links), a
 * news card (the first article large with its picture, the rest as rows), an image, or 「（不回复）」.
 * Used by the rule editor's preview, the test box, the 对话 screen and the catalogue's reply preview.
 */
import { Typography } from 'antd';
import { textPieces, type ReplyJson } from './reply-json.ts';

const bubble: React.CSSProperties = {
  background: '#fff', borderRadius: 6, padding: '8px 12px', maxWidth: '100%', whiteSpace: 'pre-wrap', wordBreak: 'break-word',
  boxShadow: '0 1px 1px rgba(0,0,0,0.06)', fontSize: 14, lineHeight: 1.6,
};

export function ReplyBubble({ reply, onLink }: { reply: ReplyJson; onLink?: (href: string) => void }) {
  const link = (href: string, text: string, key?: number) => (
    <a key={key} href={href} target="_blank" rel="noreferrer noopener" onClick={onLink ? (e) => { e.preventDefault(); onLink(href); } : undefined}>
      {text}
    </a>
  );
  switch (reply.type) {
    case 'text':
      return (
        <div style={bubble} data-testid="reply-text">
          {reply.transfer ? <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>（公众号里转接微信客服；其他渠道收到下面的文字）</Typography.Text> : null}
          {textPieces(reply.text).map((p, i) => (p.kind === 'text' ? <span key={i}>{p.text}</span> : link(p.href, p.text, i)))}
        </div>
      );
    case 'news': {
      const [first, ...rest] = reply.articles;
      if (!first) return null;
      return (
        <div style={{ ...bubble, padding: 0, overflow: 'hidden', width: 260 }} data-testid="reply-news">
          <a href={first.url} target="_blank" rel="noreferrer noopener" onClick={onLink ? (e) => { e.preventDefault(); onLink(first.url); } : undefined} style={{ display: 'block', color: 'inherit' }}>
            <div style={{ position: 'relative', height: 120, background: '#e9ecef' }}>
              {first.imageUrl ? <img src={first.imageUrl} alt="" style={{ width: '100%', height: '100%', objectFit: 'cover' }} /> : null}
              <div style={{ position: 'absolute', left: 0, right: 0, bottom: 0, padding: '4px 10px', color: '#fff', background: 'linear-gradient(transparent, rgba(0,0,0,0.6))' }}>{first.title}</div>
            </div>
            {rest.length === 0 && first.description ? <Typography.Paragraph type="secondary" style={{ margin: 0, padding: '6px 10px', fontSize: 12 }}>{first.description}</Typography.Paragraph> : null}
          </a>
          {rest.map((a, i) => (
            <a key={i} href={a.url} target="_blank" rel="noreferrer noopener" onClick={onLink ? (e) => { e.preventDefault(); onLink(a.url); } : undefined}
              style={{ display: 'flex', gap: 8, alignItems: 'center', padding: '6px 10px', borderTop: '1px solid #f0f0f0', color: 'inherit' }}>
              <span style={{ flex: 1, fontSize: 13 }}>{a.title}</span>
              {a.imageUrl ? <img src={a.imageUrl} alt="" style={{ width: 40, height: 40, objectFit: 'cover', borderRadius: 2 }} /> : null}
            </a>
          ))}
        </div>
      );
    }
    case 'image':
      return <div style={bubble} data-testid="reply-image">[图片] {reply.mediaId}</div>;
    case 'none':
      return <Typography.Text type="secondary" data-testid="reply-none">（不回复）</Typography.Text>;
  }
}
