/**
 * The orders in the conversation, as the agent's `orders` slot (STEP_ORDER): the checkout first (it reads
 * the session to know whether a draft waits for this message), then 取消订单, 我的订单 and the service questions (人工, 包邮吗, 是正品吗 …),
 * which cost a message nothing unless its words match.
 */
import type { Step } from '../../agent/pipeline.ts';
import type { OrderDesk } from '../desk.ts';
import { cancelOrder } from './cancel-order.ts';
import { checkout } from './checkout.ts';
import { myOrders } from './my-orders.ts';
import { service, type ServiceDesk } from './service.ts';

/** @example createAgent({ db, ..., orders: orderSteps(createOrderDesk(db), { settings: createServiceSettingsStore(sql), stores: createStoreRegistry(db) }) }) */
export function orderSteps(desk: OrderDesk, serviceDesk: ServiceDesk): readonly Step[] {
  return [checkout(desk), cancelOrder(desk), myOrders(desk), service(desk, serviceDesk)];
}
