/**
 * Planning a run: the audience's facts from the outbox's reads, the pure planner (policy.ts) over them, and the
 * run with one outbox row per (run, follower) written in ONE transaction (outbox.ts, recordRun).
 */
import type { AccountType } from '../core/config.ts';
import type { Sql } from '../db/sql/sql.ts';
import { PushError, type Broadcast, type BroadcastMessage, type FrozenMessage, type Run, type RunCounts } from './model.ts';
import { pushOutbox, type PushOutbox } from './outbox.ts';
import {
  audienceNeeds, CS_WINDOW_MS, massBatchCount, plan, sendableAt, startOfDay, startOfMonth, WEEK_MS,
  type PlanCounts, type PolicyContext, type PushSettings, type Recipient,
} from './policy.ts';

export interface PlanDeps {
  readonly sql: Sql;
  readonly accountType: AccountType;
  /** Mass batch size (2–10,000; default 10,000). */
  readonly massBatchSize?: number;
}

const INTEREST_LOOKBACK_MS = 90 * 24 * 3600_000;

/** Plans over every WeChat follower of the account as of `ctx.sendAt`, a page of their facts at a time. */
async function planAudience(outbox: PushOutbox, b: Broadcast, ctx: PolicyContext, take?: (c: Recipient) => void): Promise<PlanCounts> {
  const { sendAt } = ctx;
  const pages = outbox.recipients({
    account: b.account, channel: ctx.channel, needs: audienceNeeds(b.definition.audience),
    weekFrom: sendAt - WEEK_MS, monthFrom: startOfMonth(sendAt, 'Asia/Shanghai'), windowFrom: sendAt - CS_WINDOW_MS,
    interestsFrom: sendAt - INTEREST_LOOKBACK_MS,
  });
  let counts: PlanCounts | undefined;
  for await (const page of pages) counts = plan(page, b.definition.audience, ctx, take, counts);
  return counts ?? plan([], b.definition.audience, ctx);
}

/** 「本周女装新品 top 5」 → a text listing the newest matching products, resolved from the catalogue. */
export async function resolveMessage(outbox: PushOutbox, account: string, message: BroadcastMessage): Promise<FrozenMessage> {
  if (message.type !== 'product_pick') return message;
  const products = await outbox.pickProducts(account, message);
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

async function policyContext(outbox: PushOutbox, deps: PlanDeps, b: Broadcast, settings: PushSettings, now: number): Promise<PolicyContext> {
  const sendAt = sendableAt(now, settings);
  return {
    now, sendAt, channel: b.definition.channel, accountType: deps.accountType, weeklyCap: settings.weeklyCap,
    // Mass sends the account made today (Asia/Shanghai): subscription accounts have one a day.
    massSendsToday: b.definition.channel === 'mass' && deps.accountType === 'subscription' ? await outbox.massRunsSince(b.account, startOfDay(sendAt, 'Asia/Shanghai')) : 0,
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
export async function previewBroadcast(deps: PlanDeps, b: Broadcast, settings: PushSettings, now: number): Promise<Preview> {
  const outbox = pushOutbox(deps.sql);
  const ctx = await policyContext(outbox, deps, b, settings, now);
  const counts = await planAudience(outbox, b, ctx);
  return { ...counts, sendAt: ctx.sendAt, blocked: subscriptionBlock(deps, b, counts) };
}

/**
 * Plans and records a run for one occurrence (`manual:<ms>`, `at:<ms>`, `cron:<ms>`): the run row and every
 * outbox row in one transaction, which also moves the broadcast (sending, or on when nobody is to be sent).
 * The same occurrence planned twice (two schedulers, on any instances) yields the first run.
 */
export async function createRun(deps: PlanDeps, b: Broadcast, settings: PushSettings, occurrence: string, now: number): Promise<Run> {
  const outbox = pushOutbox(deps.sql);
  const message = await resolveMessage(outbox, b.account, b.definition.message);
  const ctx = await policyContext(outbox, deps, b, settings, now);
  const users: string[] = [];
  const lastMessageAt: (number | null)[] = [];
  const counts = await planAudience(outbox, b, ctx, (c) => {
    users.push(c.user);
    lastMessageAt.push(c.lastMessageAt);
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
  return outbox.recordRun({ broadcast: b, occurrence, channel: ctx.channel, message, counts: runCounts, notBefore: ctx.sendAt, users, lastMessageAt, batches }, now);
}
