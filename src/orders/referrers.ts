/**
 * The people whose shared links bring orders: group-buy leaders (团长) and store staff. Each has a code that
 * their links carry (`?ref=<code>`); in a Wechaty group, the group's leader refers every order its members
 * place. An unknown or disabled code refers nothing (a forged ref cannot claim an order).
 */
import { z } from 'zod';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { AccountId } from '../core/messages.ts';
import type { Tx } from '../db/sql/sql.ts';

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

const GET = 'SELECT * FROM referrers WHERE account = ? AND code = ?';
const ALL = 'SELECT * FROM referrers WHERE account = ? ORDER BY code';
const UPSERT = `INSERT INTO referrers (account, code, name, kind, store_id, wechaty_contact, openid, disabled, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (account, code) DO UPDATE SET name = excluded.name, kind = excluded.kind, store_id = excluded.store_id,
    wechaty_contact = excluded.wechaty_contact, openid = excluded.openid, disabled = excluded.disabled, updated_at = excluded.updated_at
  RETURNING *`;
const LEADER_OF = 'SELECT referrer FROM group_leaders WHERE account = ? AND room_id = ?';
const SET_LEADER = `INSERT INTO group_leaders (account, room_id, referrer, updated_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (account, room_id) DO UPDATE SET referrer = excluded.referrer, updated_at = excluded.updated_at`;
const DROP_LEADER = 'DELETE FROM group_leaders WHERE account = ? AND room_id = ?';
const GROUPS = 'SELECT room_id, referrer FROM group_leaders WHERE account = ? ORDER BY room_id';

/** Statements of an adapter or of a transaction (a notice enqueued for an order reads its referrer in the order's). */
type Queries = Pick<Tx, 'all' | 'get' | 'run'>;

/** @example await createReferrerStore(sql).save(account, { code: 'wangjie', name: '王姐', kind: 'leader' }) */
export function createReferrerStore(sql: Queries, clock: Clock = systemClock) {
  const store = {
    /** The referrer of a code, live or not; `on`: a transaction to read in. */
    get: async (account: AccountId, code: string, on: Queries = sql): Promise<Referrer | null> => {
      const row = await on.get<Row>(GET, [account, code]);
      return row ? fromRow(row) : null;
    },
    /** The referrer a link's `ref` names, when it is a live one of this account; else null. */
    async active(account: AccountId, code: string | null | undefined): Promise<Referrer | null> {
      if (!code || !isReferrerCode(code)) return null;
      const row = await sql.get<Row>(GET, [account, code]);
      return row && row.disabled === 0 ? fromRow(row) : null;
    },
    list: async (account: AccountId): Promise<Referrer[]> => (await sql.all<Row>(ALL, [account])).map(fromRow),
    async save(account: AccountId, input: ReferrerInput): Promise<Referrer> {
      const now = clock.now();
      const row = await sql.get<Row>(UPSERT, [
        account, input.code, input.name, input.kind, input.store_id ?? null,
        input.wechaty_contact ?? null, input.openid ?? null, input.disabled ? 1 : 0, now, now,
      ]);
      return fromRow(row!);
    },
    /** The live leader of a Wechaty group, or null. */
    async groupLeader(account: AccountId, roomId: string): Promise<Referrer | null> {
      const code = (await sql.get<{ referrer: string }>(LEADER_OF, [account, roomId]))?.referrer;
      return code === undefined ? null : store.active(account, code);
    },
    async setGroupLeader(account: AccountId, roomId: string, code: string | null): Promise<void> {
      if (code === null) await sql.run(DROP_LEADER, [account, roomId]);
      else await sql.run(SET_LEADER, [account, roomId, code, clock.now()]);
    },
    groups: async (account: AccountId): Promise<{ roomId: string; referrer: string }[]> =>
      (await sql.all<{ room_id: string; referrer: string }>(GROUPS, [account])).map((g) => ({ roomId: g.room_id, referrer: g.referrer })),
  };
  return store;
}
