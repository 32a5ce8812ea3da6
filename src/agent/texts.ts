/** The built-in texts, in the persona's voice. Kept together so the tone stays one voice. */
import type { Persona } from './persona.ts';

export const texts = {
  welcome: (p: Persona) =>
    `你好呀，我是${p.accountName}的${p.botName}～谢谢关注！\n` +
    `想买什么直接告诉我，比如「女装」「200元以下的连衣裙」；\n` +
    `发个位置给我，帮你找附近的酒店；\n` +
    `发个城市名，比如「上海」，看看当地的团购。\n` +
    `回复「帮助」随时看我能做什么。`,
  help: (p: Persona) =>
    `我是${p.botName}，可以帮你：\n` +
    `· 找商品：回复「女装」「连衣裙 200以内」\n` +
    `· 找酒店：发送位置，或回复「上海酒店」\n` +
    `· 看团购：回复城市名，如「北京团购」「深圳 美食」\n` +
    `· 翻页：回复「更多」；看详情：回复序号\n` +
    `· 不想收推送：回复「TD」；想恢复：回复「订阅」`,
  optedOut: (p: Persona) =>
    `好的，已为你退订，${p.botName}不会再主动给你推送消息了。\n想找东西随时发消息给我；想恢复推送，回复「订阅」。`,
  alreadyOptedOut: (p: Persona) => `你已经退订过啦，${p.botName}不会主动打扰你。想恢复推送，回复「订阅」。`,
  optedIn: (p: Persona) => `订阅成功！${p.botName}会把精选好物和优惠告诉你（每周最多一次，不刷屏）。回复「TD」可随时退订。`,
  alreadyOptedIn: (p: Persona) => `你已经在订阅中啦～回复「TD」可随时退订。`,
  fallback: (p: Persona) =>
    `${p.botName}还没听懂😅 试试这样说：\n「女装」「200元以下的连衣裙」「上海酒店」「北京团购」\n回复「帮助」看看我能做什么。`,
  notText: (p: Persona) => `${p.botName}暂时只看得懂文字和位置哦～直接打字告诉我你想找什么吧，比如「女装」。`,
} as const;
