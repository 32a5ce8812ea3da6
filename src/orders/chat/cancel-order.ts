/**
 * 「取消订单」 / 「取消订单 1234」: cancels one of the follower's orders that has not shipped, after a 确认 (the
 * question waits in the session). Several open orders and no number: the bot lists them and asks which.
 */
import type { TurnContext } from '../../agent/context.ts';
import type { Step } from '../../agent/pipeline.ts';
import { text } from '../../core/messages.ts';
import { STATUS_ZH, type Order } from '../model.ts';
import type { OrderDesk } from '../desk.ts';
import { orderLine } from './checkout-texts.ts';
import { cancelAsked } from './questions.ts';
import { simplifiedCommand } from './simplified.ts';
import { isAffirm } from './words.ts';

/** The reason an order cancelled in the conversation records. */
const CHAT_CANCEL_REASON = '买家在对话中取消';

const cancellable = (o: Order): boolean => o.status === 'placed' || o.status === 'confirmed';

function forget(ctx: TurnContext): void {
  const { cancelling: _c, ...rest } = ctx.session;
  ctx.session = rest;
}

/** @example createAgent({ ..., orders: [cancelOrder(desk)] }) */
export function cancelOrder(desk: OrderDesk): Step {
  return async (ctx, next) => {
    if (ctx.inbound.kind !== 'text') return next();
    const { account, user } = ctx.inbound;
    const c = simplifiedCommand(ctx.command);
    const pending = ctx.session.cancelling;
    if (pending) {
      forget(ctx);
      if (isAffirm(c) || /^(?:确认|确定)取消(?:订单)?$/.test(c)) {
        const r = await desk.act(account, pending.orderId, { kind: 'cancel', reason: CHAT_CANCEL_REASON }, { kind: 'follower', user });
        if (r.ok) return ctx.answer(text(`订单 ${r.order.id} 已取消。有需要随时再下单～`), 'order_cancelled');
        if (r.reason === 'not_found') return ctx.answer(text(`没有找到订单 ${pending.orderId}。`), 'order_cancel_refused');
        return ctx.answer(text(`${r.messageZh}。${r.order.status === 'shipped' ? '收到货后如需退货，请留言订单号和原因。' : ''}`), 'order_cancel_refused');
      }
      if (/^(?:不|不用|不要|算了|先不|不取消)/.test(c)) return ctx.answer(text('好的，订单保留，不取消。'), 'order_cancel_refused');
      // Anything else: the question lapses and the message is answered as usual.
    }
    const ask = cancelAsked(c);
    if (!ask) return next();
    if (ask.orderId !== null) {
      const order = await desk.orders.get(account, ask.orderId);
      if (!order || order.user !== user) return ctx.answer(text(`没有找到订单 ${ask.orderId}。回复「我的订单」看看您的订单。`), 'order_cancel_refused');
      return askToConfirm(ctx, order);
    }
    const open = (await desk.orders.ofFollower(account, user, 20)).filter(cancellable);
    if (open.length === 0) return ctx.answer(text('您没有可以取消的订单（已发货的订单不能取消）。回复「我的订单」查看。'), 'order_cancel_refused');
    if (open.length === 1) return askToConfirm(ctx, open[0]!);
    ctx.answer(text(['要取消哪一个？', ...open.slice(0, 5).map(orderLine), `回复「取消订单 ${open[0]!.id}」这样的订单号。`].join('\n')), 'order_cancel_ask');
  };
}

function askToConfirm(ctx: TurnContext, order: Order): void {
  if (!cancellable(order)) {
    const why = order.status === 'cancelled' ? '已经取消了' : `${STATUS_ZH[order.status]}，不能再取消了`;
    const after = order.status === 'shipped' || order.status === 'delivered' ? '收到货后如需退货，请留言订单号和原因。' : '';
    return ctx.answer(text(`订单 ${order.id} ${why}。${after}`), 'order_cancel_refused');
  }
  ctx.session = { ...ctx.session, cancelling: { orderId: order.id } };
  ctx.answer(text(`确定取消这个订单吗？\n${orderLine(order)}\n回复「确认」取消，回复其他内容保留订单。`), 'order_cancel_ask');
}
