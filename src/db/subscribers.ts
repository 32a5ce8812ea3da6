/** Followers of an account: follow state, opt-out, QR scene, last message and last known location. */
import type { AccountId, Channel, UserId } from '../core/messages.ts';
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

/** How much older than the real one a follower's stored last-message time may be (see `messaged`). */
const MESSAGE_TIME_RESOLUTION_MS = 60_000;

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
  // One statement on the hot path: every message a follower sends passes here. Followers write in bursts
  // (女装, 更多, 2 …) and each row sits on its own page, so the time is only moved on when it is a minute newer
  // (or the follower is marked unfollowed, or has no time yet): a skipped update writes no page. The stored time
  // is then at most a minute older than the real one, which can only make the 48-hour window look shorter.
  const message = db.prepare<[string, string, string, number, number, number, number]>(`
    INSERT INTO subscribers (account, user_id, channel, last_message_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (account, user_id) DO UPDATE SET
      last_message_at = excluded.last_message_at, subscribed = 1, updated_at = excluded.updated_at
    WHERE subscribed = 0 OR last_message_at IS NULL OR excluded.last_message_at - last_message_at >= ?`);
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
      touch(k, at);
      follow.run({ ...k, scene, at });
    },
    unfollowed(k: Key, at: number): void {
      touch(k, at);
      unfollow.run({ ...k, at });
    },
    scanned(k: Key, scene: string, at: number): void {
      touch(k, at);
      scan.run({ ...k, scene, at });
    },
    /**
     * A follower wrote to us: they are following (only followers can), and the 48-hour window opens. The time
     * is stored with a resolution of `MESSAGE_TIME_RESOLUTION_MS` (see the statement above).
     */
    messaged(k: Key, at: number): void {
      message.run(k.account, k.user, k.channel ?? 'wechat', at, at, at, MESSAGE_TIME_RESOLUTION_MS);
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
