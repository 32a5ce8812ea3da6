/**
 * Who is told of a new order through the account: the merchant's staff (store null: every order) and each
 * store's staff (that store's orders), by their openid of the account. Table notice_recipients.
 */
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import { say } from '../../core/localised.ts';
import type { Sql, Tx } from '../../db/sql/sql.ts';

export interface NoticeRecipient {
  readonly id: number;
  readonly account: string;
  /** null: the merchant's staff (told of every order); else the store whose orders they are told of. */
  readonly storeId: string | null;
  readonly openid: string;
  readonly name: string;
  readonly createdAt: number;
}

interface Row {
  id: number;
  account: string;
  store_id: string | null;
  openid: string;
  name: string;
  created_at: number;
}

const fromRow = (r: Row): NoticeRecipient => ({ id: r.id, account: r.account, storeId: r.store_id, openid: r.openid, name: r.name, createdAt: r.created_at });

export const recipientInputSchema = z.strictObject({
  openid: z.string({ error: say({ en: 'openid: the person\'s openid of this account (they follow it)', zh: '请填写接收人的 openid' }) }).trim()
    .regex(/^[A-Za-z0-9_-]{6,64}$/, say({ en: 'openid: 6 to 64 letters, digits, - and _ (as the platform gives it)', zh: 'openid 应为 6 到 64 位字母、数字、- 或 _' })),
  name: z.string({ error: say({ en: 'name: what the merchant calls them, e.g. 小王', zh: '请填写接收人的称呼，如「小王」' }) }).trim()
    .min(1, say({ en: 'name: at least one character', zh: '称呼不能为空' })).max(30, say({ en: 'name: at most 30 characters', zh: '称呼最多 30 个字' })),
  store_id: z.string({ error: say({ en: 'store_id: a store\'s id, or null for the merchant\'s staff (every order)', zh: '门店应为门店编号，或留空表示总部员工' }) }).trim()
    .min(1, say({ en: 'store_id: a store\'s id, or null', zh: '门店编号不能为空；总部员工请留空' })).max(32, say({ en: 'store_id: at most 32 characters', zh: '门店编号最多 32 个字符' }))
    .nullable().optional(),
}, { error: say({ en: 'a recipient: {openid, name, store_id}', zh: '接收人应包含 openid、称呼和门店' }) });
export type RecipientInput = z.infer<typeof recipientInputSchema>;

export const recipientToJson = (r: NoticeRecipient) => ({ id: r.id, openid: r.openid, name: r.name, store_id: r.storeId, created_at: new Date(r.createdAt).toISOString() });

const INSERT = `INSERT INTO notice_recipients (account, store_id, openid, name, created_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT DO NOTHING RETURNING id`;
const BY_ID = 'SELECT * FROM notice_recipients WHERE account = ? AND id = ?';
const REMOVE = 'DELETE FROM notice_recipients WHERE account = ? AND id = ?';
// UNIQUE (account, store_id, openid) does not hold for store_id NULL (NULLs differ): looked up by hand.
const SAME = 'SELECT * FROM notice_recipients WHERE account = ? AND store_id IS NOT DISTINCT FROM ? AND openid = ?';
const ALL = 'SELECT * FROM notice_recipients WHERE account = ? ORDER BY id';
const OF_STORE = 'SELECT * FROM notice_recipients WHERE account = ? AND store_id IS NOT DISTINCT FROM ? ORDER BY id';

/** Statements of an adapter or of a transaction (the notices of an order are planned in the order's). */
type Queries = Pick<Tx, 'all' | 'get' | 'run'>;

/** @example await createRecipientStore(sql).add('default', { openid: 'o-staff-1', name: '小王', store_id: null }) */
export function createRecipientStore(sql: Sql, clock: Clock = systemClock) {
  const store = {
    /** Everyone of the account, or of one store (store_id given), or the merchant's staff (null). `on`: a transaction to read in. */
    async list(account: string, storeId?: string | null, on: Queries = sql): Promise<NoticeRecipient[]> {
      const rows = storeId === undefined ? await on.all<Row>(ALL, [account]) : await on.all<Row>(OF_STORE, [account, storeId]);
      return rows.map(fromRow);
    },
    /** Those told of an order of `storeId`: the merchant's staff and that store's staff. */
    async forOrder(account: string, storeId: string | null, on: Queries = sql): Promise<{ staff: NoticeRecipient[]; store: NoticeRecipient[] }> {
      return { staff: await store.list(account, null, on), store: storeId === null ? [] : await store.list(account, storeId, on) };
    },
    /** Adds one; the same person for the same store again returns the existing one (`created: false`). */
    add(account: string, input: RecipientInput): Promise<{ recipient: NoticeRecipient; created: boolean }> {
      const storeId = input.store_id ?? null;
      // Read, then insert: two instances adding the same person at once take turns (no unique index covers NULL).
      return sql.transaction(async (tx) => {
        const existing = await tx.get<Row>(SAME, [account, storeId, input.openid]);
        if (existing) return { recipient: fromRow(existing), created: false };
        const { id } = (await tx.get<{ id: number }>(INSERT, [account, storeId, input.openid, input.name, clock.now()]))!;
        return { recipient: fromRow((await tx.get<Row>(BY_ID, [account, id]))!), created: true };
      }, { lock: `notice-recipient:${account}:${input.openid}` });
    },
    async get(account: string, id: number): Promise<NoticeRecipient | null> {
      const r = await sql.get<Row>(BY_ID, [account, id]);
      return r ? fromRow(r) : null;
    },
    remove: async (account: string, id: number): Promise<boolean> => (await sql.run(REMOVE, [account, id])).changes === 1,
  };
  return store;
}
