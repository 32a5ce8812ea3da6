/**
 * The built-in texts, in the persona's name and voice. Kept together so the tone stays one voice.
 *
 * The welcome, help and fallback texts (and the greeting) are templates: the merchant may replace the first
 * three with their own (`/api/settings`), and both are filled the same way. Placeholders:
 * - `{bot_name}`: what the bot calls itself, e.g. 小逛;
 * - `{account_name}`: the account's name;
 * - `{examples}`: the example queries, each in 「」, e.g. 「彩妆」「护肤」 — the merchant's own, or those
 *   derived from the account's catalogue (search/offer.ts), so a shop without hotels never suggests 「上海酒店」.
 * A merchant's text may carry `<a href>` links as rule replies do; a non-http(s) one is dropped when sent.
 */
import { DEMO_OFFER, type CatalogueOffer, type Persona, type Voice } from '../core/persona.ts';
import type { Channel } from '../core/messages.ts';
import { safeText } from '../core/link-safety.ts';

/** The placeholders a text may hold (see the module comment). */
export const PLACEHOLDERS = ['{bot_name}', '{account_name}', '{examples}'] as const;

/** Said when an account has no examples at all (an empty catalogue and none set). */
const NO_EXAMPLES = '「想找的东西」';

const offerOf = (p: Persona): CatalogueOffer => p.offer ?? DEMO_OFFER;

/** The example queries a persona's texts suggest: the merchant's own, else the catalogue's. */
const examplesOf = (p: Persona): readonly string[] => p.exampleQueries ?? offerOf(p).examples;

/** 「a」「b」: examples as a text quotes them. */
const quoted = (examples: readonly string[]): string => (examples.length ? examples.map((e) => `「${e}」`).join('') : NO_EXAMPLES);

/**
 * A template with its placeholders filled in; unknown `{…}` stay as written.
 * @example fillText('我是{bot_name}', { botName: '小美', accountName: '聚美' }) // '我是小美'
 */
export function fillText(template: string, p: Persona): string {
  return template.replace(/\{(bot_name|account_name|examples)\}/g, (_, name: string) =>
    name === 'bot_name' ? p.botName : name === 'account_name' ? p.accountName : quoted(examplesOf(p)),
  );
}

/** The shop's own categories to turn to, as the nothing-found answer names them. */
function whatTheShopHas(p: Persona): string {
  const roots = offerOf(p).productRoots;
  return roots.length ? `店里有：${roots.join('、')}，回复分类名看看。` : `想找什么直接告诉我，比如${quoted(examplesOf(p))}。`;
}

/** Pushes exist only on the official account; in a personal chat or a group, TD would mean nothing. */
const OPT_OUT_LINE = '· 不想收推送：回复「TD」；想恢复：回复「订阅」';

function helpLines(offer: CatalogueOffer): string {
  return [
    `· 找商品：直接回复想找的，如{examples}`,
    offer.hotelCity !== null ? `· 找酒店：发送位置，或回复「${offer.hotelCity}酒店」` : null,
    offer.dealCity !== null ? `· 看团购：回复城市名，如「${offer.dealCity}团购」` : null,
    `· 翻页：回复「更多」；看详情：回复序号`,
    // Orders are for products (hotels and deals are booked on their own pages), paid cash on delivery.
    offer.productRoots.length > 0 ? `· 下单：看中了回复「买第1个」或「我要这个」，货到付款；查订单：回复「我的订单」` : null,
  ]
    .filter((l) => l !== null)
    .join('\n');
}

/** The built-in templates of one voice for an account's offer: what a merchant's own text replaces. */
export interface BuiltinTemplates {
  readonly welcome: string;
  /** The official account's (with the TD line). */
  readonly help: string;
  readonly fallback: string;
  /** A greeting, to hear the voice. */
  readonly greeting: string;
}

/**
 * The built-in welcome, help, fallback and greeting of a voice, placeholders not yet filled.
 * @example builtinTemplates('brief', offer).welcome // '欢迎关注{account_name}，我是{bot_name}。…'
 */
