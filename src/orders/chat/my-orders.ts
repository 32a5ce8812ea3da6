/** 「我的订单」 lists the follower's recent orders with their status; 「订单 1234」 shows one of their own. */
import type { Step } from '../../agent/pipeline.ts';
import { link } from '../../agent/format.ts';
import { texts } from '../../agent/texts.ts';
import { text } from '../../core/messages.ts';
import type { OrderDesk } from '../desk.ts';
import { orderDetail, orderLine } from './checkout-texts.ts';
import { asksMyOrders, orderNumberAsked } from './questions.ts';
import { roomOf } from './room.ts';
import { simplifiedCommand } from './simplified.ts';

/** How many orders 「我的订单」 lists (the page behind the link has them all). */
const MY_ORDERS_SHOWN = 5;

/** @example createAgent({ ..., orders: [myOrders(desk)] }) */
export function myOrders(desk: OrderDesk): Step {
  return async (ctx, next) => {
    if (ctx.inbound.kind !== 'text') return next();
    const { account, user } = ctx.inbound;
    const command = simplifiedCommand(ctx.command);
    const id = orderNumberAsked(command);
    if (id !== null) {
      const order = await desk.orders.get(account, id);
      // Someone else's order is not found, the same as a number that does not exist.
      if (!order || order.user !== user) return ctx.answer(text(`没有找到订单 ${id}。回复「我的订单」看看您的订单。`), 'order_show');
      ctx.note({ intent: 'order', resultIds: [String(order.id)] });
      return ctx.answer(text(orderDetail(order, ctx.links.order(order.id, user), roomOf(ctx.inbound) !== null)), 'order_show');
    }
    if (!asksMyOrders(command)) return next();
    const orders = await desk.orders.ofFollower(account, user, MY_ORDERS_SHOWN);
    ctx.note({ intent: 'order', resultIds: orders.map((o) => String(o.id)) });
    if (orders.length === 0) {
      return ctx.answer(text(`您还没有订单。先搜搜想买的，比如回复${texts.oneExample(ctx.persona)}，看中了回复「买第2个」就能下单～`), 'my_orders');
    }
    const lines = [
      '您最近的订单：',
      ...orders.map(orderLine),
      `回复「订单 ${orders[0]!.id}」看详情，${link(ctx.links.orders(user), '查看全部订单')}`,
    ];
    ctx.answer(text(lines.join('\n')), 'my_orders');
  };
}
