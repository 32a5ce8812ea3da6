/**
 * The planner's reads: the facts the audience needs about every follower of an account (ledger counts, tags,
 * store and city, interests from the answer log), a page at a time, and the products a product pick freezes.
 */
import { realFollowerSql } from '../core/test-follower.ts';
import type { Param, Sql } from '../db/sql/sql.ts';
import type { PushChannel } from './model.ts';
import { interestsFromSlots, type AudienceNeeds, type Recipient } from './policy.ts';

/** The ledger windows and audience facts a planning read needs. */
export interface RecipientQuery {
  readonly account: string;
  readonly channel: PushChannel;
  readonly needs: AudienceNeeds;
  /** Pushes since `weekFrom` (weekly cap), mass messages since `monthFrom`, the 48-hour window from `windowFrom`. */
  readonly weekFrom: number;
  readonly monthFrom: number;
  readonly windowFrom: number;
  /** Interests come from the answer log since then. */
  readonly interestsFrom: number;
  /** Followers read per page (default RECIPIENT_PAGE). */
  readonly pageSize?: number;
}

/** A product pick of a broadcast: a category at any level, a tag, how many. */
export interface ProductPick {
  readonly category?: string | undefined;
  readonly tag?: string | undefined;
  readonly limit: number;
}

type RecipientRow = {
  user_id: string; channel: string; subscribed: number; opted_out: number; last_message_at: number | null;
  week: number; month_mass: number; cs: number; tags: string | null; store: string | null; city: string | null;
};

/** Followers read per page by `recipients` (keyset pagination: a 1M-follower account is 200 pages). */
const RECIPIENT_PAGE = 5_000;
/** A follower's tags in one column, separated by U+001F. */
const tagsOf = (dialect: Sql['dialect']): string => (dialect === 'postgres' ? 'string_agg(t.tag, chr(31))' : 'group_concat(t.tag, char(31))');

/**
 * Streams the facts the audience needs about every WeChat follower of the account (Wechaty contacts
 * excluded), by openid, a page at a time (keyset pagination: no cursor held open across awaits).
 */
export async function* readRecipients(sql: Sql, q: RecipientQuery): AsyncGenerator<Recipient[]> {
  const { needs } = q;
  const interests = needs.interests ? await interestsSince(sql, q.account, q.interestsFrom) : null;
  const page = sql.dialect === 'postgres' ? postgresPage(q) : sqlitePage(q);
  const size = q.pageSize ?? RECIPIENT_PAGE;
  let after = '';
  for (;;) {
    const rows = await sql.all<RecipientRow>(page.text, page.params(after, size));
    yield rows.map((r): Recipient => ({
      user: r.user_id, channel: r.channel, subscribed: r.subscribed === 1, optedOut: r.opted_out === 1, lastMessageAt: r.last_message_at,
      pushesThisWeek: r.week, massThisMonth: r.month_mass, customSinceLastMessage: r.cs,
      ...(needs.tags ? { tags: r.tags ? r.tags.split('\u001f') : [] } : {}),
      ...(needs.store ? { store: r.store } : {}),
      ...(needs.city ? { city: r.city } : {}),
      ...(interests ? { interests: interests.get(r.user_id) ?? [] } : {}),
    }));
    if (rows.length < size) return;
    after = rows.at(-1)!.user_id;
  }
}

/** One page's statement (its shape depends only on the channel and the needs: a handful, each prepared once) and its parameters. */
interface PageQuery {
  readonly text: string;
  params(after: string, size: number): Param[];
}

/** The columns every page statement ends with: the follower's tags, store and city, when the audience needs them. */
function audienceColumns(dialect: Sql['dialect'], needs: AudienceNeeds): { columns: string; joins: string } {
  const located = needs.store || needs.city;
  return {
    columns: `${needs.tags ? `(SELECT ${tagsOf(dialect)} FROM subscriber_tags t WHERE t.account = s.account AND t.user_id = s.user_id)` : 'NULL'} AS tags,
  ${located ? 'sf.store_id AS store, st.city AS city' : 'NULL AS store, NULL AS city'}`,
    joins: located ? 'LEFT JOIN store_followers sf ON sf.account = s.account AND sf.user_id = s.user_id LEFT JOIN stores st ON st.account = sf.account AND st.id = sf.store_id' : '',
  };
}

/** SQLite: each follower's ledger counts by index probes (in-process, a probe costs a few µs). */
function sqlitePage(q: RecipientQuery): PageQuery {
  const { channel } = q;
  const { columns, joins } = audienceColumns('sqlite', q.needs);
  const text = `
SELECT s.user_id, s.channel, s.subscribed, s.opted_out, s.last_message_at,
  (SELECT COUNT(*) FROM push_ledger p WHERE p.account = s.account AND p.user_id = s.user_id AND p.sent_at > ? AND p.kind = 'push') AS week,
  ${channel === 'mass' ? `(SELECT COUNT(*) FROM push_ledger p WHERE p.account = s.account AND p.user_id = s.user_id AND p.channel = 'mass' AND p.sent_at >= ?)` : '0'} AS month_mass,
  ${channel === 'custom' ? `CASE WHEN s.last_message_at > ? THEN (SELECT COUNT(*) FROM push_ledger p WHERE p.account = s.account AND p.user_id = s.user_id AND p.channel = 'custom' AND p.sent_at >= s.last_message_at) ELSE 0 END` : '0'} AS cs,
  ${columns}
FROM subscribers s
${joins}
WHERE s.account = ? AND s.channel = 'wechat' AND ${realFollowerSql('s.user_id')} AND s.user_id > ?
ORDER BY s.user_id LIMIT ?`;
  const windows: Param[] = [q.weekFrom, ...(channel === 'mass' ? [q.monthFrom] : []), ...(channel === 'custom' ? [q.windowFrom] : [])];
  return { text, params: (after, size) => [...windows, q.account, after, size] };
}

