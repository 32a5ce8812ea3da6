/** The built-in answers every account has: welcome, help, opt-out / opt-in, and the fallback. */
import type { Step } from '../pipeline.ts';
import { texts } from '../texts.ts';
import { isUserMessage, NO_REPLY, text } from '../../core/messages.ts';
import { simplified } from '../../search/understand/normalize.ts';

/** A welcome for a new follower. */
export const welcome: Step = (ctx, next) => {
  if (ctx.inbound.kind !== 'follow') return next();
  ctx.answer(text(texts.welcome(ctx.persona)), 'welcome');
};

const HELP_COMMANDS: ReadonlySet<string> = new Set(['帮助', '?', 'help', 'h', '菜单', '功能', '你能做什么', '怎么用', '使用帮助']);
/** How followers ask what the bot does, beyond the exact commands: 你能干嘛, 你会什么, 帮助一下, 有什么功能. */
const HELP_PHRASE = /^(?:你|您)?(?:能|会|可以)(?:干|做|帮我做)?(?:嘛|啥|什么|些什么)(?:呀|啊|呢)?$|^帮助(?:一下|下)?$|^有(?:什么|啥)功能(?:呀|啊|呢)?$|^怎么(?:用|玩)(?:呀|啊|呢)?$/;

export const help: Step = (ctx, next) => {
  if (!HELP_COMMANDS.has(ctx.command) && !HELP_PHRASE.test(ctx.command)) return next();
  ctx.answer(text(texts.help(ctx.persona, ctx.inbound.channel)), 'help');
};

const OPT_OUT = new Set(['td', '退订', '取消订阅', '退订推送', '不要推送']);
const OPT_IN = new Set(['订阅', '恢复订阅', '订阅推送']);
/** Opting out (and back in) always works: merchant rules run after this step and cannot take these words. */
export const PROTECTED_COMMANDS: ReadonlySet<string> = new Set([...OPT_OUT, ...OPT_IN]);

// Followers say it in their own words (我要退订, 退订吧, 不要再发了, 我要订阅). The whole message must be the
// request — an optional 我要/帮我 before and 吧/了/谢谢 after — so a search such as 「不要发货慢的」 is never taken,
// and 「不要发」 needs 再 or what is sent (消息, 推送): 「不用发了」 may answer the bot's own 「发个位置给我」.
const POLITE_BEFORE = '(?:请|麻烦)?(?:我要|我想|我想要|帮我|给我)?';
const POLITE_AFTER = '(?:吧|了|啦|呀|哦|啊|一下|谢谢)*';
const OPT_OUT_PHRASE = new RegExp(
  `^${POLITE_BEFORE}(?:td|退订|取消订阅|退订推送|取消推送|关闭推送|停止推送|不要推送|别推送|不用推送|` +
    `(?:不要|别|不用)再(?:给我)?(?:发|推)送?(?:消息|推送)?|(?:不要|别|不用)(?:给我)?(?:发|推)送?(?:消息|推送)|` +
    `不想再收到?(?:推送|消息)?|不想收到?(?:推送|消息))${POLITE_AFTER}$`,
);
const OPT_IN_PHRASE = new RegExp(`^${POLITE_BEFORE}(?:订阅|恢复订阅|重新订阅|订阅推送|恢复推送|开启推送|打开推送)${POLITE_AFTER}$`);

/** 'out' or 'in' when the (normalised) message asks to stop or resume pushes; null otherwise. */
export function subscriptionRequest(command: string): 'out' | 'in' | null {
  if (OPT_OUT.has(command) || OPT_OUT_PHRASE.test(command)) return 'out';
  if (OPT_IN.has(command) || OPT_IN_PHRASE.test(command)) return 'in';
  return null;
}

/** TD/退订 stops pushes (broadcasts honour it); 订阅 opts back in. Both confirm. */
export const subscription: Step = async (ctx, next) => {
  const { command, inbound: m, subscribers, now, persona } = ctx;
  const request = subscriptionRequest(command);
  if (request === null) return next();
  const optOut = request === 'out';
  const before = await subscribers.get(m.account, m.user);
  const who = { account: m.account, user: m.user, channel: m.channel };
  await subscribers.setOptedOut(who, optOut, now);
  const wasOut = before?.optedOut ?? false;
  const reply = optOut
    ? wasOut ? texts.alreadyOptedOut(persona) : texts.optedOut(persona)
    : wasOut ? texts.optedIn(persona) : texts.alreadyOptedIn(persona);
  ctx.answer(text(reply), optOut ? 'opt_out' : 'opt_in');
};

const GREETING = /^(?:你好|您好|哈喽|哈啰|嗨|hi|hello|hey|在吗|在不在|在么|有人吗|早|早上好|上午好|中午好|下午好|晚上好)(?:呀|啊|哦|哇|啦|~|～)*$/;
const THANKS = /^(?:谢谢|多谢|谢啦|谢了|感谢|thanks|thank you|thx|🙏)(?:你|您)?(?:呀|啊|哦|啦|了|~|～|(?:🙏))*$/;
/** 「不用发了」: maybe an answer to 「发个位置给我」, maybe about pushes — say how to stop pushes, change nothing. */
const NO_NEED_TO_SEND = /^(?:不用|别|不要)再?发了?(?:吧|啊|哦|啦)?$/;
// Not 嗯嗯: a bare filler stays unanswered small talk (the fallback), as the evaluation set labels it.
const ACKNOWLEDGED = /^(?:好的|好滴|好嘞|好|收到|ok|okay|知道了|明白了|了解|行|哈{2,}|(?:👍)+|(?:👌)+)(?:呀|啊|哦|啦|了|~|～)*$/;

/** Small talk is short: only a short message pays for reading traditional characters (謝謝 as 谢谢). */
const SMALL_TALK_MAX = 12;

/** 你好 / 在吗 / 谢谢 / 好的 (謝謝, 您好嗎 too): a word back in the persona's voice, instead of 「没听懂」. */
export const smallTalk: Step = (ctx, next) => {
  if (ctx.inbound.kind !== 'text') return next();
  const command = ctx.command.length <= SMALL_TALK_MAX ? simplified(ctx.command) : ctx.command;
  if (GREETING.test(command)) return ctx.answer(text(texts.greeting(ctx.persona)), 'greeting');
  if (THANKS.test(command)) return ctx.answer(text(texts.thanks(ctx.persona)), 'thanks');
  if (ACKNOWLEDGED.test(command)) return ctx.answer(text(texts.acknowledged(ctx.persona)), 'acknowledged');
  if (NO_NEED_TO_SEND.test(command)) return ctx.answer(text(texts.noNeedToSend(ctx.persona, ctx.inbound.channel)), 'no_need_to_send');
  return next();
};

/** Whatever nobody answered: a friendly nudge for followers' messages, silence (`success`) for events. */
export const fallback: Step = (ctx) => {
  const m = ctx.inbound;
  if (!isUserMessage(m)) {
    ctx.answer(NO_REPLY, 'fallback');
    return;
  }
  const understood = m.kind === 'text' || m.kind === 'location';
  ctx.answer(text(understood ? texts.fallback(ctx.persona) : texts.notText(ctx.persona)), 'fallback');
};
