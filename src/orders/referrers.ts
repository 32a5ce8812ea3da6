/**
 * The people whose shared links bring orders: group-buy leaders (团长) and store staff. Each has a code that
 * their links carry (`?ref=<code>`); in a Wechaty group, the group's leader refers every order its members
 * place. An unknown or disabled code refers nothing (a forged ref cannot claim an order).
 */
import { z } from 'zod';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { AccountId } from '../core/messages.ts';
import type { Db } from '../db/db.ts';

type ReferrerKind = 'leader' | 'staff';

export interface Referrer {
  readonly account: AccountId;
  readonly code: string;
  readonly name: string;
  readonly kind: ReferrerKind;
  readonly storeId: string | null;
  /** Told of their orders through Wechaty when set. */
  readonly wechatyContact: string | null;
  /** Told of their orders through the account (template or customer-service message) when set. */
  readonly openid: string | null;
  readonly disabled: boolean;
}

const CODE = /^[A-Za-z0-9_-]{1,32}$/;

export const referrerInputSchema = z.strictObject({
  code: z.string({ error: 'code: the code their links carry (ref=<code>): letters, digits, - and _, up to 32' })
    .regex(CODE, 'code: letters, digits, - and _ only, 1 to 32 characters'),
  name: z.string({ error: 'name: what the merchant calls them, e.g. 王姐' }).trim().min(1, 'name: at least one character').max(30, 'name: at most 30 characters'),
  kind: z.enum(['leader', 'staff'], { error: 'kind: leader (团长) or staff (店员)' }),
  store_id: z.string().trim().min(1).max(32).nullable().optional(),
  wechaty_contact: z.string().trim().min(1).max(128).nullable().optional(),
  openid: z.string().trim().min(1).max(64).nullable().optional(),
  disabled: z.boolean().optional(),
});
export type ReferrerInput = z.infer<typeof referrerInputSchema>;

interface Row {
  account: string;
  code: string;
  name: string;
  kind: ReferrerKind;
  store_id: string | null;
  wechaty_contact: string | null;
  openid: string | null;
  disabled: number;
}

const fromRow = (r: Row): Referrer => ({
  account: r.account as AccountId,
  code: r.code,
  name: r.name,
  kind: r.kind,
  storeId: r.store_id,
  wechatyContact: r.wechaty_contact,
  openid: r.openid,
  disabled: r.disabled === 1,
});

export const referrerToJson = (r: Referrer) => ({
  code: r.code, name: r.name, kind: r.kind, store_id: r.storeId, wechaty_contact: r.wechatyContact, openid: r.openid, disabled: r.disabled,
});

/** Is this a code a link may carry? (Checked before any lookup: a ref is follower-supplied.) */
export const isReferrerCode = (s: string): boolean => CODE.test(s);

export function createReferrerStore(db: Db, clock: Clock = systemClock) {
  const get = db.prepare<[string, string], Row>('SELECT * FROM referrers WHERE account = ? AND code = ?');
  const all = db.prepare<[string], Row>('SELECT * FROM referrers WHERE account = ? ORDER BY code');
  const upsert = db.prepare(`
    INSERT INTO referrers (account, code, name, kind, store_id, wechaty_contact, openid, disabled, created_at, updated_at)
    VALUES (@account, @code, @name, @kind, @store_id, @wechaty_contact, @openid, @disabled, @now, @now)
    ON CONFLICT (account, code) DO UPDATE SET name = excluded.name, kind = excluded.kind, store_id = excluded.store_id,
      wechaty_contact = excluded.wechaty_contact, openid = excluded.openid, disabled = excluded.disabled, updated_at = excluded.updated_at`);
  const leaderOf = db.prepare<[string, string], { referrer: string }>('SELECT referrer FROM group_leaders WHERE account = ? AND room_id = ?');
  const setLeader = db.prepare(`
    INSERT INTO group_leaders (account, room_id, referrer, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (account, room_id) DO UPDATE SET referrer = excluded.referrer, updated_at = excluded.updated_at`);
  const dropLeader = db.prepare('DELETE FROM group_leaders WHERE account = ? AND room_id = ?');
  const groups = db.prepare<[string], { room_id: string; referrer: string }>('SELECT room_id, referrer FROM group_leaders WHERE account = ? ORDER BY room_id');

  return {
    get: (account: AccountId, code: string): Referrer | null => {
      const row = get.get(account, code);
      return row ? fromRow(row) : null;
    },
    /** The referrer a link's `ref` names, when it is a live one of this account; else null. */
    active(account: AccountId, code: string | null | undefined): Referrer | null {
      if (!code || !isReferrerCode(code)) return null;
      const row = get.get(account, code);
      return row && row.disabled === 0 ? fromRow(row) : null;
    },
    list: (account: AccountId): Referrer[] => all.all(account).map(fromRow),
    save(account: AccountId, input: ReferrerInput): Referrer {
      upsert.run({
        account, code: input.code, name: input.name, kind: input.kind, store_id: input.store_id ?? null,
        wechaty_contact: input.wechaty_contact ?? null, openid: input.openid ?? null, disabled: input.disabled ? 1 : 0, now: clock.now(),
      });
      return fromRow(get.get(account, input.code)!);
    },
    /** The live leader of a Wechaty group, or null. */
    groupLeader(account: AccountId, roomId: string): Referrer | null {
      const code = leaderOf.get(account, roomId)?.referrer;
      return code === undefined ? null : this.active(account, code);
    },
    setGroupLeader(account: AccountId, roomId: string, code: string | null): void {
      if (code === null) dropLeader.run(account, roomId);
      else setLeader.run(account, roomId, code, clock.now());
    },
    groups: (account: AccountId): { roomId: string; referrer: string }[] => groups.all(account).map((g) => ({ roomId: g.room_id, referrer: g.referrer })),
  };
}
