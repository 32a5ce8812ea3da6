/** A `Reply` as a customer-service message (the shape the API client sends); null when there is nothing to send. */
import type { Reply } from '../../core/messages.ts';
import type { CustomerMessage } from '../../wechat-api/client.ts';
import { fitText } from './xml.ts';

export function toCustomerMessage(reply: Reply): CustomerMessage | null {
  switch (reply.type) {
    case 'text':
      return reply.text.trim() ? { type: 'text', content: fitText(reply.text) } : null;
    case 'news':
      // The customer-service API also allows one article only.
      return reply.articles.length > 0 ? { type: 'news', articles: reply.articles.slice(0, 1) } : null;
    case 'image':
      return { type: 'image', mediaId: reply.mediaId };
    case 'none':
      return null;
  }
}
