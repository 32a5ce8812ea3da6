/**
 * The service questions around orders (怎么下单, 能货到付款吗, 多久发货, 包邮吗, 退货怎么办) answered with the
 * merchant's answers or the defaults (order-settings.ts), never a product search.
 */
import type { Step } from '../../agent/pipeline.ts';
import { text } from '../../core/messages.ts';
import type { OrderDesk } from '../desk.ts';
import { answerTo, type ServiceTopic } from '../order-settings.ts';
import { serviceTopic } from './questions.ts';
import { simplifiedCommand } from './simplified.ts';

/** The topic, reading traditional characters as simplified (「能貨到付款嗎」). */
export function serviceTopicOf(command: string): ServiceTopic | null {
  return serviceTopic(simplifiedCommand(command));
}

/** @example createAgent({ ..., orders: [service(desk)] }) */
export function service(desk: OrderDesk): Step {
  return (ctx, next) => {
    if (ctx.inbound.kind !== 'text') return next();
    const topic = serviceTopicOf(ctx.command);
    if (topic === null) return next();
    ctx.note({ intent: 'order_service', slots: { topic } });
    ctx.answer(text(answerTo(topic, desk.settings.get(ctx.inbound.account))), 'order_service');
  };
}
