/**
 * A merchant's physical stores and the followers they bring. Each store's parametric QR codes carry the
 * store id as the scene, so a follow (`EventKey=qrscene_<id>`) or a scan (`EventKey=<id>`) names the store.
 * The follower is attributed to a store (the first one wins unless the account says `last`), tagged
 * `store:<id>`, and counted: follows, scans, followers and active followers per store.
 */
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import { MerchantError } from '../../core/errors.ts';
import { unsafeLinks } from '../../core/link-safety.ts';
import { nextRevision } from '../../db/merchant-revision.ts';
import type { Attribution } from '../settings.ts';
import type { Db } from '../../db/db.ts';
import { asSql } from '../../db/sql/sqlite.ts';
import type { Sql, Tx } from '../../db/sql/sql.ts';

const STORE_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** A follower who wrote within this long counts as active. */
const ACTIVE_WINDOW_MS = 30 * 24 * 3600_000;
const storeTag = (storeId: string) => `store:${storeId}`;

export interface Store {
  readonly id: string;
  readonly account: string;
  readonly name: string;
  readonly city: string | null;
  /** Where the store is and when it opens, for 「门店在哪」「几点开门」 (null: not given). */
  readonly address: string | null;
  readonly hours: string | null;
  /** Sent to a follower who follows or scans through the store's code (null: the usual welcome). */
  readonly welcome: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

const welcomeText = z
  .string({ error: 'welcome: the text a follower gets on following or scanning through this store\'s code' })
  .refine((s) => s.trim() !== '', { error: 'welcome: empty reply; leave welcome out (null) for the usual welcome' })
  .refine((s) => Buffer.byteLength(s, 'utf8') <= 2048, { error: 'welcome: reply over 2048 bytes (UTF-8; a Chinese character takes 3)' })
  // The same check as a rule's text reply: a javascript:/data: link would run in the follower's client.
  .superRefine((s, ctx) => {
    const unsafe = unsafeLinks(s);
    if (unsafe.length > 0) {
      ctx.addIssue(`welcome: only http:// or https:// links: <a href="https://…">…</a>; found ${unsafe.map((u) => JSON.stringify(u)).join(', ')}`);
    }
  });

export const storeInputSchema = z.strictObject({
  id: z.string({ error: 'id: the store\'s id, e.g. sh-jingan (letters, digits, - and _, up to 32): it becomes the QR code\'s scene' })
    .regex(STORE_ID, 'id: letters, digits, - and _ only, 1 to 32 characters (it becomes the QR code\'s scene)'),
  name: z.string({ error: 'name: the store\'s name' }).trim().min(1, 'name: the store\'s name').max(40, 'name: at most 40 characters'),
  city: z.string().trim().min(1).max(20, 'city: at most 20 characters').nullable().optional(),
  address: z.string({ error: 'address: where the store is, e.g. 上海市静安区南京西路 1601 号' }).trim().min(1, 'address: empty; null clears it')
    .max(100, 'address: at most 100 characters').nullable().optional(),
  hours: z.string({ error: 'hours: when the store is open, e.g. 每天 10:00–22:00' }).trim().min(1, 'hours: empty; null clears it')
    .max(60, 'hours: at most 60 characters').nullable().optional(),
  welcome: welcomeText.nullable().optional(),
});
export type StoreInput = z.infer<typeof storeInputSchema>;

export const storePatchSchema = storeInputSchema.omit({ id: true }).partial();
export type StorePatch = z.infer<typeof storePatchSchema>;

interface Row {
  account: string;
  id: string;
  name: string;
  city: string | null;
  address: string | null;
  hours: string | null;
  welcome: string | null;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): Store => ({
  id: r.id,
  account: r.account,
  name: r.name,
  city: r.city,
  address: r.address,
  hours: r.hours,
  welcome: r.welcome,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const storeToJson = (s: Store) => ({
  id: s.id,
  name: s.name,
  city: s.city,
  address: s.address,
  hours: s.hours,
  welcome: s.welcome,
  created_at: new Date(s.createdAt).toISOString(),
  updated_at: new Date(s.updatedAt).toISOString(),
});

export interface StoreCounts {
  readonly store: string;
  readonly name: string;
  readonly city: string | null;
  /** Follows through the store's codes in the period. */
  readonly follows: number;
  /** Scans by existing followers in the period. */
  readonly scans: number;
  /** Followers attributed to the store who still follow. */
  readonly followers: number;
  /** Of those, who wrote within the last 30 days. */
  readonly activeFollowers: number;
}

export interface QrCodeRecord {
  readonly id: number;
  readonly storeId: string;
  readonly scene: string;
  readonly permanent: boolean;
  readonly ticket: string;
  readonly url: string;
  readonly showUrl: string;
  readonly expiresAt: number | null;
  readonly createdAt: number;
}

export const qrCodeToJson = (q: QrCodeRecord) => ({
  id: q.id,
  store: q.storeId,
  scene: q.scene,
  permanent: q.permanent,
  ticket: q.ticket,
  url: q.url,
  show_url: q.showUrl,
  expires_at: q.expiresAt === null ? null : new Date(q.expiresAt).toISOString(),
  created_at: new Date(q.createdAt).toISOString(),
});

type QrRow = { id: number; store_id: string; scene: string; permanent: number; ticket: string; url: string; show_url: string; expires_at: number | null; created_at: number };

const qrFromRow = (r: QrRow): QrCodeRecord => ({
  id: r.id,
  storeId: r.store_id,
  scene: r.scene,
  permanent: r.permanent === 1,
  ticket: r.ticket,
  url: r.url,
  showUrl: r.show_url,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
});

const COUNTS = `
  SELECT s.id AS store, s.name, s.city,
    (SELECT count(*) FROM store_events e WHERE e.account = s.account AND e.store_id = s.id AND e.kind = 'follow' AND e.at >= ? AND e.at < ?) AS follows,
    (SELECT count(*) FROM store_events e WHERE e.account = s.account AND e.store_id = s.id AND e.kind = 'scan' AND e.at >= ? AND e.at < ?) AS scans,
    (SELECT count(*) FROM store_followers f JOIN subscribers u ON u.account = f.account AND u.user_id = f.user_id
      WHERE f.account = s.account AND f.store_id = s.id AND u.subscribed = 1) AS followers,
    (SELECT count(*) FROM store_followers f JOIN subscribers u ON u.account = f.account AND u.user_id = f.user_id
      WHERE f.account = s.account AND f.store_id = s.id AND u.subscribed = 1 AND u.last_message_at >= ?) AS active_followers
  FROM stores s WHERE s.account = ? ORDER BY s.id`;

/**
 * @example
 * const stores = createStoreRegistry(sql);
 * await stores.create('default', { id: 'sh-jingan', name: '静安店', city: '上海' });
 * await stores.attribute({ account: 'default', user, storeId: 'sh-jingan', via: 'follow', at: Date.now(), mode: 'first' });
 */
export function createStoreRegistry(db: Db | Sql, clock: Clock = systemClock) {
  const sql = asSql(db);
  const GET = 'SELECT * FROM stores WHERE account = ? AND id = ?';
  const STORE_OF = 'SELECT store_id FROM store_followers WHERE account = ? AND user_id = ?';

  // The revision's row lock serialises store writes across instances: an update reads the row it replaces.
  const write = <R>(fn: (tx: Tx, now: number) => Promise<R>): Promise<R> =>
    sql.transaction(async (tx) => {
      await nextRevision(tx);
      return fn(tx, clock.now());
    });

  return {
    async get(account: string, id: string): Promise<Store | null> {
      const row = await sql.get<Row>(GET, [account, id]);
      return row ? fromRow(row) : null;
    },
    /** A page of the account's stores by id. */
    list: async (account: string, options: { limit: number; after?: string | undefined }): Promise<Store[]> =>
      (await sql.all<Row>('SELECT * FROM stores WHERE account = ? AND id > ? ORDER BY id LIMIT ?', [account, options.after ?? '', options.limit])).map(fromRow),
    /** The account's store names by id, for answers that name the stores they mention. */
    names: async (account: string): Promise<ReadonlyMap<string, string>> =>
      new Map((await sql.all<{ id: string; name: string }>('SELECT id, name FROM stores WHERE account = ?', [account])).map((r) => [r.id, r.name])),
    /** Every store of every account (for the live cache). */
    all: async (): Promise<Store[]> => (await sql.all<Row>('SELECT * FROM stores ORDER BY account, id')).map(fromRow),
    /** Throws MerchantError('conflict') when the id is taken (by another instance at the same moment too). */
    create(account: string, input: StoreInput): Promise<Store> {
      return write(async (tx, now) => {
        const row = await tx.get<Row>(
          `INSERT INTO stores (account, id, name, city, address, hours, welcome, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (account, id) DO NOTHING RETURNING *`,
          [account, input.id, input.name, input.city ?? null, input.address ?? null, input.hours ?? null, input.welcome ?? null, now, now],
        );
        if (!row) throw new MerchantError('conflict', `a store with id ${input.id} already exists; edit it, or choose another id`);
        return fromRow(row);
      });
    },
    /** Applies a patch (null clears city, address, hours or welcome); null when there is no such store. */
    update(account: string, id: string, patch: StorePatch): Promise<Store | null> {
      return write(async (tx, now) => {
        const row = await tx.get<Row>(GET, [account, id]);
        if (!row) return null;
        const updated = await tx.get<Row>(
          'UPDATE stores SET name = ?, city = ?, address = ?, hours = ?, welcome = ?, updated_at = ? WHERE account = ? AND id = ? RETURNING *',
          [
            patch.name ?? row.name,
            patch.city === undefined ? row.city : patch.city,
            patch.address === undefined ? row.address : patch.address,
            patch.hours === undefined ? row.hours : patch.hours,
            patch.welcome === undefined ? row.welcome : patch.welcome,
            now,
            account,
            id,
          ],
        );
        return updated ? fromRow(updated) : null;
      });
    },
    /** Deletes the store (its followers keep their attribution and tag for the record). */
    remove: (account: string, id: string): Promise<boolean> =>
      write(async (tx) => (await tx.run('DELETE FROM stores WHERE account = ? AND id = ?', [account, id])).changes > 0),
    /**
     * Records a follow or scan through a store's code: the event (for the counts), the attribution (first
     * store wins, or the latest with mode `last`) and the follower's `store:<id>` tag, in one unit (it joins the
     * message's group commit on SQLite). Resolves to the store the follower now belongs to.
     */
    attribute(a: { account: string; user: string; storeId: string; via: 'follow' | 'scan'; at: number; mode: Attribution }): Promise<string> {
      return sql.transaction(async (tx) => {
        await tx.run('INSERT INTO store_events (account, store_id, user_id, kind, at) VALUES (?, ?, ?, ?, ?)', [a.account, a.storeId, a.user, a.via, a.at]);
        // ON CONFLICT settles two instances attributing one follower at once: one row, first or last as asked.
        await tx.run(
          a.mode === 'last'
            ? `INSERT INTO store_followers (account, user_id, store_id, via, attributed_at) VALUES (?, ?, ?, ?, ?)
              ON CONFLICT (account, user_id) DO UPDATE SET store_id = excluded.store_id, via = excluded.via, attributed_at = excluded.attributed_at
              WHERE store_followers.store_id <> excluded.store_id`
            : `INSERT INTO store_followers (account, user_id, store_id, via, attributed_at) VALUES (?, ?, ?, ?, ?)
              ON CONFLICT (account, user_id) DO NOTHING`,
          [a.account, a.user, a.storeId, a.via, a.at],
        );
        const store = (await tx.get<{ store_id: string }>(STORE_OF, [a.account, a.user]))!.store_id;
        await tx.run("DELETE FROM subscriber_tags WHERE account = ? AND user_id = ? AND tag LIKE 'store:%' AND tag <> ?", [a.account, a.user, storeTag(store)]);
        await tx.run('INSERT INTO subscriber_tags (account, user_id, tag, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [a.account, a.user, storeTag(store), a.at]);
        return store;
      });
    },
    storeOf: async (account: string, user: string): Promise<string | null> => (await sql.get<{ store_id: string }>(STORE_OF, [account, user]))?.store_id ?? null,
    /** Per-store counts: follows and scans within [from, to), followers and active followers now. */
    async counts(account: string, period: { from: number; to: number }, now: number = clock.now()): Promise<StoreCounts[]> {
      const rows = await sql.all<{ store: string; name: string; city: string | null; follows: number; scans: number; followers: number; active_followers: number }>(
        COUNTS,
        [period.from, period.to, period.from, period.to, now - ACTIVE_WINDOW_MS, account],
      );
      return rows.map((r) => ({
        store: r.store,
        name: r.name,
        city: r.city,
        follows: r.follows,
        scans: r.scans,
        followers: r.followers,
        activeFollowers: r.active_followers,
      }));
    },
    async saveQrCode(account: string, q: Omit<QrCodeRecord, 'id' | 'createdAt'>): Promise<QrCodeRecord> {
      const now = clock.now();
      const { id } = await sql.transaction(
        async (tx) =>
          (await tx.get<{ id: number }>(
            'INSERT INTO qr_codes (account, store_id, scene, permanent, ticket, url, show_url, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
            [account, q.storeId, q.scene, q.permanent ? 1 : 0, q.ticket, q.url, q.showUrl, q.expiresAt, now],
          ))!,
      );
      return { ...q, id, createdAt: now };
    },
    qrCodes: async (account: string, storeId: string): Promise<QrCodeRecord[]> =>
      (await sql.all<QrRow>('SELECT * FROM qr_codes WHERE account = ? AND store_id = ? ORDER BY id', [account, storeId])).map(qrFromRow),
  };
}
export type StoreRegistry = ReturnType<typeof createStoreRegistry>;
