/**
 * `/api/orders`: the merchant's orders — the list with filters (status, store, referrer, period, phone), the
 * total and the count per status; one order with its history; confirm, ship, deliver, cancel and notes through
 * the order desk (who: the staff user, or `token`); the export (orders-export.ts). Store staff see and handle
 * their own store's orders only: the list is narrowed to it, another store's order is not found.
 */
import { z } from 'zod';
import { accountId } from '../../core/messages.ts';
import { createOrderDesk } from '../../orders/desk.ts';
import { cancelInputSchema, noteInputSchema, shipInputSchema } from '../../orders/staff-input.ts';
import { ORDER_STATUSES, type Actor, type Order, type OrderAction } from '../../orders/model.ts';
import { createStoreRegistry } from '../../merchant/shops/registry.ts';
import type { AdminApiOptions } from '../options.ts';
import { scopedStore } from '../permissions.ts';
import { ApiError, decodeCursor, notFound, page, pageOf, pageQuery, route, type ApiRequest, type Caller, type Route } from '../http.ts';
import { eventToJson, orderDetailJson, orderJson, orderToJson, type Names } from './order-json.ts';
import { filtersOf, orderFilterQuery, periodOf } from './order-query.ts';
import { orderExportRoute } from './orders-export.ts';

const listQuery = pageQuery.extend(orderFilterQuery.shape);
const counts = z.strictObject(Object.fromEntries(ORDER_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof ORDER_STATUSES)[number], z.ZodNumber>);
const listJson = pageOf(orderJson).extend({
  total: z.number().int().describe('orders matching the filters'),
  counts: counts.describe('orders per status under the same filters, status aside (for the tabs)'),
});

/** The staff user acting (or `token` for a script). */
const actorOf = (caller: Caller): Actor => ({ kind: 'staff', name: caller.kind === 'session' ? caller.session.username : 'token' });

const orderCursor = (o: Order) => `${o.createdAt}:${o.id}`;
function afterCursor(cursor: string | undefined): { createdAt: number; id: number } | undefined {
  const key = decodeCursor<string>(cursor, 'string');
  if (key === undefined) return undefined;
  const m = /^(\d+):(\d+)$/.exec(key);
  if (!m) throw new ApiError(400, 'bad_cursor', 'cursor: pass next_cursor from the previous page unchanged');
  return { createdAt: Number(m[1]), id: Number(m[2]) };
}

export function orderRoutes(deps: AdminApiOptions): Route[] {
  const desk = createOrderDesk(deps.sql, { clock: deps.clock });
  const stores = createStoreRegistry(deps.sql, deps.clock);
  const tag = 'orders';
  /** The names of an answer: the account's store names and referrers, read once (a merchant has a handful). */
  const names = async (account: string): Promise<Names> => {
    const storeNames = await stores.names(account);
    const referrers = new Map((await desk.referrers.list(accountId(account))).map((r) => [r.code, r.name]));
    return {
      store: (id) => storeNames.get(id) ?? null,
      referrer: (code) => referrers.get(code) ?? null,
    };
  };
  /** The order, when the caller may see it: store staff learn nothing of other stores' orders. */
  const visible = async (req: ApiRequest<unknown, unknown>): Promise<Order> => {
    const id = Number(req.params.id);
    const o = Number.isSafeInteger(id) && id > 0 ? await desk.orders.get(accountId(req.account), id) : null;
    const own = scopedStore(req.caller, undefined);
    if (!o || (own !== undefined && o.storeId !== own)) throw notFound(`order ${req.params.id}`);
    return o;
  };
  const detail = async (o: Order) => ({ ...orderToJson(o, await names(o.account)), history: (await desk.orders.events(o.id)).map(eventToJson) });
  const move = async (req: ApiRequest<unknown, unknown>, action: OrderAction) => {
    const o = await visible(req);
    const r = await desk.act(o.account, o.id, action, actorOf(req.caller));
    if (r.ok) return detail(r.order);
    if (r.reason === 'not_found') throw notFound(`order ${o.id}`);
    throw new ApiError(409, 'conflict', req.lang === 'zh' ? r.messageZh : r.message);
  };
  const moveRoute = <B>(verb: 'confirm' | 'ship' | 'deliver' | 'cancel', id: string, summary: string, body: z.ZodType<B> | undefined, action: (b: B) => OrderAction) =>
    route<Record<string, never>, B, z.infer<typeof orderDetailJson>>({
      method: 'post', path: `/orders/:id/${verb}`, id, tag, summary, ...(body ? { body } : {}), response: orderDetailJson,
      returns: 'the order with its history; 409 conflict when its status does not allow the move (the reason in the request\'s language)',
      handler: (req) => move(req as ApiRequest<unknown, unknown>, action(req.body)),
    });
  return [
    route({
      method: 'get', path: '/orders', id: 'listOrders', tag, query: listQuery, response: listJson,
      summary: 'Orders, newest first, filtered by status, store, referrer, source, period (Beijing days), phone and a search (order number, phone digits, receiver); with the total and the count per status (store staff: their store\'s)',
      handler: async ({ account, query, caller, lang }) => {
        const p = periodOf(query, lang);
        const r = await desk.orders.list({
          account: accountId(account), ...filtersOf(query), storeId: scopedStore(caller, query.store),
          from: p.from, to: p.to, limit: query.limit + 1, before: afterCursor(query.cursor),
        });
        const n = await names(account);
        return { ...page(r.orders, query.limit, orderCursor, (o) => orderToJson(o, n)), total: r.total, counts: r.counts };
      },
    }),
    // Before /orders/:id, which would take "export" for an id.
    orderExportRoute(deps),
    route({
      method: 'get', path: '/orders/:id', id: 'getOrder', tag, response: orderDetailJson,
      summary: 'One order: items, receiver, phone, address, store, referrer, shipment, and its history (who did what, when)',
      handler: async (req) => detail(await visible(req)),
    }),
    moveRoute('confirm', 'confirmOrder', 'Confirm an order waiting for confirmation (the follower is told)', undefined, () => ({ kind: 'confirm' })),
    moveRoute('ship', 'shipOrder', 'Ship an order with the carrier and tracking number (an unconfirmed order is confirmed by it)', shipInputSchema,
      (b: z.infer<typeof shipInputSchema>) => ({ kind: 'ship', carrier: b.carrier, trackingNo: b.tracking_no })),
    moveRoute('deliver', 'deliverOrder', 'Mark a shipped order delivered (cash on delivery: paid)', undefined, () => ({ kind: 'deliver' })),
    moveRoute('cancel', 'cancelOrder', 'Cancel an order that is not delivered, with a reason (its stock is released)', cancelInputSchema,
      (b: z.infer<typeof cancelInputSchema>) => ({ kind: 'cancel', reason: b.reason })),
    route({
      method: 'post', path: '/orders/:id/notes', id: 'addOrderNote', tag, body: noteInputSchema, response: orderDetailJson, status: 201,
      summary: 'Add a staff note to the order\'s history (not shown to the follower)',
      handler: async (req) => {
        const o = await visible(req as ApiRequest<unknown, unknown>);
        return detail((await desk.orders.note(o.account, o.id, req.body.text, actorOf(req.caller)))!);
      },
    }),
  ];
}
