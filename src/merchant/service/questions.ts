/**
 * The service questions a follower asks instead of searching (人工, 怎么下单, 包邮吗, 是正品吗, 这件有XL吗, 门店在哪,
 * 有优惠吗, 你是谁, 今天天气怎么样, and of the item shown: 这个多少钱, 有货吗, 发链接), and long complaints, read from the normalised command (simplified characters,
 * lower case). The whole message must be the question once lead and tail particles are off (亲, 请问, 你们, 这件 …
 * 吗, 呢): 「包邮的连衣裙」 and 「正品耐克鞋」 stay product searches. Rules as data (TOPIC_PATTERNS), matched in a pure
 * function; a message with none of the questions' characters costs one character-class test.
 */

/** Every topic, in the order a merchant reads them. */
export const QUESTION_TOPICS = [
  'human', 'how_to_order', 'cod', 'shipping_time', 'shipping_fee', 'returns', 'authenticity', 'sizes', 'item', 'stores', 'coupons',
  'who_are_you', 'out_of_scope', 'complaint',
] as const;
export type QuestionTopic = (typeof QUESTION_TOPICS)[number];

/** The topics the order settings answer (`/api/order-settings`); the others are the service settings' (answers.ts). */
const ORDER_QUESTION_TOPICS = ['how_to_order', 'cod', 'shipping_time', 'shipping_fee', 'returns'] as const;
export type OrderQuestionTopic = (typeof ORDER_QUESTION_TOPICS)[number];

/** What a question about the item shown asks: its price (这个多少钱), whether it is in stock (有货吗), its link (发链接). */
type ItemAsk = 'price' | 'stock' | 'link';

/**
 * A question as read: its topic, for sizes the size asked about (「xl」, 「42」) when one was named, and for the item
 * shown what is asked about it. Answered from the catalogue, never searched (「多少钱」 is no product).
 */
export type ServiceQuestion =
  | { readonly topic: Exclude<QuestionTopic, 'sizes' | 'item'> }
  | { readonly topic: 'sizes'; readonly size: string | null }
  | { readonly topic: 'item'; readonly ask: ItemAsk };

/** Before the question: greetings and address (亲, 请问, 老板), then who or what it is about (你们家, 这件, 东西). */
const LEAD = new RegExp(
  '^(?:亲爱的|亲亲|亲|您好|你好|哈喽|请问一下|请问|问一下|问下|想问一下|想问下|我想问一下|我想问|咨询一下|咨询下|老板|掌柜的|美女|小姐姐|那|那么|另外|对了)*' +
    '(?:你们家?的?|你家的?|您家的?|贵店的?|店里的?|这里的?|这边的?|这个|这件|这双|这款|这些|这条|这|它|商品|东西|衣服|鞋子?)*',
);
/** After it: 吗/呢/啊 and the like (trailing ? and spaces are already gone). */
const TAIL = /(?:吗|嘛|么|呢|啊|呀|哦|啦|哈|亲|不|没|没有|的呀|的呢)+$/;

/**
 * Letter sizes, and numeric ones with 码 or 号 (shoes 20–46, babies 52–80, children 90–170): 「42」 alone may be a
 * price or an answer.
 */
const LETTER_SIZE = '(?:xxxl|xxl|xl|[2-5]xl|xs|s|m|l|均码|大码|加大码|小码)';
const NUMBER_SIZE = '(?:[2-7]\\d(?:\\.5)?|1[0-7]0|[89]0)';
const SIZE = `(?:${LETTER_SIZE}(?:码|号)?|${NUMBER_SIZE}(?:码|号))`;

/**
 * Each topic's patterns, tried in this order on the message without its lead and tail. Earlier topics win:
 * 「客服几点上班」 is a wish for a person before it is a question about opening hours.
 */