export function builtinTemplates(voice: Voice, offer: CatalogueOffer, channel: Channel = 'wechat'): BuiltinTemplates {
  const hotels = offer.hotelCity !== null;
  const deals = offer.dealCity !== null;
  const help = helpLines(offer) + (channel === 'wechat' ? `\n${OPT_OUT_LINE}` : '');
  switch (voice) {
    case 'gentle':
      return {
        welcome:
          `您好，欢迎关注{account_name}！我是{bot_name}，很高兴为您服务。\n` +
          `想找什么，请直接告诉我，例如{examples}；\n` +
          (hotels ? `发送位置，我为您查找附近的酒店；` : '') +
          (deals ? `发送城市名，例如「${offer.dealCity}」，为您推荐当地团购。` : '') +
          (hotels || deals ? '\n' : '') +
          `随时回复「帮助」查看我能为您做什么。`,
        help: `我是{bot_name}，可以为您：\n` + help,
        fallback: `抱歉，{bot_name}没有理解您的意思。您可以这样问我：\n{examples}\n回复「帮助」查看全部功能。`,
        greeting: `您好，我是{bot_name}，很高兴为您服务。\n想找什么请直接告诉我，例如{examples}。`,
      };
    case 'brief':
      return {
        welcome:
          `欢迎关注{account_name}，我是{bot_name}。\n` +
          ['回复想找的，如{examples}', hotels ? '发位置找酒店' : null, deals ? '发城市名看团购' : null].filter((x) => x !== null).join('，') +
          `。回复「帮助」看全部功能。`,
        help: `{bot_name}的功能：\n` + help,
        fallback: `{bot_name}没看懂。试试：{examples}，或回复「帮助」。`,
        greeting: `在的。我是{bot_name}，试试：{examples}。`,
      };
    default:
      return {
        welcome:
          `你好呀，我是{account_name}的{bot_name}～谢谢关注！\n` +
          `想找什么直接告诉我，比如{examples}；\n` +
          (hotels ? `发个位置给我，帮你找附近的酒店；\n` : '') +
          (deals ? `发个城市名，比如「${offer.dealCity}」，看看当地的团购。\n` : '') +
          `回复「帮助」随时看我能做什么。`,
        help: `我是{bot_name}，可以帮你：\n` + help,
        fallback: `{bot_name}还没听懂😅 试试这样说：\n{examples}\n回复「帮助」看看我能做什么。`,
        greeting: `在的在的～我是{bot_name}！想找什么直接告诉我，比如{examples}。`,
      };
  }
}

/** The built-in templates of a persona: its voice, its account's offer. */
const builtins = (p: Persona, channel: Channel = 'wechat') => builtinTemplates(p.voice ?? 'lively', offerOf(p), channel);

