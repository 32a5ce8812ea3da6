/**
 * The questions about orders a follower types, read from the normalised command: the service questions
 * (怎么下单, 能货到付款吗, 多久发货, 包邮吗, 退货怎么办), 「我的订单」, 「订单 1234」 and 「取消订单」. The whole message
 * must be the question — 「包邮的连衣裙」 stays a product search. Pure.
 */
import type { ServiceTopic } from '../order-settings.ts';

/** Before the question: 请问, 你们, 这个, 你家, 亲… */
const LEAD = '(?:亲|您好|你好|请问|问一下|问下|想问一下|想问下|我想问|那|那么|还有)?(?:你们家?|你家|您家|贵店|店里|这里|这边|这个|这件|这款|这些|商品|东西|衣服)?';
/** After it: 吗/呢/啊, and the trailing ? already trimmed. */
const TAIL = '(?:吗|嘛|么|呢|啊|呀|哦|啦|不|没|没有)*';

const TOPICS: readonly (readonly [ServiceTopic, RegExp])[] = [
  ['how_to_order', /^(?:怎么|怎样|如何|咋|在哪里?|在哪儿)(?:下单|下订单|购买|买|订购|拍|付款下单)(?:啊|呀|呢|的)?$|^(?:下单|购买)(?:流程|方式|方法|步骤)$|^(?:可以|能|能不能|可不可以)(?:在这里|在微信上?|直接)?(?:下单|买)$/],
  ['cod', /^(?:能|可以|支持|是|能不能|可不可以|支不支持|是不是|有|有没有)?(?:货到付款|到付|货到付|收货付款|收到货再付款|先货后款|货到再付款?)$|^(?:怎么|如何|怎样)(?:付款|付钱|支付)$|^(?:付款|支付)方式(?:有哪些|是什么)?$|^要?先付款$|^(?:可以|能)(?:微信|支付宝)?(?:付款|支付)$/],
  ['shipping_time', /^(?:多久|多长时间|几天|什么时候|啥时候|何时|多快|哪天|几时)(?:能|可以|会)?(?:发货|发|到货|到|能到|送到|寄出|收到)$|^(?:发货|到货)(?:要|需要)?(?:多久|几天|多长时间|快|时间)$|^(?:今天|当天|明天)(?:能|可以|会)?发货$|^(?:几天|多久)(?:能|可以)?(?:到|收到)$/],
  ['shipping_fee', /^(?:包邮|包不包邮|包邮费|免运费|免邮|运费|邮费|快递费|运费多少|运费多少钱|邮费多少|要运费|要邮费|收运费|收邮费|有运费|运费怎么算|邮费怎么算|运费是多少|多少运费|快递费多少)$|^(?:包|要|收|有)(?:不包|不要|不收|没有)?(?:邮|运费|邮费)$/],
  ['returns', /^(?:怎么|如何|可以|能|能不能|可不可以|支持|支不支持)?(?:退货|退换货?|换货|退款|退|换)(?:怎么办|怎么弄|怎么操作|流程|政策|规则)?$|^(?:不合适|不喜欢|尺码不对|质量不好|有问题)(?:怎么办|能退|可以退|能换|可以换)$|^(?:七天|7天)无理由(?:退货|退换)?$/],
];

/**
 * The service question the message asks, or null.
 * @example serviceTopic('能货到付款吗') // 'cod'
 * @example serviceTopic('包邮的连衣裙') // null
 */
export function serviceTopic(command: string): ServiceTopic | null {
  const core = stripAround(command);
  if (core === null) return null;
  for (const [topic, re] of TOPICS) if (re.test(core)) return topic;
  return null;
}

const LEAD_RE = new RegExp(`^${LEAD}`);
const TAIL_RE = new RegExp(`${TAIL}$`);
/** Characters one of the questions needs: a message without any of them is not one (the hot path stops here). */
const HINT = /[单买购订拍付款货发邮运费快递退换到送寄]/;

function stripAround(command: string): string | null {
  if (command.length > 30 || !HINT.test(command)) return null;
  const s = command.replace(/[\s?？!！。.,，~～]+/g, '');
  return s.replace(LEAD_RE, '').replace(TAIL_RE, '').replace(/^(?:是|能|可以)?(?=货到)/, '');
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
