import type { Inbound, InboundBody } from '../../src/core/messages.ts';
import { accountId, userId } from '../../src/core/messages.ts';

let seq = 1000;
/** An inbound as a channel would produce it. @example inbound({ kind: 'text', text: '帮助' }) */
export function inbound(body: Partial<InboundBody> & { kind: InboundBody['kind'] }, meta: Partial<{ user: string; account: string; dedupKey: string }> = {}): Inbound {
  const msgId = String(++seq);
  const base = body.kind === 'text' ? { msgId, text: '', viaVoice: false } : { msgId };
  return {
    channel: 'wechat',
    account: accountId(meta.account ?? 'default'),
    user: userId(meta.user ?? 'o_user_1'),
    createdAt: Math.floor(Date.now() / 1000),
    dedupKey: meta.dedupKey ?? msgId,
    ...base,
    ...body,
  } as Inbound;
}
