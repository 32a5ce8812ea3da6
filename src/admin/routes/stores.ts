/** `/api/stores`: stores and their QR codes (followers: followers.ts). */
import { z } from 'zod';
import { MerchantError } from '../../core/errors.ts';
import { createStoreQrCode, MAX_TEMPORARY_SECONDS } from '../../merchant/shops/qr.ts';
import { createStoreRegistry, qrCodeToJson, storeInputSchema, storePatchSchema, storeToJson } from '../../merchant/shops/registry.ts';
import type { AdminApiOptions } from '../options.ts';
import { storeQrImageRoutes } from './store-qr-images.ts';
import { created, decodeCursor, isoTime, noBody, noContent, notFound, page, pageOf, pageQuery, route, type Route } from '../http.ts';

const storeJson = z.strictObject({
  id: z.string(),
  name: z.string(),
  city: z.string().nullable(),
  address: z.string().nullable().describe('where the store is; 「门店在哪」 is answered with it'),
  hours: z.string().nullable().describe('when it is open (每天 10:00–22:00); 「几点开门」 is answered with it'),
  welcome: z.string().nullable().describe('sent on following or scanning through the store\'s code (null: the usual welcome)'),
  created_at: isoTime,
  updated_at: isoTime,
});

const qrCodeJson = z.strictObject({
  id: z.number().int(),
  store: z.string(),
  scene: z.string(),
  permanent: z.boolean(),
  ticket: z.string(),
  url: z.string().describe('what the code encodes'),
  show_url: z.string().describe('the code\'s image'),
  expires_at: isoTime.nullable(),
  created_at: isoTime,
});

const qrBody = z.strictObject({
  temporary: z.boolean({ error: 'temporary: true for a code that expires (default: permanent)' }).default(false),
  expire_seconds: z
    .number({ error: `expire_seconds: 1 to ${MAX_TEMPORARY_SECONDS} (30 days)` })
    .int(`expire_seconds: a whole number of seconds`)
    .min(1, `expire_seconds: 1 to ${MAX_TEMPORARY_SECONDS} (30 days)`)
    .max(MAX_TEMPORARY_SECONDS, `expire_seconds: at most ${MAX_TEMPORARY_SECONDS} (30 days)`)
    .optional(),
});

export function storeRoutes(deps: AdminApiOptions): Route[] {
  const stores = createStoreRegistry(deps.sql, deps.clock);
  const tag = 'stores';
  const store = async (account: string, id: string) => {
    const s = await stores.get(account, id);
    if (!s) throw notFound(`store ${id}`);
    return s;
  };
  return [
    route({
      method: 'get', path: '/stores', id: 'listStores', tag, summary: 'List stores (by id)', query: pageQuery, response: pageOf(storeJson),
      handler: async ({ account, query }) =>
        page(await stores.list(account, { limit: query.limit + 1, after: decodeCursor<string>(query.cursor, 'string') }), query.limit, (s) => s.id, storeToJson),
    }),
    route({
      method: 'post', path: '/stores', id: 'createStore', tag, summary: 'Create a store (its id becomes the scene of its QR codes)', body: storeInputSchema, status: 201, response: storeJson,
      handler: async ({ account, body }) => created(storeToJson(await stores.create(account, body))),
    }),
    route({
      method: 'get', path: '/stores/:id', id: 'getStore', tag, summary: 'Read a store', response: storeJson,
      handler: async ({ account, params }) => storeToJson(await store(account, params.id!)),
    }),
    route({
      method: 'patch', path: '/stores/:id', id: 'updateStore', tag, summary: 'Change a store (name, city, address, hours, welcome; null clears any but the name)', body: storePatchSchema, response: storeJson,
      handler: async ({ account, params, body }) => {
        const s = await stores.update(account, params.id!, body);
        if (!s) throw notFound(`store ${params.id}`);
        return storeToJson(s);
      },
    }),
    route({
      method: 'delete', path: '/stores/:id', id: 'deleteStore', tag, summary: 'Delete a store (followers keep their attribution)', response: noBody,
      handler: async ({ account, params }) => {
        if (!(await stores.remove(account, params.id!))) throw notFound(`store ${params.id}`);
        return noContent;
      },
    }),
    route({
      method: 'post', path: '/stores/:id/qrcodes', id: 'createStoreQrCode', tag, summary: 'Create a QR code for the store through the WeChat API (permanent unless temporary)',
      body: qrBody, status: 201, response: qrCodeJson,
      handler: async ({ account, params, body }) => {
        await store(account, params.id!);
        const client = deps.qrClient(account);
        if (!client) throw new MerchantError('unavailable', 'this account has no WeChat API access (WECHAT_APPID and WECHAT_APPSECRET, or the simulator): QR codes cannot be created');
        const qr = await createStoreQrCode({
          stores, client, account, storeId: params.id!, permanent: !body.temporary, expireSeconds: body.temporary ? body.expire_seconds : undefined, clock: deps.clock,
        });
        return created(qrCodeToJson(qr));
      },
    }),
    route({
      method: 'get', path: '/stores/:id/qrcodes', id: 'listStoreQrCodes', tag, summary: 'The QR codes created for the store', response: z.strictObject({ items: z.array(qrCodeJson) }),
      handler: async ({ account, params }) => {
        await store(account, params.id!);
        return { items: (await stores.qrCodes(account, params.id!)).map(qrCodeToJson) };
      },
    }),
    ...storeQrImageRoutes(deps),
  ];
}