const TOPIC_PATTERNS: readonly (readonly [Exclude<QuestionTopic, 'complaint' | 'item'>, RegExp])[] = [
  ['human', /^(?:我要|我想|我想要|我需要|需要|帮我|给我|请|麻烦)?(?:转|找|接|联系|叫|要|转接)?(?:人工|人工客服|人工服务|真人客服|真人|客服|在线客服|客服人员|售后客服|活人|人工台)(?:服务|帮忙|处理|回复)?(?:在|在不在|在线|呢|几点上班|上班时间|什么时候在|什么时候上班)?$/],
  ['human', /^(?:有没有|有)(?:人|人工|真人|客服|活人)(?:在|在线|回复)?$|^人(?:呢|在)?$/],
  ['how_to_order', /^(?:怎么|怎样|如何|咋|在哪里?|在哪儿)(?:下单|下订单|购买|买|订购|拍|付款下单)(?:啊|呀|呢|的)?$|^(?:下单|购买)(?:流程|方式|方法|步骤)$|^(?:可以|能|能不能|可不可以)(?:在这里|在微信上?|直接)?(?:下单|买)$/],
  ['cod', /^(?:能|可以|支持|是|能不能|可不可以|支不支持|是不是|有|有没有)?(?:货到付款|到付|货到付|收货付款|收到货再付款|先货后款|货到再付款?)$|^(?:怎么|如何|怎样)(?:付款|付钱|支付)$|^(?:付款|支付)方式(?:有哪些|是什么)?$|^要?先付款$|^(?:可以|能)(?:微信|支付宝)?(?:付款|支付)$|^(?:可以|能|支持|能不能)?用?(?:微信|支付宝|花呗|信用卡|银行卡)(?:支付|付款|付钱|付)?$/],
  ['shipping_time', /^(?:多久|多长时间|几天|什么时候|啥时候|何时|多快|哪天|几时)(?:能|可以|会)?(?:发货|发|到货|到|能到|送到|寄出|收到)$|^(?:发货|到货)(?:要|需要)?(?:多久|几天|多长时间|快|时间)$|^(?:今天|当天|明天)(?:能|可以|会)?发货$|^(?:几天|多久)(?:能|可以)?(?:到|收到)$|^(?:发|用)(?:什么|哪家|啥)快递$/],
  ['shipping_fee', /^(?:包邮|包不包邮|包邮费|免运费|免邮|运费|邮费|快递费|运费多少|运费多少钱|邮费多少|要运费|要邮费|收运费|收邮费|有运费|运费怎么算|邮费怎么算|运费是多少|多少运费|快递费多少)$|^(?:包|要|收|有)(?:不包|不要|不收|没有)?(?:邮|运费|邮费)$/],
  ['returns', /^(?:怎么|如何|可以|能|能不能|可不可以|支持|支不支持)?(?:退货|退换货?|换货|退款|退|换)(?:怎么办|怎么弄|怎么操作|流程|政策|规则)?$|^(?:不合适|不喜欢|尺码不对|质量不好|有问题)(?:怎么办|能退|可以退|能换|可以换)$|^(?:七天|7天)无理由(?:退货|退换)?$/],
  ['authenticity', /^(?:是不是|是|都是|保证|确定是|能保证|能保证是|卖的是|卖的都是)?(?:正品|正版|真货|原装|原装正品|官方正品|行货|真的|真品)(?:保证|保障)?$|^(?:是|会不会是|会不会|有没有|会有|卖|是不是)?(?:假货|假的|仿品|高仿|山寨|a货|水货)$|^保真$|^(?:正品|真假)(?:怎么|如何)(?:保证|辨别|看)$/],
  ['sizes', new RegExp(`^(?:有没有|有|还有|有无)(${SIZE})的?$|^(${SIZE})的?(?:还有|有没有|有|有货|还有货)$`)],
  ['sizes', /^(?:尺码|尺寸|码数|码子|大小)(?:怎么选|怎么挑|怎么看|表|对照表|标准|准不准|准|偏大|偏小|正|正不正|合适|参考)?$|^(?:怎么|如何)(?:选|挑|看)(?:尺码|码|码数|尺寸|大小)$|^(?:我)?(?:身高\d{2,3}(?:cm|厘米)?)?(?:体重\d{2,3}(?:斤|kg|公斤)?)?(?:穿|选|买|拿)(?:什么|多大|哪个|几)(?:码|号|尺码)(?:合适|好|的)?$/],
  ['stores', /^(?:有没有|有)?(?:实体店|线下店|线下门店|门店|实体门店|专卖店|体验店|店面)$|^(?:实体店|线下店|门店|店|店铺|店面|公司)?(?:在哪|在哪里|在哪儿|在什么地方|地址|位置|地址在哪|地址在哪里|怎么走|在哪个城市)$/],
  ['stores', /^(?:门店|实体店|店|店铺)?(?:营业时间|几点开门|几点关门|几点营业|营业到几点|开到几点|开门时间|关门时间|几点打烊|什么时候开门|周末营业)$/],
  ['coupons', /^(?:最近|现在|今天|这几天|双十一|双11|618)?(?:有没有|有|能|可以|能不能|会|什么时候|还)?(?:优惠|优惠券|优惠劵|券|折扣|打折|活动|优惠活动|促销|满减|红包|领券|减价|降价|会员价|会员折扣|新人券|新人优惠)(?:活动)?$|^(?:有)?(?:什么|啥|哪些)(?:优惠|活动|折扣|优惠券)(?:活动)?$|^(?:怎么|哪里|在哪|去哪)(?:领|用|使用|领取)(?:优惠券|券|红包)$|^(?:优惠券|券|红包)(?:怎么|在哪|去哪)(?:领|用|使用|领取)$/],
  ['who_are_you', /^(?:你|您)(?:是|叫)(?:谁|什么|啥|哪位|机器人|真人|人|ai|人工智能|自动回复|人工|真人还是机器人|机器人还是真人)(?:名字)?$|^(?:你|您)(?:是不是|是否)(?:机器人|真人|人|ai|人工)$|^(?:你|您)(?:叫什么名字|叫啥名字?|的名字|是男是女|是男的还是女的)$|^(?:是)(?:机器人|自动回复)$/],
  ['out_of_scope', /^(?:今天|明天|后天|现在|这几天|最近|周末)?(?:[\p{Script=Han}]{2,3})?(?:的)?(?:天气|气温)(?:怎么样|如何|咋样|好不好|预报|多少度)?$|^(?:今天|明天)?(?:会|要)?下雨$|^(?:今天|明天)?(?:冷不冷|热不热)$/u],
  ['out_of_scope', /^(?:给我|你)?(?:讲|说)(?:个|一个)?(?:笑话|故事)(?:吧|听听)?$|^(?:你)?(?:几岁|多大|多大了|吃饭了|吃了|在干嘛|在干什么|干嘛呢|喜欢我|爱我|有男朋友|有女朋友|结婚了|会唱歌|会聊天|睡了)了?$|^(?:现在)?几点了?$|^(?:今天)?(?:星期几|周几|几号)$|^(?:我)?(?:好无聊|无聊|睡不着|心情不好)$|^(?:陪我聊天|陪我聊聊|聊聊天|聊天)$/],
];

