/** The built-in texts, in the persona's name and voice. Kept together so the tone stays one voice. */
import type { Persona } from '../core/persona.ts';
import type { Channel } from '../core/messages.ts';

const WHAT_I_DO_LIVELY =
  `想买什么直接告诉我，比如「女装」「200元以下的连衣裙」；\n` +
  `发个位置给我，帮你找附近的酒店；\n` +
  `发个城市名，比如「上海」，看看当地的团购。\n`;

const SEARCH_LINES =
  `· 找商品：回复「女装」「连衣裙 200以内」\n` +
  `· 找酒店：发送位置，或回复「上海酒店」\n` +
  `· 看团购：回复城市名，如「北京团购」「深圳 美食」\n` +
  `· 翻页：回复「更多」；看详情：回复序号`;
/** Pushes exist only on the official account; in a personal chat or a group, TD would mean nothing. */
const helpLines = (channel: Channel) =>
  channel === 'wechat' ? `${SEARCH_LINES}\n· 不想收推送：回复「TD」；想恢复：回复「订阅」` : SEARCH_LINES;

export const texts = {
  welcome: (p: Persona) => {
    switch (p.voice) {
      case 'gentle':
        return (
          `您好，欢迎关注${p.accountName}！我是${p.botName}，很高兴为您服务。\n` +
          `想找商品，请直接告诉我，例如「女装」「200元以下的连衣裙」；\n` +
          `发送位置，我为您查找附近的酒店；发送城市名，例如「上海」，为您推荐当地团购。\n` +
          `随时回复「帮助」查看我能为您做什么。`
        );
      case 'brief':
        return `欢迎关注${p.accountName}，我是${p.botName}。\n回复商品名找商品，发位置找酒店，发城市名看团购。回复「帮助」看全部功能。`;
      default:
        return `你好呀，我是${p.accountName}的${p.botName}～谢谢关注！\n` + WHAT_I_DO_LIVELY + `回复「帮助」随时看我能做什么。`;
    }
  },
  help: (p: Persona, channel: Channel = 'wechat') => {
    switch (p.voice) {
      case 'gentle':
        return `我是${p.botName}，可以为您：\n` + helpLines(channel);
      case 'brief':
        return `${p.botName}的功能：\n` + helpLines(channel);
      default:
        return `我是${p.botName}，可以帮你：\n` + helpLines(channel);
    }
  },
  optedOut: (p: Persona) =>
    `好的，已为你退订，${p.botName}不会再主动给你推送消息了。\n想找东西随时发消息给我；想恢复推送，回复「订阅」。`,
  alreadyOptedOut: (p: Persona) => `你已经退订过啦，${p.botName}不会主动打扰你。想恢复推送，回复「订阅」。`,
  optedIn: (p: Persona) => `订阅成功！${p.botName}会把精选好物和优惠告诉你（每周最多一次，不刷屏）。回复「TD」可随时退订。`,
  alreadyOptedIn: (_p: Persona) => `你已经在订阅中啦～回复「TD」可随时退订。`,
  greeting: (p: Persona) => {
    switch (p.voice) {
      case 'gentle':
        return `您好，我是${p.botName}，很高兴为您服务。\n想找什么请直接告诉我，例如「女装」「上海酒店」「北京团购」。`;
      case 'brief':
        return `在的。我是${p.botName}，试试：「女装」「上海酒店」「北京团购」。`;
      default:
        return `在的在的～我是${p.botName}！想买什么直接告诉我，比如「女装」「上海酒店」「北京团购」。`;
    }
  },
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
  fallback: (p: Persona) => {
    switch (p.voice) {
      case 'gentle':
        return `抱歉，${p.botName}没有理解您的意思。您可以这样问我：\n「女装」「200元以下的连衣裙」「上海酒店」「北京团购」\n回复「帮助」查看全部功能。`;
      case 'brief':
        return `${p.botName}没看懂。试试：「女装」「上海酒店」「北京团购」，或回复「帮助」。`;
      default:
        return `${p.botName}还没听懂😅 试试这样说：\n「女装」「200元以下的连衣裙」「上海酒店」「北京团购」\n回复「帮助」看看我能做什么。`;
    }
  },
  notText: (p: Persona) => {
    switch (p.voice) {
      case 'gentle':
        return `${p.botName}目前只能理解文字和位置，请您直接输入想找的内容，例如「女装」。`;
      case 'brief':
        return `${p.botName}只看得懂文字和位置，请直接打字，例如「女装」。`;
      default:
        return `${p.botName}暂时只看得懂文字和位置哦～直接打字告诉我你想找什么吧，比如「女装」。`;
    }
  },
} as const;