export const texts = {
  welcome: (p: Persona) => (p.welcomeText ? fillText(safeText(p.welcomeText), p) : fillText(builtins(p).welcome, p)),
  /** A merchant's own help text keeps the line on opting out on the official account: opting out must stay findable. */
  help: (p: Persona, channel: Channel = 'wechat') =>
    p.helpText ? fillText(safeText(p.helpText), p) + (channel === 'wechat' && !/TD/i.test(p.helpText) ? `\n${OPT_OUT_LINE}` : '') : fillText(builtins(p, channel).help, p),
  optedOut: (p: Persona) =>
    `好的，已为你退订，${p.botName}不会再主动给你推送消息了。\n想找东西随时发消息给我；想恢复推送，回复「订阅」。`,
  alreadyOptedOut: (p: Persona) => `你已经退订过啦，${p.botName}不会主动打扰你。想恢复推送，回复「订阅」。`,
  optedIn: (p: Persona) => `订阅成功！${p.botName}会把精选好物和优惠告诉你（每周最多一次，不刷屏）。回复「TD」可随时退订。`,
  alreadyOptedIn: (_p: Persona) => `你已经在订阅中啦～回复「TD」可随时退订。`,
  greeting: (p: Persona) => fillText(builtins(p).greeting, p),
  thanks: (p: Persona) => {
    switch (p.voice) {
      case 'gentle':
        return `不客气，能帮到您是${p.botName}的荣幸。还需要什么随时告诉我。`;
      case 'brief':
        return `不客气。还要找什么直接发给我。`;
      default:
        return `不客气～还想找什么随时喊${p.botName}！`;
    }
  },
  /** Only the official account pushes: in a chat there is nothing to opt out of. */
  noNeedToSend: (p: Persona, channel: Channel = 'wechat') =>
    channel === 'wechat' ? `好的～如果是不想收到${p.botName}的推送，回复「TD」就行。` : `好的～有需要随时叫${p.botName}。`,
  acknowledged: (p: Persona) => {
    switch (p.voice) {
      case 'gentle':
        return `好的，您还需要什么随时告诉${p.botName}。`;
      case 'brief':
        return `好的。`;
      default:
        return `好嘞～还想看什么随时告诉${p.botName}。`;
    }
  },
  fallback: (p: Persona) => (p.fallbackText ? fillText(safeText(p.fallbackText), p) : fillText(builtins(p).fallback, p)),
  notText: (p: Persona) => {
    const example = quoted(examplesOf(p).slice(0, 1));
    switch (p.voice) {
      case 'gentle':
        return `${p.botName}目前只能理解文字和位置，请您直接输入想找的内容，例如${example}。`;
      case 'brief':
        return `${p.botName}只看得懂文字和位置，请直接打字，例如${example}。`;
      default:
        return `${p.botName}暂时只看得懂文字和位置哦～直接打字告诉我你想找什么吧，比如${example}。`;
    }
  },
  /** One example query in 「」, for texts that end 「比如回复…」 (the orders' 「我的订单」 with none yet). */
  oneExample: (p: Persona) => quoted(examplesOf(p).slice(0, 1)),
  /** A location sent to a shop with no hotels: what it can do instead, never 「附近没有酒店」. */
  locationWithoutHotels: (p: Persona) => `收到你的位置啦～想找什么直接告诉${p.botName}，比如${quoted(examplesOf(p).slice(0, 2))}。`,
  /** 「更多」 or a number before anything was listed. */
  nothingToPick: (p: Persona) => `先告诉我想找什么，再回复序号看详情～比如${quoted(examplesOf(p).slice(0, 2))}。`,
  nothingMore: (p: Persona) => `还没有可以翻页的结果～先告诉我想找什么吧，比如${quoted(examplesOf(p).slice(0, 2))}。`,
  /** 「酒店」 with no place: the account's own hotel city as the example. */
  askWhere: (p: Persona) => {
    const city = offerOf(p).hotelCity;
    return `想住哪儿？发个位置给我（点输入框旁的「+」→「位置」），我帮你找最近的酒店；\n或者告诉我城市${city === null ? '名' : `，比如「${city}酒店」`}。`;
  },
  /** 「附近的团购」 with no location. */
  askNear: (p: Persona) => {
    const city = offerOf(p).dealCity;
    return `想看附近的团购？发个位置给我（点输入框旁的「+」→「位置」），或者回复城市名${city === null ? '' : `，比如「${city}团购」`}。`;
  },
  /** 「酒店」 in a shop without hotels: no question about where, but what the shop does have. */
  noHotels: (p: Persona) => `这里不订酒店哦😅 ${whatTheShopHas(p)}`,
  /** 「团购」 in a shop without live deals: no question about the city, but what the shop does have. */
  noDeals: (p: Persona) => `这里暂时没有团购哦😅 ${whatTheShopHas(p)}`,
  /** 「团购」 with no city: the account's own deal city as the example. */
  askCity: (p: Persona) => {
    const city = offerOf(p).dealCity;
    return `想看哪个城市的团购？回复城市名就行${city === null ? '' : `，比如「${city}」「${city}团购」`}。`;
  },
} as const;
