/**
 * `/api/referrers` and `/api/group-leaders`: who refers orders — group-buy leaders (团长) and store staff, each
 * with the code their links carry (`?ref=<code>`) — and which Wechaty group belongs to which leader (orders
 * placed in the group are theirs).
 */
import { z } from 'zod';
import { accountId } from '../../core/messages.ts';
import { say } from '../../core/localised.ts';
import { createStoreRegistry } from '../../merchant/shops/registry.ts';
import { createReferrerStore, isReferrerCode, referrerInputSchema, referrerToJson } from '../../orders/referrers.ts';
import type { AdminApiOptions } from '../options.ts';
import { ApiError, noBody, noContent, notFound, route, type Route } from '../http.ts';
import { referrerJson } from './order-json.ts';

const referrerBody = referrerInputSchema.omit({ code: true });
const groupJson = z.strictObject({
  room: z.string().describe('the Wechaty room id'),
  referrer: z.string().describe('the leader\'s code'),
  referrer_name: z.string().nullable().describe('null when the referrer is gone'),
});
const groupBody = z.strictObject({
  referrer: z.string({ error: say({ en: 'referrer: the leader\'s code', zh: '请选择团长' }) }).trim().min(1, say({ en: 'referrer: the leader\'s code', zh: '请选择团长' })),
});
const ROOM = /^[^\s/]{1,128}$/;

export function referrerRoutes(deps: AdminApiOptions): Route[] {
  const referrers = createReferrerStore(deps.sql, deps.clock);
  const stores = createStoreRegistry(deps.sql, deps.clock);
  const tag = 'orders';
  const bad = (path: string, en: string, zh: string, lang: string) => {
    const message = lang === 'zh' ? zh : en;
    return new ApiError(400, 'validation', message, [{ path, message }]);
  };
  const room = (params: Readonly<Record<string, string>>, lang: string) => {
    if (!ROOM.test(params.room!)) throw bad('room', 'room: the Wechaty room id (up to 128 characters, no spaces)', '群 ID 不对：最多 128 个字符，不含空格', lang);
    return params.room!;
  };
  return [
    route({
      method: 'get', path: '/referrers', id: 'listReferrers', tag, summary: 'Referrers (团长 and store staff) with their codes, by code',
      response: z.strictObject({ items: z.array(referrerJson) }),
      handler: async ({ account }) => ({ items: (await referrers.list(accountId(account))).map(referrerToJson) }),
    }),
    route({
      method: 'put', path: '/referrers/:code', id: 'saveReferrer', tag, body: referrerBody, response: referrerJson,
      summary: 'Add or change a referrer: name, kind (leader | staff), store_id, wechaty_contact, openid, disabled (a disabled code refers nothing)',
      handler: async ({ account, params, body, lang }) => {
        const code = params.code!;
        if (!isReferrerCode(code)) throw bad('code', 'code: letters, digits, - and _ only, 1 to 32 characters', '推荐码只能含字母、数字、- 和 _，最多 32 个字符', lang);
        if (body.store_id && !(await stores.get(account, body.store_id))) throw bad('store_id', `store_id: no store ${body.store_id}`, `没有门店 ${body.store_id}`, lang);
        return referrerToJson(await referrers.save(accountId(account), { ...body, code }));
      },
    }),
    route({
      method: 'get', path: '/group-leaders', id: 'listGroupLeaders', tag, summary: 'Wechaty groups and their leaders (orders placed in a group are referred by its leader)',
      response: z.strictObject({ items: z.array(groupJson) }),
      handler: async ({ account }) => ({
        items: await Promise.all((await referrers.groups(accountId(account))).map(async (g) => ({
          room: g.roomId, referrer: g.referrer, referrer_name: (await referrers.get(accountId(account), g.referrer))?.name ?? null,
        }))),
      }),
    }),
    route({
      method: 'put', path: '/group-leaders/:room', id: 'setGroupLeader', tag, body: groupBody, response: groupJson,
      summary: 'Set a Wechaty group\'s leader (a referrer\'s code)',
      handler: async ({ account, params, body, lang }) => {
        const id = room(params, lang);
        const leader = await referrers.get(accountId(account), body.referrer);
        if (!leader) throw bad('referrer', `referrer: no referrer ${body.referrer} (add one: PUT /api/referrers/{code})`, `没有推荐码为 ${body.referrer} 的团长，请先添加`, lang);
        await referrers.setGroupLeader(accountId(account), id, leader.code);
        return { room: id, referrer: leader.code, referrer_name: leader.name };
      },
    }),
    route({
      method: 'delete', path: '/group-leaders/:room', id: 'removeGroupLeader', tag, summary: 'Remove a group\'s leader (its orders are referred by nobody from now on)', response: noBody,
      handler: async ({ account, params, lang }) => {
        const id = room(params, lang);
        if (!(await referrers.groups(accountId(account))).some((g) => g.roomId === id)) throw notFound(`group ${id}`);
        await referrers.setGroupLeader(accountId(account), id, null);
        return noContent;
      },
    }),
  ];
}
