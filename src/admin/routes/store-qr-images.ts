/**
 * `/api/stores/:id/qrcodes/:qr/image` and `…/poster`: a store's QR code drawn here from the URL WeChat encodes
 * (PNG at 300 dpi or SVG in millimetres, at the print sizes 8, 12 and 30 cm), and the poster template (SVG,
 * A4 or A5). Downloads named after the store and the code (`sh-jingan-3-8cm.png`). Store staff: their store's.
 */
import { z } from 'zod';
import { QR_FORMATS, QR_SIZES, qrPng, qrSvg } from '../../merchant/shops/qr-image.ts';
import { DEFAULT_POSTER_TEXT, POSTER_PAPERS, posterSvg } from '../../merchant/shops/qr-poster.ts';
import { createStoreRegistry } from '../../merchant/shops/registry.ts';
import type { AdminApiOptions } from '../options.ts';
import { download, notFound, route, type Route } from '../http.ts';

const PNG = 'image/png';
const SVG = 'image/svg+xml';

const imageQuery = z.object({
  format: z.enum(QR_FORMATS, { error: 'format: png or svg' }).default('png').describe('png (default, 300 dpi) or svg (sized in millimetres)'),
  size: z.enum(QR_SIZES, { error: 'size: 8cm, 12cm or 30cm' }).default('8cm')
    .describe('the printed side: 8cm (945 px), 12cm (1417 px) or 30cm (3543 px) at 300 dpi'),
});
const posterQuery = z.object({
  format: z.enum(['svg'], { error: 'format: svg (the poster is an SVG page; print it or export it from a viewer)' }).default('svg'),
  paper: z.enum(POSTER_PAPERS, { error: 'paper: a4 or a5' }).default('a4'),
  text: z.string().trim().min(1, 'text: the call to scan, 1 to 30 characters').max(30, 'text: at most 30 characters').optional()
    .describe(`the call to scan under the code (default 「${DEFAULT_POSTER_TEXT}」)`),
});

export function storeQrImageRoutes(deps: AdminApiOptions): Route[] {
  const stores = createStoreRegistry(deps.sql, deps.clock);
  const tag = 'stores';
  /** The store and one of its codes, or 404 (a code of another store is not found either). */
  const find = async (account: string, storeId: string, qrId: string) => {
    const store = await stores.get(account, storeId);
    if (!store) throw notFound(`store ${storeId}`);
    const qr = /^\d+$/.test(qrId) ? (await stores.qrCodes(account, storeId)).find((q) => q.id === Number(qrId)) : undefined;
    if (!qr) throw notFound(`QR code ${qrId} of store ${storeId}`);
    return { store, qr };
  };
  return [
    route({
      method: 'get', path: '/stores/:id/qrcodes/:qr/image', id: 'getStoreQrImage', tag, query: imageQuery,
      summary: 'A store\'s QR code as an image drawn from the URL it encodes: PNG (300 dpi) or SVG, 8, 12 or 30 cm square (store staff: their store\'s)',
      produces: PNG, response: z.string(),
      returns: 'a file: the PNG (image/png), or with format=svg the SVG (image/svg+xml), as an attachment named after the store, the code and the size, e.g. sh-jingan-3-8cm.png',
      handler: async ({ account, params, query }) => {
        const { store, qr } = await find(account, params.id!, params.qr!);
        const name = `${store.id}-${qr.id}-${query.size}.${query.format}`;
        return query.format === 'png' ? download(await qrPng(qr.url, query.size), PNG, name) : download(await qrSvg(qr.url, query.size), SVG, name);
      },
    }),
    route({
      method: 'get', path: '/stores/:id/qrcodes/:qr/poster', id: 'getStoreQrPoster', tag, query: posterQuery,
      summary: 'A poster for a store\'s QR code: an SVG page (A4 or A5) with the store\'s name, its welcome line, the code and a call to scan (store staff: their store\'s)',
      produces: SVG, response: z.string(),
      returns: 'a file: the SVG page (image/svg+xml), as an attachment named e.g. sh-jingan-3-poster-a4.svg',
      handler: async ({ account, params, query }) => {
        const { store, qr } = await find(account, params.id!, params.qr!);
        const svg = await posterSvg({ url: qr.url, storeName: store.name, city: store.city, welcome: store.welcome, text: query.text, paper: query.paper });
        return download(svg, SVG, `${store.id}-${qr.id}-poster-${query.paper}.svg`);
      },
    }),
  ];
}
