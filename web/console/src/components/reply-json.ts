/**
 * A bot reply as the admin API returns it (the dry run, the chat, a rule's preview): the same shape as the
 * server's `Reply` (src/core/messages.ts), so one component draws all of them.
 */
interface ArticleJson {
  readonly title: string;
  readonly description?: string;
  readonly url: string;
  readonly imageUrl?: string;
}

export type ReplyJson =
  /** `transfer`: on the official account the follower is handed to its customer-service staff; elsewhere the text is sent. */
  | { readonly type: 'text'; readonly text: string; readonly transfer?: true }
  | { readonly type: 'news'; readonly articles: readonly ArticleJson[] }
  | { readonly type: 'image'; readonly mediaId: string }
  | { readonly type: 'none' };

/** A piece of a text reply: plain text, or one of the `<a href>` links WeChat shows as links. */
export type TextPiece = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'link'; readonly text: string; readonly href: string };

const ANCHOR = /<a\s+href=(["'])(https?:\/\/[^"']+|weixin:\/\/[^"']+)\1[^>]*>([\s\S]*?)<\/a>/gi;

/**
 * Splits a text reply into text and links the way WeChat shows it: only `<a href="http(s)://…">` (and
 * `weixin://`) anchors become links; every other character, markup included, stays text (React escapes it).
 * @example textPieces('点<a href="https://x.cn/p">这里</a>') → [{text:'点'}, {link 这里 → https://x.cn/p}]
 */
export function textPieces(text: string): TextPiece[] {
  const out: TextPiece[] = [];
  let at = 0;
  for (const m of text.matchAll(ANCHOR)) {
    if (m.index > at) out.push({ kind: 'text', text: text.slice(at, m.index) });
    out.push({ kind: 'link', href: m[2]!, text: m[3]!.replace(/<[^>]*>/g, '') });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}
