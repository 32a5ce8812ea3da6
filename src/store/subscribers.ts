/** Followers of an account: follow state, opt-out, QR scene, last message and last known location. */
import type { AccountId, Channel, UserId } from '../agent/types.ts';
import type { Db } from './db.ts';

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

/** How stale a follower's stored last-message time may be (see `messaged`). */
export const MESSAGE_TIME_RESOLUTION_MS = 60_000;
const RECENT_LIMIT = 50_000;
const recentKey = (k: { account: AccountId; user: UserId }) => `${k.account}\u0000${k.user}`;

/** All times are ms since the epoch. */
export function createSubscriberStore(db: Db) {
  const ensure = db.prepare(`
    INSERT INTO subscribers (account, user_id, channel, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT DO NOTHING`);
  const get = db.prepare<[string, string], Row>('SELECT * FROM subscribers WHERE account = ? AND user_id = ?');
  const follow = db.prepare(`
    UPDATE subscribers SET subscribed = 1, subscribed_at = @at, updated_at = @at,
      first_scene = COALESCE(first_scene, @scene), last_scene = COALESCE(@scene, last_scene)
    WHERE account = @account AND user_id = @user`);
  const unfollow = db.prepare(`
    UPDATE subscribers SET subscribed = 0, unsubscribed_at = @at, updated_at = @at
    WHERE account = @account AND user_id = @user`);
  const scan = db.prepare(`
    UPDATE subscribers SET first_scene = COALESCE(first_scene, @scene), last_scene = @scene, updated_at = @at
    WHERE account = @account AND user_id = @user`);
  // One statement on the hot path: every message a follower sends may pass here (see `messaged`).
  const message = db.prepare<[string, string, string, number, number, number]>(`
    INSERT INTO subscribers (account, user_id, channel, last_message_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (account, user_id) DO UPDATE SET
      last_message_at = excluded.last_message_at, subscribed = 1, updated_at = excluded.updated_at`);
  /** When this store last wrote each follower's last message time (account + user → ms). */
  const recentlyRecorded = new Map<string, number>();
  const location = db.prepare(`
    UPDATE subscribers SET last_lat = @lat, last_lng = @lng, last_location_at = @at, updated_at = @at
    WHERE account = @account AND user_id = @user`);
  const optOut = db.prepare(`
    UPDATE subscribers SET opted_out = @optedOut, updated_at = @at WHERE account = @account AND user_id = @user`);

  type Key = { account: AccountId; user: UserId; channel?: Channel };
  const touch = (k: Key, at: number) => ensure.run(k.account, k.user, k.channel ?? 'wechat', at, at);

  return {
    get(account: AccountId, user: UserId): Subscriber | null {
      const row = get.get(account, user);
      return row ? fromRow(row) : null;
    },
    followed(k: Key, scene: string | null, at: number): void {
      recentlyRecorded.delete(recentKey(k));
      touch(k, at);
      follow.run({ ...k, scene, at });
    },
    unfollowed(k: Key, at: number): void {
      recentlyRecorded.delete(recentKey(k));
      touch(k, at);
      unfollow.run({ ...k, at });
    },
    scanned(k: Key, scene: string, at: number): void {
      touch(k, at);
      scan.run({ ...k, scene, at });
    },
    /** A follower wrote to us: they are following (only followers can), and the 48-hour window opens. */
    messaged(k: Key, at: number): void {
      message.run(k.account, k.user, k.channel ?? 'wechat', at, at, at);
      if (recentlyRecorded.size >= RECENT_LIMIT) recentlyRecorded.clear(); // forgetting only costs a write
      recentlyRecorded.set(recentKey(k), at);
    },
    /**
     * True when this store wrote the follower's last message time less than `MESSAGE_TIME_RESOLUTION_MS`
     * before `at`, so a message at `at` need not be written. Followers write in bursts (女装, 更多, 2 …) and
     * each write lands on the follower's own page of the table; skipping leaves the stored time at most that
     * much older than the real one, which can only make the 48-hour window look shorter, never longer.
     */
    messagedRecently(k: Key, at: number): boolean {
      const last = recentlyRecorded.get(recentKey(k));
      return last !== undefined && at >= last && at - last < MESSAGE_TIME_RESOLUTION_MS;
    },
    /** Forgets what `messagedRecently` remembers of a follower (after a write that did not land). */
    forgetRecent(k: Key): void {
      recentlyRecorded.delete(recentKey(k));
    },
    located(k: Key, lat: number, lng: number, at: number): void {
      touch(k, at);
      location.run({ ...k, lat, lng, at });
    },
    setOptedOut(k: Key, optedOut: boolean, at: number): void {
      touch(k, at);
      optOut.run({ ...k, optedOut: optedOut ? 1 : 0, at });
    },
  };
}
export type SubscriberStore = ReturnType<typeof createSubscriberStore>;
