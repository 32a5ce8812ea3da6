import type { Links } from '../../web/links.ts';
import type { LinkFor } from '../replies.ts';

/** Items link to their page on this server, which escapes everything and links on to the merchant. */
export function linksFor(links: Links): LinkFor {
  return {
    product: (p) => links.product(p.sku),
    hotel: (h) => links.hotel(h.id),
    deal: (d) => links.deal(d.id),
  };
}
