/**
 * Orders for the admin tests, placed as followers place them: a catalogue imported through the API, followers
 * who came through store QR codes (the webhook), a referrer, then `createOrderDesk(sql).place(...)` with a clock
 * set to the order's time (so old dates need no hand-written rows).
 */
import { expect } from 'vitest';
import { manualClock } from '../../src/core/clock.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import type { Db } from '../../src/db/db.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import type { Order } from '../../src/orders/model.ts';
import type { WantedItem } from '../../src/orders/order-store.ts';
import type { adminServer } from './harness.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { asSql } from '../../src/db/sql/sqlite.ts';

type Server = Awaited<ReturnType<typeof adminServer>>;

export const CATALOGUE_CSV = 'sku,title,category,price,stock,variants\nP1,法式连衣裙,女装/连衣裙,199,10,S|M|L\nP2,纯棉T恤,女装/T恤,59.9,,\n';

/** Stores sh-jingan and bj-chaoyang, followers o_j1 (静安), o_c1 (朝阳), o_n1 (no store), referrer wangjie (王姐), the catalogue. */
export async function seedShop(s: Server): Promise<void> {
  for (const [id, name] of [['sh-jingan', '静安店'], ['bj-chaoyang', '朝阳店']]) expect((await s.api('POST', '/stores', { id, name })).status).toBe(201);
  await s.event('o_j1', 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't' });
  await s.event('o_c1', 'subscribe', { EventKey: 'qrscene_bj-chaoyang', Ticket: 't' });
  await s.event('o_n1', 'subscribe');
  expect((await s.api('PUT', '/referrers/wangjie', { name: '王姐', kind: 'leader' })).status).toBe(200);
  const imported = await s.api('POST', '/products/import?filename=products.csv', CATALOGUE_CSV, { headers: { 'content-type': 'text/csv' } });
  expect(imported.body.imported).toBe(2);
}

export interface Wanted {
  readonly user: string;
  /** When the order is placed (ms). */
  readonly at: number;
  readonly items: readonly WantedItem[];
  readonly receiver?: string;
  readonly phone?: string;
  readonly remark?: string | null;
  readonly ref?: string | null;
}

const desks = new WeakMap<Db | Sql, { desk: ReturnType<typeof createOrderDesk>; clock: ReturnType<typeof manualClock> }>();

/** Places an order at `at` through the order desk (on a SQLite Db or the server's Sql); fails the test if it is refused. */
export async function place(db: Db | Sql, w: Wanted): Promise<Order> {
  let d = desks.get(db);
  if (!d) {
    const clock = manualClock(w.at);
    desks.set(db, (d = { desk: createOrderDesk(asSql(db), { clock }), clock }));
  }
  d.clock.set(w.at);
  const r = await d.desk.place({
    account: accountId('default'), user: userId(w.user), channel: 'wechat', source: 'chat', items: w.items,
    contact: { receiver: w.receiver ?? '张三', phone: w.phone ?? '13800138000', address: '上海市静安区愚园路1号' },
    remark: w.remark ?? null, ref: w.ref ?? null,
  });
  if (!r.ok) throw new Error(`order refused: ${JSON.stringify(r)}`);
  return r.order;
}
