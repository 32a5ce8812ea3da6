/** The built-in answers every account has: welcome, help, opt-out / opt-in, and the fallback. */
import type { Step } from '../pipeline.ts';
import { texts } from '../texts.ts';
import { isUserMessage, NO_REPLY, text } from '../types.ts';

/** A welcome for a new follower. */
export const welcome: Step = (ctx, next) => {
  if (ctx.inbound.kind !== 'follow') return next();
  ctx.answer(text(texts.welcome(ctx.persona)), 'welcome');
};

export const HELP_COMMANDS: ReadonlySet<string> = new Set(['帮助', '?', 'help', 'h', '菜单', '功能', '你能做什么', '怎么用', '使用帮助']);

export const help: Step = (ctx, next) => {
  if (!HELP_COMMANDS.has(ctx.command)) return next();
  ctx.answer(text(texts.help(ctx.persona, ctx.inbound.channel)), 'help');
};

const OPT_OUT = new Set(['td', '退订', '取消订阅', '退订推送', '不要推送']);
const OPT_IN = new Set(['订阅', '恢复订阅', '订阅推送']);
/** Opting out (and back in) always works: merchant rules run after this step and cannot take these words. */
export const PROTECTED_COMMANDS: ReadonlySet<string> = new Set([...OPT_OUT, ...OPT_IN]);

/** TD/退订 stops pushes (broadcasts honour it); 订阅 opts back in. Both confirm. */
export const subscription: Step = (ctx, next) => {
  const { command, inbound: m, subscribers, now, persona } = ctx;
  const optOut = OPT_OUT.has(command);
  if (!optOut && !OPT_IN.has(command)) return next();
  const before = subscribers.get(m.account, m.user);
  const who = { account: m.account, user: m.user, channel: m.channel };
  subscribers.setOptedOut(who, optOut, now);
  const wasOut = before?.optedOut ?? false;
  const reply = optOut
    ? wasOut ? texts.alreadyOptedOut(persona) : texts.optedOut(persona)
    : wasOut ? texts.optedIn(persona) : texts.alreadyOptedIn(persona);
  ctx.answer(text(reply), optOut ? 'opt_out' : 'opt_in');
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
