/**
 * The questions about orders a follower types, read from the normalised command: the order service questions
 * (怎么下单, 能货到付款吗, 多久发货, 包邮吗, 退货怎么办), 「我的订单」, 「订单 1234」 and 「取消订单」. The whole message
 * must be the question — 「包邮的连衣裙」 stays a product search. Pure.
 */
import { isOrderQuestionTopic, serviceQuestion } from '../../merchant/service/questions.ts';
import type { ServiceTopic } from '../order-settings.ts';

/**
 * The order question the message asks (one of the order settings' topics), or null; the questions themselves
 * are read by the service recognizer (merchant/service/questions.ts).
 * @example serviceTopic('能货到付款吗') // 'cod'
 * @example serviceTopic('包邮的连衣裙') // null
 */
export function serviceTopic(command: string): ServiceTopic | null {
  const q = serviceQuestion(command);
  return q && isOrderQuestionTopic(q.topic) ? q.topic : null;
}

/** 「我的订单」「查订单」「发货了吗」「我的快递到哪了」: the follower's recent orders. */
export function asksMyOrders(command: string): boolean {
  const s = command.replace(/[\s?？!！。.,，~～]+/g, '');
  return (
    /^(?:查看?|看看?|查询|看一下|查一下)?(?:我的)?(?:订单|订单列表|全部订单|所有订单|下的单|买的东西|快递|物流)(?:呢|吗|啊|呀|在哪|到哪了?|到哪里了|怎么样了|状态)*$/.test(s) ||
    /^(?:我的)?(?:订单|快递|货|东西|包裹)?(?:发货|发出|寄出)了(?:吗|没|没有|么|嘛)?$/.test(s)
  );
}

/** 「订单 1234」「订单号1234」「查订单 1234」「1234号订单」: one order by number; null otherwise. */
export function orderNumberAsked(command: string): number | null {
  const m = /^(?:查看?|查询|看看?)?(?:我的)?订单(?:号)?\s*[:：#]?\s*(\d{1,9})$|^(\d{1,9})\s*号?订单$/.exec(command.replace(/[?？!！。.,，~～]+$/, ''));
  return m ? Number(m[1] ?? m[2]) : null;
}

/** 「取消订单」 (number: null) or 「取消订单 1234」; undefined when the message does not ask to cancel an order. */
export function cancelAsked(command: string): { readonly orderId: number | null } | undefined {
  const m = /^(?:我要|我想|帮我|请)?(?:取消订单|取消下单|撤销订单|退单|取消这个订单|取消我的订单|订单取消|不要这个订单了?)(?:号)?\s*[:：#]?\s*(\d{1,9})?(?:吧|了)?$/.exec(command);
  if (!m) return undefined;
  return { orderId: m[1] ? Number(m[1]) : null };
}
