/**
 * Who is told of a new order through the account: the merchant's staff (store null: every order) and each
 * store's staff (that store's orders), by their openid of the account. Table notice_recipients.
 */
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import { say } from '../../core/localised.ts';
import type { Db } from '../../db/db.ts';

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

/** @example createRecipientStore(db).add('default', { openid: 'o-staff-1', name: '小王', store_id: null }) */
export function createRecipientStore(db: Db, clock: Clock = systemClock) {
  const insert = db.prepare<[string, string | null, string, string, number], { id: number }>(`
    INSERT INTO notice_recipients (account, store_id, openid, name, created_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT DO NOTHING RETURNING id`);
  const byId = db.prepare<[string, number], Row>('SELECT * FROM notice_recipients WHERE account = ? AND id = ?');
  const remove = db.prepare<[string, number]>('DELETE FROM notice_recipients WHERE account = ? AND id = ?');
  // UNIQUE (account, store_id, openid) does not hold for store_id NULL (NULLs differ): looked up by hand.
  const same = db.prepare<[string, string | null, string], Row>('SELECT * FROM notice_recipients WHERE account = ? AND store_id IS ? AND openid = ?');
  return {
    /** Everyone of the account, or of one store (store_id given), or the merchant's staff (null). */
    list(account: string, storeId?: string | null): NoticeRecipient[] {
      const rows = storeId === undefined
        ? db.prepare<[string], Row>('SELECT * FROM notice_recipients WHERE account = ? ORDER BY id').all(account)
        : db.prepare<[string, string | null], Row>('SELECT * FROM notice_recipients WHERE account = ? AND store_id IS ? ORDER BY id').all(account, storeId);
      return rows.map(fromRow);
    },
    /** Those told of an order of `storeId`: the merchant's staff and that store's staff. */
    forOrder(account: string, storeId: string | null): { staff: NoticeRecipient[]; store: NoticeRecipient[] } {
      return { staff: this.list(account, null), store: storeId === null ? [] : this.list(account, storeId) };
    },
    /** Adds one; the same person for the same store again returns the existing one (`created: false`). */
    add(account: string, input: RecipientInput): { recipient: NoticeRecipient; created: boolean } {
      return db.transaction(() => {
        const storeId = input.store_id ?? null;
        const existing = same.get(account, storeId, input.openid);
        if (existing) return { recipient: fromRow(existing), created: false };
        const { id } = insert.get(account, storeId, input.openid, input.name, clock.now())!;
        return { recipient: fromRow(byId.get(account, id)!), created: true };
      }).immediate();
    },
    get(account: string, id: number): NoticeRecipient | null {
      const r = byId.get(account, id);
      return r ? fromRow(r) : null;
    },
    remove: (account: string, id: number): boolean => remove.run(account, id).changes === 1,
  };
}