/**
 * PostgreSQL: the page's followers first, then the ledger rows of the same range of openids within the windows,
 * counted per follower in one pass and merged by openid. Two index probes per follower (as on SQLite) made
 * reading 1M followers ~12 s of server time; this reads each ledger row of the range once. The customer-service
 * sends since a follower's last message are the window's sends, kept as an array and counted against that time.
 */
function postgresPage(q: RecipientQuery): PageQuery {
  const { channel } = q;
  const { columns, joins } = audienceColumns('postgres', q.needs);
  const text = `
WITH s AS MATERIALIZED (
  SELECT s.account, s.user_id, s.channel, s.subscribed, s.opted_out, s.last_message_at FROM subscribers s
  WHERE s.account = ? AND s.channel = 'wechat' AND ${realFollowerSql('s.user_id')} AND s.user_id > ?
  ORDER BY s.user_id LIMIT ?),
l AS (
  SELECT p.user_id,
    COUNT(*) FILTER (WHERE p.sent_at > ? AND p.kind = 'push') AS week,
    ${channel === 'mass' ? "COUNT(*) FILTER (WHERE p.channel = 'mass' AND p.sent_at >= ?)" : '0'} AS month_mass,
    ${channel === 'custom' ? "array_agg(p.sent_at) FILTER (WHERE p.channel = 'custom' AND p.sent_at > ?)" : 'NULL'} AS custom_at
  FROM push_ledger p
  WHERE p.account = ? AND p.user_id > ? AND p.user_id <= (SELECT MAX(user_id) FROM s) AND p.sent_at >= ?
  GROUP BY p.user_id)
SELECT s.user_id, s.channel, s.subscribed, s.opted_out, s.last_message_at, COALESCE(l.week, 0) AS week, COALESCE(l.month_mass, 0) AS month_mass,
  ${channel === 'custom' ? 'CASE WHEN s.last_message_at > ? THEN (SELECT COUNT(*) FROM unnest(l.custom_at) AS c(at) WHERE c.at >= s.last_message_at) ELSE 0 END' : '0'} AS cs,
  ${columns}
FROM s LEFT JOIN l ON l.user_id = s.user_id
${joins}
ORDER BY s.user_id`;
  // The ledger rows any window needs: from the earliest of them.
  const from = Math.min(q.weekFrom, ...(channel === 'mass' ? [q.monthFrom] : []), ...(channel === 'custom' ? [q.windowFrom] : []));
  const windows: Param[] = [q.weekFrom, ...(channel === 'mass' ? [q.monthFrom] : []), ...(channel === 'custom' ? [q.windowFrom] : [])];
  return {
    text,
    params: (after, size) => [q.account, after, size, ...windows, q.account, after, from, ...(channel === 'custom' ? [q.windowFrom] : [])],
  };
}
/**
 * The newest products of a product pick (category at any level, tag), for the planner to freeze as text.
 * LIKE compares lower() on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's is not (for ASCII).
 */
export function pickProducts(sql: Sql, account: string, pick: ProductPick) {
  const where = ['account = ?', 'deleted = 0', 'off_sale = 0'];
  const params: Param[] = [account];
  if (pick.category) {
    where.push('(category = ? OR lower(category) LIKE lower(?) OR lower(category) LIKE lower(?))');
    params.push(pick.category, `${pick.category}/%`, `%/${pick.category}%`);
  }
  if (pick.tag) {
    where.push('lower(tags) LIKE lower(?)');
    params.push(`%"${pick.tag}"%`);
  }
  return sql.all<{ title: string; price_fen: number; url: string | null }>(
    `SELECT title, price_fen, url FROM products WHERE ${where.join(' AND ')} ORDER BY rev DESC, sku LIMIT ?`,
    [...params, pick.limit],
  );
}

/** Answer-log rows read per page by `interestsSince`. */
const INTEREST_PAGE = 5_000;

/**
 * Interests per follower: the categories and keywords of their searches in the answer log since `since`, read
 * a page at a time along the (account, created_at) index.
 */
async function interestsSince(sql: Sql, account: string, since: number): Promise<Map<string, string[]>> {
  const out = new Map<string, Set<string>>();
  let at = since;
  let id = -1;
  for (;;) {
    const rows = await sql.all<{ id: number; created_at: number; user_id: string; slots: string | null }>(
      `SELECT id, created_at, user_id, slots FROM answer_log
       WHERE account = ? AND created_at >= ? AND (created_at > ? OR id > ?) AND channel = 'wechat' AND slots IS NOT NULL
       ORDER BY created_at, id LIMIT ?`,
      [account, at, at, id, INTEREST_PAGE],
    );
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
    if (rows.length < INTEREST_PAGE) break;
    const last = rows.at(-1)!;
    at = last.created_at;
    id = last.id;
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}
