/**
 * Delivers `wechaty` notices: the bot says the message to the contact (a 团长 told of an order their group placed,
 * a buyer from a Wechaty chat told of their order's status). Run by the Wechaty bot process (src/app/wechaty-bot.ts).
 */
import type { DeliveryOutcome, Notice } from './model.ts';

/** What the deliverer needs of the bot: whether it is logged in, and a contact by id that can be spoken to. */
export interface WechatyContacts {
  isLoggedIn(): boolean;
  find(id: string): Promise<{ say(text: string): Promise<unknown> } | undefined | null>;
}

/** @example wechatyDeliverer({ isLoggedIn: () => bot.isLoggedIn, find: (id) => bot.Contact.find({ id }) }) */
export function wechatyDeliverer(bot: WechatyContacts): (notice: Notice) => Promise<DeliveryOutcome> {
  return async (notice) => {
    if (notice.payload.kind !== 'message') return { ok: false, retry: false, error: `这条通知不是消息（${notice.payload.kind}），不能经 Wechaty 发送` };
    // Not logged in (a restart, a scan pending): the notice waits for the next attempt.
    if (!bot.isLoggedIn()) return { ok: false, retry: true, error: 'Wechaty 机器人未登录' };
    const contact = await bot.find(notice.target);
    if (!contact) return { ok: false, retry: false, error: `Wechaty 联系人 ${notice.target} 不存在（不是机器人的好友？）` };
    await contact.say(notice.payload.text);
    return { ok: true };
  };
}
