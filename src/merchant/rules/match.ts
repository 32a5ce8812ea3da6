/**
 * The matcher: rules compiled once per change into a `RuleSet`, then matched by pure functions of
 * (rule set, message, time). No I/O here; the live-reloading cache (book.ts) and the pipeline steps
 * (steps.ts) are the adapters around it.
 *
 * Order: higher `priority` first; at equal priority exact before contains before regex (the more precise
 * rule wins); then the older rule. A disabled rule, or one outside its active hours, is passed over.
 */
import { normalizeCommand } from '../../core/command.ts';
import { headOf, MAX_INPUT_CHARS } from '../../core/input.ts';
import { NO_REPLY, type Article, type Reply } from '../../core/messages.ts';
import { isActive } from './hours.ts';
import { isHttpUrl, safeText } from '../../core/link-safety.ts';
import type { MatchMode, Rule, RuleReply } from './model.ts';
import { compilePattern, type CompiledPattern } from './regex.ts';

/** Rules look at this much of a message (a follower's text is rarely longer; it bounds the work per message). */
export const MAX_MATCH_CHARS = MAX_INPUT_CHARS;
/** Regex rules not reached within this budget are skipped for the message (a guard; real rule sets take < 1 ms). */
const REGEX_BUDGET_MS = 15;

export interface CompiledRule {
  readonly rule: Rule;
  /** Keyword rules: the keywords as matched (normalised like commands; patterns as written). */
  readonly keywords: readonly string[];
  /** Regex rules: all the rule's patterns as one RE2 program. */
  readonly pattern: CompiledPattern | null;
}

export interface RuleSet {
  /** Keyword rules in the order they are tried. */
  readonly keyword: readonly CompiledRule[];
  readonly follow: readonly CompiledRule[];
  /** Scene rules by scene. */
  readonly scene: ReadonlyMap<string, readonly CompiledRule[]>;
  /** Click rules by menu key. */
  readonly click: ReadonlyMap<string, readonly CompiledRule[]>;
  readonly fallback: readonly CompiledRule[];
  /** Rules that could not be compiled (stored by another version), with the reason. */
  readonly broken: readonly { readonly rule: Rule; readonly reason: string }[];
}

export const EMPTY_RULE_SET: RuleSet = { keyword: [], follow: [], scene: new Map(), click: new Map(), fallback: [], broken: [] };

const MODE_RANK: Record<MatchMode, number> = { exact: 0, contains: 1, regex: 2 };

/** Compiles one stored rule; an error only for a pattern this build cannot run. */
export function compileRule(rule: Rule): { ok: true; compiled: CompiledRule } | { ok: false; reason: string } {
  if (rule.match === 'regex') {
    const r = compilePattern(rule.keywords);
    if (!r.ok) return { ok: false, reason: r.reason };
    return { ok: true, compiled: { rule, keywords: rule.keywords, pattern: r.pattern } };
  }
  const keywords = rule.match ? rule.keywords.map(normalizeCommand) : rule.keywords;
  return { ok: true, compiled: { rule, keywords, pattern: null } };
}

/**
 * The order rules are tried in (within keyword rules, or within one kind of event rule): higher priority
 * first, then exact before contains before regex, then the older rule. The console's list shows this order.
 */
export const tryOrder = (a: Rule, b: Rule): number =>
  b.priority - a.priority || (a.match ? MODE_RANK[a.match] : 0) - (b.match ? MODE_RANK[b.match] : 0) || a.id - b.id;

const byPrecedence = (a: CompiledRule, b: CompiledRule): number => tryOrder(a.rule, b.rule);

/** Orders compiled rules into a set (cheap: the compiling is done per rule, once per change). */
export function buildRuleSet(rules: readonly CompiledRule[], broken: RuleSet['broken'] = []): RuleSet {
  const keyword: CompiledRule[] = [];
  const follow: CompiledRule[] = [];
  const fallback: CompiledRule[] = [];
  const scene = new Map<string, CompiledRule[]>();
  const click = new Map<string, CompiledRule[]>();
  const add = (map: Map<string, CompiledRule[]>, key: string, c: CompiledRule) => {
    const list = map.get(key);
    if (list) list.push(c);
    else map.set(key, [c]);
  };
  for (const c of rules) {
    const { rule } = c;
    if (rule.match) keyword.push(c);
    else if (rule.event === 'follow') follow.push(c);
    else if (rule.event === 'fallback') fallback.push(c);
    else if (rule.event === 'scene') for (const k of rule.keywords) add(scene, k, c);
    else if (rule.event === 'click') for (const k of rule.keywords) add(click, k, c);
  }
  for (const list of [keyword, follow, fallback, ...scene.values(), ...click.values()]) list.sort(byPrecedence);
  return { keyword, follow, scene, click, fallback, broken };
}

/** Live now: enabled and within its active hours. */
const isLive = (c: CompiledRule, now: number): boolean => c.rule.enabled && isActive(c.rule.activeHours, now);

export interface TextMatch {
  readonly rule: Rule;
  /** The keyword that matched (for regex rules with several patterns: null; `explainText` tells which). */
  readonly keyword: string | null;
}

/** The message as rules see it: `command` for exact and contains (like 「帮助」 and 「TD」), `raw` for patterns. */
interface MatchText {
  readonly command: string;
  readonly raw: string;
}

function matchTextOf(text: string): MatchText {
  const head = headOf(text, MAX_MATCH_CHARS);
  return { command: normalizeCommand(head), raw: head.normalize('NFKC').trim() };
}

