/**
 * Replies to a broadcast that invited them (「回复 试用+理由 申请试用」): a text starting with the broadcast's
 * keyword, from a follower who received it within its reply window, is collected against it and confirmed.
 */
import type { Step } from '../agent/pipeline.ts';
import { text } from '../core/messages.ts';
import type { Db } from '../db/db.ts';
import type { BroadcastDefinition } from './model.ts';
import { HOUR } from './policy.ts';
import { broadcastRevision } from './revision.ts';

interface CollectedReply {
  readonly broadcast: number;
  readonly user: string;
  readonly text: string;
  readonly reason: string;
  readonly at: number;
}

/** The reason after the keyword: 「试用+想给女儿用」 → 想给女儿用. Null when the text does not start with it. */
function replyReason(message: string, keyword: string): string | null {
  const t = message.trim();
  if (!t.toLowerCase().startsWith(keyword.toLowerCase())) return null;
  return t.slice(keyword.length).replace(/^[\s+＋:：,，、-]+/, '').trim();
}

/**
 * Finds the broadcast a reply answers (the latest the follower received whose keyword it carries, within
 * its window) and records it once per inbound (retries of a delivery share the dedup key).
 */
export function collectReply(db: Db, r: { account: string; user: string; text: string; dedupKey: string; now: number }): { broadcast: number; confirm: string } | null {
  const candidates = db.prepare<[string, string, number], { broadcast_id: number; definition: string; sent_at: number }>(`
    SELECT l.broadcast_id, b.definition, MAX(l.sent_at) AS sent_at FROM push_ledger l JOIN broadcasts b ON b.id = l.broadcast_id
    WHERE l.account = ? AND l.user_id = ? AND l.sent_at >= ? AND b.reply_keyword IS NOT NULL
    GROUP BY l.broadcast_id ORDER BY sent_at DESC`).all(r.account, r.user, r.now - 30 * 24 * HOUR);
  for (const c of candidates) {
    const def = JSON.parse(c.definition) as BroadcastDefinition;
    const inv = def.replies;
    if (!inv || r.now - c.sent_at > inv.window_hours * HOUR) continue;
    const reason = replyReason(r.text, inv.keyword);
    if (reason === null) continue;
    db.prepare('INSERT INTO broadcast_replies (broadcast_id, account, user_id, dedup_key, text, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(c.broadcast_id, r.account, r.user, r.dedupKey, r.text, reason, r.now);
    return { broadcast: c.broadcast_id, confirm: inv.confirm };
  }
  return null;
}

function listReplies(db: Db, broadcastId: number): CollectedReply[] {
  return db.prepare<[number], { broadcast_id: number; user_id: string; text: string; reason: string; at: number }>(
    'SELECT broadcast_id, user_id, text, reason, at FROM broadcast_replies WHERE broadcast_id = ? ORDER BY at, user_id',
  ).all(broadcastId).map((x) => ({ broadcast: x.broadcast_id, user: x.user_id, text: x.text, reason: x.reason, at: x.at }));
}

const csvCell = (v: string): string => {
  // Neutralise spreadsheet formulas, quote everything.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** The collected replies as CSV (UTF-8 with BOM so Excel reads Chinese): broadcast,openid,reason,text,at. */
export function repliesCsv(db: Db, broadcastId: number): string {
  const lines = ['broadcast,openid,reason,text,at'];
  for (const r of listReplies(db, broadcastId)) {
    lines.push([String(r.broadcast), csvCell(r.user), csvCell(r.reason), csvCell(r.text), new Date(r.at).toISOString()].join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * The agent step: a text reply to an inviting broadcast is collected and confirmed; anything else passes on.
 * @example compose([..., replyCollection(db), ...skills])
 */
export function replyCollection(db: Db): Step {
  const any = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM broadcasts WHERE reply_keyword IS NOT NULL AND status != 'cancelled'");
  // Whether any broadcast invites replies, re-read only when broadcasts may have changed (revision.ts): no
  // time-based cache, so a reply a second after a broadcast went out — even one sent by another process —
  // is collected, while the common case (no inviting broadcast, nothing changed) costs one pragma read.
  let seen = '';
  let active = false;
  return async (ctx, next) => {
    const inbound = ctx.inbound;
    if (inbound.kind !== 'text' || inbound.channel !== 'wechat') return next();
    const revision = broadcastRevision(db);
    if (revision !== seen) {
      active = (any.get()?.n ?? 0) > 0;
      seen = revision;
    }
    if (!active) return next();
    const found = await ctx.write(() => collectReply(db, { account: inbound.account, user: inbound.user, text: inbound.text, dedupKey: inbound.dedupKey, now: ctx.now }));
    if (!found) return next();
    ctx.note({ intent: 'broadcast_reply', slots: { broadcast: found.broadcast } });
    ctx.answer(text(found.confirm), 'broadcast-reply');
  };
}
