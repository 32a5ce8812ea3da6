import type { Links } from '../../core/page-links.ts';
import type { LinkFor } from '../replies.ts';

/** Items link to their page on this server, which escapes everything and links on to the merchant. */
export function itemLinks(links: Links): LinkFor {
  return {
    product: (p) => links.product(p.sku),
    hotel: (h) => links.hotel(h.id),
    deal: (d) => links.deal(d.id),
  };
}