/**
 * Questions about the item shown, once 这个/这件 is off (a lone 个 or 件 left by 那个, 那件 too). Not 还有 (吗): that
 * is 「更多」.
 */
const ITEM_PATTERNS: readonly (readonly [ItemAsk, RegExp])[] = [
  ['price', /^[个件款]?(?:现在|目前)?(?:多少钱|多少钱一[个件盒罐包瓶]|什么价|什么价格|啥价|啥价格|价格|价钱|价格多少|价格是多少|多少价格|几块钱|几多钱|多钱|怎么卖|卖多少|卖多少钱|现价)$/],
  ['link', /^(?:发|给|给我|发我|发给我|发个|发一下|发下|求|要|有)?(?:个|一下|一个)?(?:链接|购买链接|商品链接|下单链接|网址|购买地址|网页)(?:发我|发给我|给我)?(?:一下)?$/],
  ['stock', /^[个件款]?(?:是不是|是否|已经)?(?:现在|目前|还)?(?:有货|有没有货|有现货|有没有现货|现货|有库存|库存|库存多少|缺货|断货|卖完了|卖光了|售罄|没货了|还有货)$/],
];

/** 「我要投诉」 and the like, however short: a person should look at it. */
const COMPLAINT_SHORT = /^(?:我要|我想|我)?(?:投诉|举报|给差评|差评|要投诉|要差评)(?:你们)?$/;
/** A message this long that speaks of these is an after-sales complaint, not a product wish (see `isComplaint`). */
export const COMPLAINT_MIN_CHARS = 60;
const COMPLAINT_WORDS = /投诉|差评|骗子?|欺诈|假货|维权|12315|消协|垃圾|退款|退货|破损|坏了|没收到|不发货|不给退|不退|态度(?:太|很|极)?差|质量(?:太|很|极)?(?:差|不好)|质量问题|气死|失望|坑人|太坑/;

