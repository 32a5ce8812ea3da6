/**
 * Planning a run: load the audience's facts from SQLite, apply the pure planner (policy.ts), and write the
 * run and one outbox row per (run, follower) in ONE transaction — a crash leaves either no run or all of it.
 */
import type { AccountType } from '../core/config.ts';
import type { Db } from '../db/db.ts';
import type { Audience, Broadcast, BroadcastMessage, PushChannel } from './model.ts';
import {
  audienceNeeds, clientMsgId, CS_WINDOW_MS, interestsFromSlots, massBatchCount, plan, sendableAt, startOfDay, startOfMonth, WEEK_MS,
  type Candidate, type PlanCounts, type PolicyContext, type PushSettings,
} from './policy.ts';
import { createBroadcastStore, PushError, type Run, type RunCounts } from './store.ts';

/** The message as it will go out, frozen when the run is planned. */
export type FrozenMessage =
  | { readonly type: 'text'; readonly content: string }
  | { readonly type: 'news'; readonly article: { title: string; description?: string; url: string; image_url?: string } }
  | { readonly type: 'mpnews'; readonly media_id: string };

export interface PlanDeps {
  readonly db: Db;
  readonly accountType: AccountType;
  /** Mass batch size (2–10,000; default 10,000). */
  readonly massBatchSize?: number;
}

const INTEREST_LOOKBACK_MS = 90 * 24 * 3600_000;

/** Streams the facts the audience needs about every WeChat follower of the account (Wechaty contacts excluded). */
function* loadCandidates(db: Db, account: string, audience: Audience, channel: PushChannel, sendAt: number): Generator<Candidate> {
  const needs = audienceNeeds(audience);
  const interests = needs.interests ? loadInterests(db, account, sendAt - INTEREST_LOOKBACK_MS) : null;
  const sql = `
    SELECT s.user_id, s.channel, s.subscribed, s.opted_out, s.last_message_at,
      (SELECT COUNT(*) FROM push_ledger p WHERE p.account = s.account AND p.user_id = s.user_id AND p.sent_at > @weekFrom AND p.kind = 'push') AS week,
      ${channel === 'mass' ? `(SELECT COUNT(*) FROM push_ledger p WHERE p.account = s.account AND p.user_id = s.user_id AND p.channel = 'mass' AND p.sent_at >= @monthFrom)` : '0'} AS month_mass,
      ${channel === 'custom' ? `CASE WHEN s.last_message_at > @windowFrom THEN (SELECT COUNT(*) FROM push_ledger p WHERE p.account = s.account AND p.user_id = s.user_id AND p.channel = 'custom' AND p.sent_at >= s.last_message_at) ELSE 0 END` : '0'} AS cs,
      ${needs.tags ? `(SELECT group_concat(t.tag, char(31)) FROM subscriber_tags t WHERE t.account = s.account AND t.user_id = s.user_id)` : 'NULL'} AS tags,
      ${needs.store || needs.city ? 'sf.store_id AS store, st.city AS city' : 'NULL AS store, NULL AS city'}
    FROM subscribers s
    ${needs.store || needs.city ? 'LEFT JOIN store_followers sf ON sf.account = s.account AND sf.user_id = s.user_id LEFT JOIN stores st ON st.account = sf.account AND st.id = sf.store_id' : ''}
    WHERE s.account = @account AND s.channel = 'wechat'`;
  const rows = db.prepare<[Record<string, unknown>], {
    user_id: string; channel: string; subscribed: number; opted_out: number; last_message_at: number | null;
    week: number; month_mass: number; cs: number; tags: string | null; store: string | null; city: string | null;
  }>(sql).iterate({ account, weekFrom: sendAt - WEEK_MS, monthFrom: startOfMonth(sendAt, 'Asia/Shanghai'), windowFrom: sendAt - CS_WINDOW_MS });
  for (const r of rows) {
    yield {
      user: r.user_id,
      channel: r.channel,
      subscribed: r.subscribed === 1,
      optedOut: r.opted_out === 1,
      lastMessageAt: r.last_message_at,
      pushesThisWeek: r.week,
      massThisMonth: r.month_mass,
      customSinceLastMessage: r.cs,
      ...(needs.tags ? { tags: r.tags ? r.tags.split('\u001f') : [] } : {}),
      ...(needs.store ? { store: r.store } : {}),
      ...(needs.city ? { city: r.city } : {}),
      ...(interests ? { interests: interests.get(r.user_id) ?? [] } : {}),
    };
  }
}

