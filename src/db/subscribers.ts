/** Followers of an account: follow state, opt-out, QR scene, last message and last known location. */
import type { AccountId, Channel, UserId } from '../core/messages.ts';
import type { Param, Sql } from './sql/sql.ts';

export interface Subscriber {
  readonly account: AccountId;
  readonly user: UserId;
  readonly subscribed: boolean;
  readonly optedOut: boolean;
  readonly firstScene: string | null;
  readonly lastScene: string | null;
  readonly lastMessageAt: number | null;
  readonly lastLocation: { readonly lat: number; readonly lng: number; readonly at: number } | null;
}

interface Row {
  account: string;
  user_id: string;
  subscribed: number;
  opted_out: number;
  first_scene: string | null;
  last_scene: string | null;
  last_message_at: number | null;
  last_lat: number | null;
  last_lng: number | null;
  last_location_at: number | null;
}

const fromRow = (r: Row): Subscriber => ({
  account: r.account as AccountId,
  user: r.user_id as UserId,
  subscribed: r.subscribed === 1,
  optedOut: r.opted_out === 1,
  firstScene: r.first_scene,
  lastScene: r.last_scene,
  lastMessageAt: r.last_message_at,
  lastLocation:
    r.last_lat !== null && r.last_lng !== null && r.last_location_at !== null
      ? { lat: r.last_lat, lng: r.last_lng, at: r.last_location_at }
      : null,
});

/** How much older than the real one a follower's stored last-message time may be (see `messaged`). */
const MESSAGE_TIME_RESOLUTION_MS = 60_000;

/** Inserts the follower's row or updates it: one statement, so two instances never race on "insert, then update". */
const upsert = (columns: readonly string[], set: string): string => `
  INSERT INTO subscribers (account, user_id, channel, ${columns.join(', ')}, created_at, updated_at)
  VALUES (?, ?, ?, ${columns.map(() => '?').join(', ')}, ?, ?)
  ON CONFLICT (account, user_id) DO UPDATE SET ${set}, updated_at = excluded.updated_at`;

const FOLLOW = upsert(['subscribed', 'subscribed_at', 'first_scene', 'last_scene'], `
  subscribed = 1, subscribed_at = excluded.subscribed_at,
  first_scene = COALESCE(subscribers.first_scene, excluded.first_scene),
  last_scene = COALESCE(excluded.last_scene, subscribers.last_scene)`);
const UNFOLLOW = upsert(['subscribed', 'unsubscribed_at'], 'subscribed = 0, unsubscribed_at = excluded.unsubscribed_at');
const SCAN = upsert(['first_scene', 'last_scene'], 'first_scene = COALESCE(subscribers.first_scene, excluded.first_scene), last_scene = excluded.last_scene');
const LOCATE = upsert(['last_lat', 'last_lng', 'last_location_at'],
  'last_lat = excluded.last_lat, last_lng = excluded.last_lng, last_location_at = excluded.last_location_at');
const OPT_OUT = upsert(['opted_out'], 'opted_out = excluded.opted_out');
// One statement on the hot path: every message a follower sends passes here. Followers write in bursts
// (女装, 更多, 2 …) and each row sits on its own page, so the time is only moved on when it is a minute newer
// (or the follower is marked unfollowed, or has no time yet): a skipped update writes no page. The stored time
// is then at most a minute older than the real one, which can only make the 48-hour window look shorter.
const MESSAGE = `
  INSERT INTO subscribers (account, user_id, channel, last_message_at, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (account, user_id) DO UPDATE SET
    last_message_at = excluded.last_message_at, subscribed = 1, updated_at = excluded.updated_at
  WHERE subscribers.subscribed = 0 OR subscribers.last_message_at IS NULL
    OR excluded.last_message_at - subscribers.last_message_at >= ?`;

/**
 * PostgreSQL's MESSAGE: attempted only when it would change the row (see PUT_CHANGED in sessions.ts: a conflict
 * left alone still locks the row, a write of its own).
 */
const MESSAGE_CHANGED = `
  INSERT INTO subscribers (account, user_id, channel, last_message_at, created_at, updated_at)
  SELECT CAST(? AS text), CAST(? AS text), CAST(? AS text), CAST(? AS bigint), CAST(? AS bigint), CAST(? AS bigint)
  WHERE NOT EXISTS (
    SELECT 1 FROM subscribers WHERE account = ? AND user_id = ? AND subscribed = 1 AND last_message_at > CAST(? AS bigint) - CAST(? AS bigint))
  ON CONFLICT (account, user_id) DO UPDATE SET
    last_message_at = excluded.last_message_at, subscribed = 1, updated_at = excluded.updated_at
  WHERE subscribers.subscribed = 0 OR subscribers.last_message_at IS NULL
    OR excluded.last_message_at - subscribers.last_message_at >= CAST(? AS bigint)`;

type Key = { account: AccountId; user: UserId; channel?: Channel };

/** All times are ms since the epoch. Each write is one statement (one unit of SQLite's group commit). */
export function createSubscriberStore(sql: Sql) {
  const write = async (text: string, k: Key, values: readonly Param[], at: number): Promise<void> => {
    await sql.run(text, [k.account, k.user, k.channel ?? 'wechat', ...values, at, at]);
  };
  return {
    async get(account: AccountId, user: UserId): Promise<Subscriber | null> {
      const row = await sql.get<Row>('SELECT * FROM subscribers WHERE account = ? AND user_id = ?', [account, user]);
      return row ? fromRow(row) : null;
    },
    followed: (k: Key, scene: string | null, at: number): Promise<void> => write(FOLLOW, k, [1, at, scene, scene], at),
    unfollowed: (k: Key, at: number): Promise<void> => write(UNFOLLOW, k, [0, at], at),
    scanned: (k: Key, scene: string, at: number): Promise<void> => write(SCAN, k, [scene, scene], at),
    /**
     * A follower wrote to us: they are following (only followers can), and the 48-hour window opens. The time
     * is stored with a resolution of `MESSAGE_TIME_RESOLUTION_MS` (see the statement above).
     */
    async messaged(k: Key, at: number): Promise<void> {
      const channel = k.channel ?? 'wechat';
      if (sql.dialect === 'postgres') {
        await sql.run(MESSAGE_CHANGED, [k.account, k.user, channel, at, at, at, k.account, k.user, at, MESSAGE_TIME_RESOLUTION_MS, MESSAGE_TIME_RESOLUTION_MS]);
      } else await sql.run(MESSAGE, [k.account, k.user, channel, at, at, at, MESSAGE_TIME_RESOLUTION_MS]);
    },
    located: (k: Key, lat: number, lng: number, at: number): Promise<void> => write(LOCATE, k, [lat, lng, at], at),
    setOptedOut: (k: Key, optedOut: boolean, at: number): Promise<void> => write(OPT_OUT, k, [optedOut ? 1 : 0], at),
  };
}
export type SubscriberStore = ReturnType<typeof createSubscriberStore>;