function keywordHit(c: CompiledRule, t: MatchText): string | null | false {
  switch (c.rule.match) {
    case 'exact':
      return c.keywords.find((k) => k === t.command) ?? false;
    case 'contains':
      return c.keywords.find((k) => t.command.includes(k)) ?? false;
    case 'regex':
      return c.pattern!.test(t.raw) ? (c.keywords.length === 1 ? c.keywords[0]! : null) : false;
    default:
      return false;
  }
}

export interface MatchOptions {
  /** A monotonic ms clock for the regex budget (default performance.now). */
  readonly elapsed?: () => number;
  readonly budgetMs?: number;
}

/**
 * The keyword rule that answers `text` at `now`, or null; `skipped` counts regex rules passed over because
 * the budget ran out (then logged: it means pathological patterns, which validation keeps out).
 * @example matchText(set, '有优惠吗', Date.now()) // { match: { rule, keyword: '优惠' }, skipped: 0 }
 */
export function matchText(set: RuleSet, text: string, now: number, options: MatchOptions = {}): { match: TextMatch | null; skipped: number } {
  if (set.keyword.length === 0) return { match: null, skipped: 0 };
  const t = matchTextOf(text);
  if (!t.command && !t.raw) return { match: null, skipped: 0 };
  const elapsed = options.elapsed ?? (() => performance.now());
  const budget = options.budgetMs ?? REGEX_BUDGET_MS;
  const started = elapsed();
  let skipped = 0;
  for (const c of set.keyword) {
    if (!isLive(c, now)) continue;
    if (c.pattern && elapsed() - started > budget) {
      skipped++;
      continue;
    }
    const hit = keywordHit(c, t);
    if (hit !== false) return { match: { rule: c.rule, keyword: hit }, skipped };
  }
  return { match: null, skipped };
}

/** The event rule that answers a follow, a QR scene or a menu key at `now`, or null. */
export function matchEvent(set: RuleSet, event: 'follow' | 'fallback', now: number): Rule | null;
export function matchEvent(set: RuleSet, event: 'scene' | 'click', now: number, key: string): Rule | null;
export function matchEvent(set: RuleSet, event: 'follow' | 'fallback' | 'scene' | 'click', now: number, key = ''): Rule | null {
  const list = event === 'follow' ? set.follow : event === 'fallback' ? set.fallback : (event === 'scene' ? set.scene : set.click).get(key) ?? [];
  return list.find((c) => isLive(c, now))?.rule ?? null;
}

type RuleCandidateStatus = 'answers' | 'outranked' | 'outside_hours' | 'disabled';

/** A keyword rule that matches a text, and what became of it (for `guang rules test`). */
export interface RuleCandidate {
  readonly rule: Rule;
  readonly keyword: string;
  readonly status: RuleCandidateStatus;
}

/**
 * Every keyword rule whose keywords match `text`, in the order they are tried, and what became of it:
 * the first live one answers; later live ones are outranked; the others are disabled or outside their hours.
 * For `guang rules test`: no budget here, it is not the hot path.
 */
export function explainText(set: RuleSet, text: string, now: number): RuleCandidate[] {
  const t = matchTextOf(text);
  const out: RuleCandidate[] = [];
  let answered = false;
  for (const c of set.keyword) {
    let keyword: string | null = null;
    if (c.rule.match === 'regex') {
      if (!c.pattern!.test(t.raw)) continue;
      keyword = c.keywords.find((k) => { const p = compilePattern([k]); return p.ok && p.pattern.test(t.raw); }) ?? c.keywords[0]!;
    } else {
      const hit = keywordHit(c, t);
      if (hit === false || hit === null) continue;
      keyword = hit;
    }
    const status: RuleCandidateStatus = !c.rule.enabled ? 'disabled' : !isActive(c.rule.activeHours, now) ? 'outside_hours' : answered ? 'outranked' : 'answers';
    if (status === 'answers') answered = true;
    out.push({ rule: c.rule, keyword, status });
  }
  return out;
}

/**
 * The replies a rule sends: all of them (`all`), or one at random (`random`, with the injected source).
 * @example chooseReplies(rule, Math.random)
 */
export function chooseReplies(rule: Rule, random: () => number): RuleReply[] {
  if (rule.replyMode === 'all' || rule.replies.length <= 1) return [...rule.replies];
  const i = Math.min(rule.replies.length - 1, Math.floor(random() * rule.replies.length));
  return [rule.replies[i]!];
}

/** A merchant's reply as the agent's channel-neutral `Reply`. */
export function toReply(r: RuleReply): Reply {
  // Links that are not http(s) are refused on write (schema.ts); ones stored before that check, or written
  // to the database by hand, are dropped here. A reply left with nothing to show is no reply.
  switch (r.type) {
    case 'text': {
      const content = safeText(r.content);
      return content.trim() === '' ? NO_REPLY : { type: 'text', text: content };
    }
    case 'news': {
      const articles = r.articles.filter((a) => isHttpUrl(a.url)).map((a): Article => ({
        title: a.title,
        url: a.url,
        ...(a.description ? { description: a.description } : {}),
        ...(a.image_url && isHttpUrl(a.image_url) ? { imageUrl: a.image_url } : {}),
      }));
      return articles.length === 0 ? NO_REPLY : { type: 'news', articles };
    }
    case 'image':
      return { type: 'image', mediaId: r.media_id };
  }
}