function loadInterests(db: Db, account: string, since: number): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  const rows = db.prepare<[string, number], { user_id: string; slots: string | null }>(
    "SELECT user_id, slots FROM answer_log WHERE account = ? AND channel = 'wechat' AND created_at >= ? AND slots IS NOT NULL",
  ).iterate(account, since);
  for (const r of rows) {
    let slots: unknown;
    try {
      slots = JSON.parse(r.slots!);
    } catch {
      continue;
    }
    const found = interestsFromSlots(slots);
    if (found.length === 0) continue;
    let set = out.get(r.user_id);
    if (!set) out.set(r.user_id, (set = new Set()));
    for (const f of found) set.add(f);
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}

/** Mass sends the account made today (Asia/Shanghai), from the ledger. */
function massSendsToday(db: Db, account: string, at: number): number {
  const r = db.prepare<[string, number], { n: number }>(
    "SELECT COUNT(DISTINCT run_id) AS n FROM push_ledger WHERE account = ? AND channel = 'mass' AND sent_at >= ?",
  ).get(account, startOfDay(at, 'Asia/Shanghai'));
  return r?.n ?? 0;
}

/** 「本周女装新品 top 5」 → a text listing the newest matching products, resolved from the catalogue. */
function resolveMessage(db: Db, account: string, message: BroadcastMessage): FrozenMessage {
  if (message.type !== 'product_pick') return message;
  const where = ['account = @account', 'deleted = 0'];
  if (message.category) where.push("(category = @category OR category LIKE @category || '/%' OR category LIKE '%/' || @category || '%')");
  if (message.tag) where.push("tags LIKE '%\"' || @tag || '\"%'");
  const products = db.prepare<[Record<string, unknown>], { title: string; price_fen: number; url: string | null }>(
    `SELECT title, price_fen, url FROM products WHERE ${where.join(' AND ')} ORDER BY rev DESC, sku LIMIT @limit`,
  ).all({ account, category: message.category ?? null, tag: message.tag ?? null, limit: message.limit });
  if (products.length === 0) throw new PushError('blocked', `product pick 「${message.title}」: no products match${message.category ? ` category ${message.category}` : ''}${message.tag ? ` tag ${message.tag}` : ''}; import some or widen the pick`);
  const lines = products.map((p, i) => `${i + 1}. ${p.title} ¥${(p.price_fen / 100).toFixed(2).replace(/\.00$/, '')}${p.url ? `\n${p.url}` : ''}`);
  return { type: 'text', content: `${message.title}\n${lines.join('\n')}` };
}

export interface Preview extends PlanCounts {
  /** When the run would send: now, or the end of quiet hours. */
  readonly sendAt: number;
  /** Why nothing can be sent (subscription accounts' mass send cannot leave anyone out). */
  readonly blocked: string | null;
}

function policyContext(db: Db, deps: PlanDeps, b: Broadcast, settings: PushSettings, now: number): PolicyContext {
  const sendAt = sendableAt(now, settings);
  return {
    now, sendAt, channel: b.definition.channel, accountType: deps.accountType, weeklyCap: settings.weeklyCap,
    massSendsToday: b.definition.channel === 'mass' && deps.accountType === 'subscription' ? massSendsToday(db, b.account, sendAt) : 0,
  };
}

