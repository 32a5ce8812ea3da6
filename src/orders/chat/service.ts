/**
 * The service questions (merchant/service/questions.ts), answered, never searched: the order ones (怎么下单, 货到付款,
 * 多久发货, 包邮吗, 退货) with the order settings' answers; 人工 handed to a person; sizes from the variants of the
 * products the conversation shows, and their price, stock and page (这个多少钱, 有货吗, 发链接); stores from the
 * account's stores; the rest (正品, 优惠, 你是谁, what the bot cannot answer) with the service settings' answers; a
 * long complaint answered kindly and flagged for a person.
 * Every answer is logged as intent `service` with its topic, so the reports count questions, not catalogue gaps.
 */
import type { Step } from '../../agent/pipeline.ts';
import type { TurnContext } from '../../agent/context.ts';
import { fillText } from '../../agent/texts.ts';
import type { Product } from '../../catalogue/types.ts';
import type { ServiceAnswer } from '../../core/answered-by.ts';
import { safeText } from '../../core/link-safety.ts';
import { text, type Reply } from '../../core/messages.ts';
import { takesOrders } from '../../core/persona.ts';
import { serviceAnswer, type AnswerTopic, type ServiceSettingsStore } from '../../merchant/service/answers.ts';
import { isOrderQuestionTopic, serviceQuestion, type ServiceQuestion } from '../../merchant/service/questions.ts';
import type { StoreRegistry } from '../../merchant/shops/registry.ts';
import type { OrderDesk } from '../desk.ts';
import { answerTo, type ServiceTopic } from '../order-settings.ts';
import { serviceTopic } from './questions.ts';
import { itemAnswer, sizeAnswer, storesAnswer } from './service-texts.ts';
import { simplifiedCommand } from './simplified.ts';

/** What the service answers read besides the order settings: the merchant's service answers and stores. */
export interface ServiceDesk {
  readonly settings: Pick<ServiceSettingsStore, 'get'>;
  readonly stores: Pick<StoreRegistry, 'list'>;
}

/** The question, reading traditional characters as simplified (「能貨到付款嗎」「這件有XL嗎」). */
const serviceQuestionOf = (command: string): ServiceQuestion | null => serviceQuestion(simplifiedCommand(command));

/** The order settings' topic of a question, reading traditional characters as simplified (「能貨到付款嗎」 → cod). */
export const serviceTopicOf = (command: string): ServiceTopic | null => serviceTopic(simplifiedCommand(command));

/** 「多少钱」「有货吗」 with no product shown yet: which one? */
const ITEM_UNKNOWN = {
  price: '想问哪件的价格呀？先告诉我想找什么，比如{examples}，列表和详情里都有价格～',
  stock: '想问哪件有没有货呀？先告诉我想找什么，比如{examples}，列出来的都是有货的～',
  link: '想要哪件的链接呀？先告诉我想找什么，比如{examples}，找到后回复序号就能打开它的页面～',
} as const;

/** How many stores 「门店在哪」 reads (the answer lists a few of them). */
const STORES_READ = 20;
/** How many of the products last shown a size question looks at. */
const SIZED_ITEMS = 10;

/** @example createAgent({ ..., orders: [service(desk, { settings: createServiceSettingsStore(sql), stores: createStoreRegistry(db) })] }) */
export function service(desk: OrderDesk, serviceDesk: ServiceDesk): Step {
  return async (ctx, next) => {
    if (ctx.inbound.kind !== 'text') return next();
    const q = serviceQuestionOf(ctx.command);
    if (q === null) return next();
    const { account, channel } = ctx.inbound;
    // A shop without products takes no orders in the chat: its defaults do not speak of 下单.
    const ordering = takesOrders(ctx.persona.offer);
    ctx.note({ intent: 'service', slots: { topic: q.topic } });
    if (isOrderQuestionTopic(q.topic)) return ctx.answer(text(answerTo(q.topic, await desk.settings.get(account), ordering)), 'order_service');
    const settings = await serviceDesk.settings.get(account);
    // A link in the merchant's text that is not http(s) is dropped, as in rule replies and the bot's own texts.
    const words = (topic: AnswerTopic, humanTransfer = false) => fillText(safeText(serviceAnswer(topic, settings, { ordering, humanTransfer })), ctx.persona);
    const answer = (reply: Reply, by: ServiceAnswer) => ctx.answer(reply, by);
    switch (q.topic) {
      case 'human':
      case 'complaint': {
        // Only the official account can hand a message to its customer-service staff; elsewhere the text says when a person answers.
        const transfer = settings.humanTransfer && channel === 'wechat';
        ctx.note({ slots: { topic: q.topic, handoff: transfer ? 'transfer' : 'text' } });
        // The default says 正在转接 only where the follower is really handed over (not in a Wechaty chat).
        const reply: Reply = transfer ? { type: 'text', text: words(q.topic, true), transfer: true } : text(words(q.topic));
        return answer(reply, q.topic === 'human' ? 'service_handoff' : 'service_flagged');
      }
      case 'sizes':
        return answer(text(sizeAnswer(shownProducts(ctx), q.size, ordering) ?? words('sizes')), 'service');
      case 'item':
      {
        const pageOf = (p: Product) => ctx.links.productFor(p.sku, ctx.inbound.user);
        return answer(text(itemAnswer(shownProducts(ctx), q.ask, ordering, pageOf) ?? fillText(ITEM_UNKNOWN[q.ask], ctx.persona)), 'service');
      }
      case 'stores': {
        const stores = await serviceDesk.stores.list(account, { limit: STORES_READ });
        if (stores.length === 0) return answer(text(words('stores')), 'service');
        // The merchant's own text, when they wrote one, follows the list (parking, which store has what).
        const own = settings.answers.stores;
        return answer(text(`${storesAnswer(stores)}${own ? `\n${fillText(safeText(own), ctx.persona)}` : ''}`), 'service');
      }
      default:
        return answer(text(words(q.topic)), 'service');
    }
  };
}

/**
 * The products 「这件」 points at: the card shown last, else the list shown (numbered as shown, the last few);
 * none when the conversation shows no products.
 */
function shownProducts(ctx: TurnContext): { readonly n: number; readonly p: Product }[] {
  const shown = ctx.session.shown;
  if (!shown || shown.kind !== 'products') return [];
  const { account } = ctx.inbound;
  const at = (sku: string, n: number) => {
    const p = ctx.search.product(account, sku);
    return p ? [{ n, p }] : [];
  };
  if (shown.picked) return at(shown.picked, shown.ids.indexOf(shown.picked) + 1);
  const from = Math.max(0, shown.ids.length - SIZED_ITEMS);
  return shown.ids.slice(from).flatMap((sku, i) => at(sku, from + i + 1));
}
