/**
 * The session, as grammY's session plugin keeps it: from this step on `ctx.session` is the follower's
 * conversation, read from the store here (one indexed read: the database may be a server, so it cannot wait
 * for a skill's first synchronous use), and saved once after the rest of the turn, only when a step assigned
 * a new value to it, and not at all when a later step threw.
 */
import { assignedSession, openSession, type ConversationStore } from '../context.ts';
import type { Step } from '../pipeline.ts';

/** @example compose([...builtins, session(createSessionStore(sql, SESSION_TTL_MS)), ...skills]) */
export function session(store: ConversationStore): Step {
  return async (ctx, next) => {
    const { account, user } = ctx.inbound;
    const read = await store.get(account, user, ctx.now);
    openSession(ctx, store, read);
    await next();
    const state = assignedSession(ctx);
    if (state === null) return;
    // One statement, or none when the state is the one read: on SQLite it joins the group commit of the answer.
    await store.save(account, user, state, ctx.now, read);
  };
}