/** Subscription accounts mass-send with `sendall` to everyone: only possible when nobody is to be left out. */
function subscriptionBlock(deps: PlanDeps, b: Broadcast, counts: PlanCounts): string | null {
  if (b.definition.channel !== 'mass' || deps.accountType !== 'subscription' || counts.eligible === 0) return null;
  const excluded = counts.skipped.opted_out + counts.skipped.capped + counts.skipped.platform_limit;
  if (b.definition.audience.all && excluded === 0) return null;
  return 'a subscription account mass-sends to all followers (sendall) and cannot leave anyone out: use audience all with nobody opted out or capped, or channel custom';
}

/** Counts what a run would do now, writing nothing. */
export function previewBroadcast(deps: PlanDeps, b: Broadcast, settings: PushSettings, now: number): Preview {
  const ctx = policyContext(deps.db, deps, b, settings, now);
  const counts = plan(loadCandidates(deps.db, b.account, b.definition.audience, ctx.channel, ctx.sendAt), b.definition.audience, ctx);
  return { ...counts, sendAt: ctx.sendAt, blocked: subscriptionBlock(deps, b, counts) };
}

/**
 * Plans and records a run for one occurrence (`manual:<ms>`, `at:<ms>`, `cron:<ms>`): the run row and every
 * outbox row in one transaction. The same occurrence planned twice (two schedulers) yields the first run.
 */
export function createRun(deps: PlanDeps, b: Broadcast, settings: PushSettings, occurrence: string, now: number): Run {
  const { db } = deps;
  const store = createBroadcastStore(db);
  const message = resolveMessage(db, b.account, b.definition.message);
  const ctx = policyContext(db, deps, b, settings, now);
  const users: string[] = [];
  const lastMessage: (number | null)[] = [];
  const counts = plan(loadCandidates(db, b.account, b.definition.audience, ctx.channel, ctx.sendAt), b.definition.audience, ctx, (c) => {
    users.push(c.user);
    lastMessage.push(c.lastMessageAt);
  });
  const blocked = subscriptionBlock(deps, b, counts);
  if (blocked) throw new PushError('blocked', blocked);
  const runCounts: RunCounts = { audience: counts.audience, planned: counts.eligible, skipped: counts.skipped };
  const mass = ctx.channel === 'mass';
  const toAll = mass && deps.accountType === 'subscription';
  const batches = mass ? (toAll ? 1 : massBatchCount(users.length, deps.massBatchSize ?? 10_000)) : 0;
  // A single follower cannot be mass-sent by openid list (2–10,000): that is a platform limit.
  if (mass && !toAll && users.length === 1) {
    runCounts.planned = 0;
    runCounts.skipped.platform_limit++;
    users.length = 0;
  }
  return db.transaction((): Run => {
    const existing = db.prepare<[number, string], { id: number }>('SELECT id FROM broadcast_runs WHERE broadcast_id = ? AND occurrence = ?').get(b.id, occurrence);
    if (existing) return store.run(existing.id)!;
    const status = users.length === 0 ? 'done' : 'sending';
    const runId = Number(db.prepare(`
      INSERT INTO broadcast_runs (account, broadcast_id, occurrence, channel, status, message, counts, not_before, created_at, updated_at, finished_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      b.account, b.id, occurrence, ctx.channel, status, JSON.stringify(message), JSON.stringify(runCounts), ctx.sendAt, now, now, status === 'done' ? now : null,
    ).lastInsertRowid);
    const insert = db.prepare('INSERT INTO push_outbox (run_id, user_id, batch, state, last_message_at, updated_at) VALUES (?, ?, ?, \'pending\', ?, ?)');
    const total = users.length;
    for (let i = 0; i < total; i++) {
      const batch = mass ? Math.floor((i * batches) / total) : i;
      insert.run(runId, users[i]!, batch, lastMessage[i] ?? null, now);
    }
    if (mass) {
      const job = db.prepare('INSERT INTO push_mass_jobs (run_id, batch, client_msg_id, updated_at) VALUES (?, ?, ?, ?)');
      for (let k = 0; k < (total === 0 ? 0 : batches); k++) job.run(runId, k, clientMsgId(runId, k), now);
    }
    return store.run(runId)!;
  }).immediate();
}