/** Characters one of the short questions needs: a message without any is no question (the hot path stops here). */
const HINT = /[单买购订拍付款支呗货发邮运费快递退换到送寄人工客服正品假真仿码尺寸号有店址哪门营业时优惠券折扣活动减价红谁机器名天气雨笑话岁聊几投诉评钱价卖存缺断售链网]/;
/** Longer than this, a message is a wish or a story, not one of the short questions. */
const QUESTION_MAX_CHARS = 30;

/**
 * The service question the whole message asks, or null.
 * @example serviceQuestion('亲，这件有xl吗') // { topic: 'sizes', size: 'xl' }
 * @example serviceQuestion('这个多少钱') // { topic: 'item', ask: 'price' }
 * @example serviceQuestion('包邮的连衣裙') // null
 */
export function serviceQuestion(command: string): ServiceQuestion | null {
  if (isComplaint(command)) return { topic: 'complaint' };
  if (command.length > QUESTION_MAX_CHARS || !HINT.test(command)) return null;
  const s = command.replace(/[\s?？!！。.,，~～、…]+/g, '');
  const stripped = s.replace(LEAD, '').replace(TAIL, '').replace(/^(?:是|能|可以)?(?=货到)/, '');
  // 「客服」「人呢」: the lead or tail was the whole question.
  const core = stripped === '' ? s.replace(TAIL, '') : stripped;
  if (COMPLAINT_SHORT.test(core)) return { topic: 'complaint' };
  for (const [topic, re] of TOPIC_PATTERNS) {
    const m = re.exec(core);
    if (!m) continue;
    if (topic !== 'sizes') return { topic };
    const named = m[1] ?? m[2];
    return { topic, size: named ? named.replace(/[码号]$/, '') : null };
  }
  for (const [ask, re] of ITEM_PATTERNS) if (re.test(core)) return { topic: 'item', ask };
  return null;
}

/**
 * A long message about an order gone wrong (≥ COMPLAINT_MIN_CHARS characters with 投诉, 退款, 质量太差, 骗 …): it is
 * answered kindly and flagged for a person, never searched (its words would find products at random).
 * @example isComplaint('上周买的羽绒服收到两次发现都有破损…（60 多字）') // true
 */
export function isComplaint(command: string): boolean {
  return command.length >= COMPLAINT_MIN_CHARS && COMPLAINT_WORDS.test(command);
}

/** @example isOrderQuestionTopic('cod') // true */
export const isOrderQuestionTopic = (t: QuestionTopic): t is OrderQuestionTopic => (ORDER_QUESTION_TOPICS as readonly string[]).includes(t);
