import type { Step } from '../../src/agent/pipeline.ts';
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

/**
 * A step that answers `count` with `handled N`, N how many times the agent ran it for that follower: what a test of
 * the webhook's gates (rate limits, dedup) counts to prove which deliveries reached the agent.
 * @example const counter = countingStep(); const server = await testServer({ skills: [counter.step] }); … expect(counter.runs('o_1')).toBe(10)
 */
export function countingStep(): { readonly step: Step; runs(user: string): number | undefined } {
  const runs = new Map<string, number>();
  return {
    step: (ctx, next) => {
      if (ctx.command !== 'count') return next();
      const n = (runs.get(ctx.inbound.user) ?? 0) + 1;
      runs.set(ctx.inbound.user, n);
      ctx.answer({ type: 'text', text: `handled ${n}` }, 'custom:count');
    },
    runs: (user) => runs.get(user),
  };
}
