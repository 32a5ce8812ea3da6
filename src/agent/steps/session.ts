/**
 * The session, as grammY's session plugin keeps it: from this step on `ctx.session` is the follower's
 * conversation, read from the store the first time a step uses it (a message no skill needs it for costs
 * no read), and saved once after the rest of the turn, only when a step assigned a new value to it, and
 * not at all when a later step threw.
 */
import { assignedSession, openSession, type ConversationStore } from '../context.ts';
import type { Step } from '../pipeline.ts';

/** @example compose([...builtins, session(createSessionStore(db, SESSION_TTL_MS)), ...skills]) */
export function session(store: ConversationStore): Step {
  return async (ctx, next) => {
    openSession(ctx, store);
    await next();
    const state = assignedSession(ctx);
    if (state === null) return;
    // Through the write queue, in the same group commit as the answer.
    const { account, user } = ctx.inbound;
    await ctx.write(() => store.save(account, user, state, ctx.now));
  };
}
