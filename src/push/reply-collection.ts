/**
 * Replies to a broadcast that invited them (「回复 试用+理由 申请试用」): a text starting with the broadcast's
 * keyword, from a follower who received it within its reply window, is collected against it and confirmed.
 */
import type { Step } from '../agent/pipeline.ts';
import { text } from '../core/messages.ts';
import type { Sql } from '../db/sql/sql.ts';
import { watchInvitations, type InvitationWatchOptions } from './invitations.ts';
import { pushOutbox } from './outbox.ts';
import { HOUR } from './policy.ts';

/** The reason after the keyword: 「试用+想给女儿用」 → 想给女儿用. Null when the text does not start with it. */
function replyReason(message: string, keyword: string): string | null {
  const t = message.trim();
  if (!t.toLowerCase().startsWith(keyword.toLowerCase())) return null;
  return t.slice(keyword.length).replace(/^[\s+＋:：,，、-]+/, '').trim();
}

/**
 * Finds the broadcast a reply answers (the latest the follower received whose keyword it carries, within
 * its window) and records it once per inbound (retries of a delivery share the dedup key). One unit: the read
 * and the INSERT (ON CONFLICT DO NOTHING) commit together.
 */
export async function collectReply(sql: Sql, r: { account: string; user: string; text: string; dedupKey: string; now: number }): Promise<{ broadcast: number; confirm: string } | null> {
  const outbox = pushOutbox(sql);
  return sql.transaction(async (tx) => {
    for (const inv of await outbox.invitationsReceived(tx, r.account, r.user, r.now - 30 * 24 * HOUR)) {
      const replies = inv.replies;
      if (!replies || r.now - inv.sentAt > replies.window_hours * HOUR) continue;
      const reason = replyReason(r.text, replies.keyword);
      if (reason === null) continue;
      await outbox.saveReply(tx, { broadcast: inv.broadcast, account: r.account, user: r.user, dedupKey: r.dedupKey, text: r.text, reason, at: r.now });
      return { broadcast: inv.broadcast, confirm: replies.confirm };
    }
    return null;
  });
}

const csvCell = (v: string): string => {
  // Neutralise spreadsheet formulas, quote everything.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** The collected replies as CSV (UTF-8 with BOM so Excel reads Chinese): broadcast,openid,reason,text,at. */
export async function repliesCsv(sql: Sql, broadcastId: number): Promise<string> {
  const lines = ['broadcast,openid,reason,text,at'];
  for (const r of await pushOutbox(sql).replies(broadcastId)) {
    lines.push([String(r.broadcast), csvCell(r.user), csvCell(r.reason), csvCell(r.text), new Date(r.at).toISOString()].join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * The agent step: a text reply to an inviting broadcast is collected and confirmed; anything else passes on.
 * Whether any broadcast invites replies is known in memory and read again only when broadcasts may have changed
 * (invitations.ts): the common case (no inviting broadcast, nothing changed) costs no statement.
 * @example const replies = replyCollection(sql, { pollMs: 250, changes }); compose([..., replies.step, ...skills]); … replies.stop();
 */
export function replyCollection(sql: Sql, options: InvitationWatchOptions = {}): { readonly step: Step; stop(): void } {
  const watch = watchInvitations(sql, options);
  const step: Step = async (ctx, next) => {
    const inbound = ctx.inbound;
    if (inbound.kind !== 'text' || inbound.channel !== 'wechat') return next();
    const inviting = watch.inviting(ctx.now);
    if (!(typeof inviting === 'boolean' ? inviting : await inviting)) return next();
    // A unit of its own, in the same group commit as the message's other writes on SQLite.
    const found = await collectReply(sql, { account: inbound.account, user: inbound.user, text: inbound.text, dedupKey: inbound.dedupKey, now: ctx.now });
    if (!found) return next();
    ctx.note({ intent: 'broadcast_reply', slots: { broadcast: found.broadcast } });
    ctx.answer(text(found.confirm), 'broadcast-reply');
  };
  return { step, stop: watch.stop };
}
