/**
 * A channel-neutral `Reply` as chat messages: readable text (a chat shows `<a href>` markup literally, so
 * links become their label, or label and URL) plus UrlLink cards for the first items of a list and for
 * news articles. Cards are built from what the reply already says: no page is fetched. Pure functions.
 */
import type { Reply } from '../../core/messages.ts';

/** A link card as Wechaty's UrlLink payload expects it. */
interface LinkCard {
  readonly title: string;
  readonly description: string;
  readonly url: string;
  readonly thumbnailUrl?: string;
}

export type ChatMessageOut = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'card'; readonly card: LinkCard };

/** Cards per answer: each card is one more message from the account, and bursts get accounts restricted. */
export const MAX_CARDS = 3;

const ANCHOR = /<a href="([^"]*)">([^<]*)<\/a>/g;
/** A numbered item line of a result list: `3. <a href="…">title</a> ¥199 · 静安区`. */
const ITEM = /^(\d{1,3})\.\s+<a href="([^"]*)">([^<]*)<\/a>\s*(.*)$/;

/**
 * @example
 * renderForChat({ type: 'text', text: '1. <a href="https://s.example/p/1">连衣裙</a> ¥199' })
 * // → [{ kind: 'text', text: '1. 连衣裙 ¥199' }, { kind: 'card', card: { title: '连衣裙', description: '¥199', url: 'https://s.example/p/1' } }]
 */
export function renderForChat(reply: Reply, options: { maxCards?: number } = {}): ChatMessageOut[] {
  const maxCards = options.maxCards ?? MAX_CARDS;
  switch (reply.type) {
    case 'text': {
      const cards: LinkCard[] = [];
      const lines = reply.text.split('\n').map((line) => {
        const item = ITEM.exec(line);
        if (item) {
          const [, n, url, title, rest] = item as unknown as [string, string, string, string, string];
          const description = rest.replace(/^[·\s]+/, '').trim();
          if (cards.length < maxCards) cards.push({ title, description, url });
          // The card (or the list page) carries the link; the line stays short.
          return `${n}. ${title}${rest ? ` ${rest.trim()}` : ''}`;
        }
        // Any other link: its label and the bare URL, which chat clients make clickable.
        return line.replace(ANCHOR, (_, url: string, label: string) => (label && label !== url ? `${label} ${url}` : url));
      });
      const text = lines.join('\n').trim();
      return [...(text ? [{ kind: 'text' as const, text }] : []), ...cards.map((card) => ({ kind: 'card' as const, card }))];
    }
    case 'news':
      return reply.articles.slice(0, Math.max(1, maxCards)).map((a) => ({
        kind: 'card' as const,
        card: { title: a.title, description: a.description ?? '', url: a.url, ...(a.imageUrl ? { thumbnailUrl: a.imageUrl } : {}) },
      }));
    // A WeChat media id means nothing to another protocol; the adapter logs it.
    case 'image':
    case 'none':
      return [];
  }
}
