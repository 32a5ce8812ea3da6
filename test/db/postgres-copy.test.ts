/**
 * `guang db copy` as a real process: a SQLite database a shop has used (the demo catalogue, followers who
 * asked and were answered, an order, a broadcast, a staff user) moves into an empty PostgreSQL database; every
 * table has the same rows (read back independently here), ids keep their numbers and new rows continue after
 * them; a second copy into the same database is refused, and a row PostgreSQL cannot take leaves it empty.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/catalogue/demo.ts';
import { createShopAgent } from '../../src/app/shop-agent.ts';
import { manualClock } from '../../src/core/clock.ts';
import { accountId, userId, type Inbound } from '../../src/core/messages.ts';
import { openDb, type Db } from '../../src/db/db.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { createPgPool, type PgPool } from '../../src/db/postgres/pool.ts';
import { guang } from '../helpers/process.ts';
import { freshDatabase, noPostgres } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/temp.ts';
import { sqliteSql } from '../../src/db/sql/sqlite.ts';

async function run(args: string[], env: Record<string, string> = {}) {
  const p = guang(args, env);
  p.child.stdin!.end();
  const code = await p.exited();
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

const account = accountId('default');

/** A shop's database after some use: catalogue, conversations, an order. */
async function usedShop(file: string): Promise<{ orderId: number }> {
  const db = openDb(file);
  await seedDemoData(db, account);
  const clock = manualClock(Date.parse('2026-12-01T10:00:00+08:00'));
  const { agent, stop } = createShopAgent({ db, clock, pollMs: 0, publicBase: () => 'https://shop.example.com' });
  let n = 0;
  for (const [user, text] of [['o_a', '女装'], ['o_a', '2'], ['o_b', '200元以下的连衣裙'], ['o_b', '上海酒店'], ['o_c', '人工']] as const) {
    clock.advance(1000);
    const inbound: Inbound = { channel: 'wechat', account, user: userId(user), createdAt: clock.now() / 1000, dedupKey: `k${++n}`, kind: 'text', msgId: `m${n}`, text, viaVoice: false };
    await (await agent.receive(inbound)).answer;
  }
  stop();
  const sku = (db.prepare('SELECT sku FROM products WHERE stock > 0 ORDER BY sku LIMIT 1').get() as { sku: string }).sku;
  const placed = await createOrderDesk(sqliteSql(db), { clock }).place({
    account, user: userId('o_a'), channel: 'wechat', source: 'chat', items: [{ sku, variant: 'M', quantity: 1 }],
    contact: { receiver: '张三', phone: '13800138000', address: '上海市静安区愚园路1号' }, remark: '周末送', ref: null,
  });
  if (!placed.ok) throw new Error(JSON.stringify(placed));
  db.close();
  return { orderId: placed.order.id };
}

function sqliteCounts(db: Db): Record<string, number> {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
  return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n]));
}

describe.skipIf(noPostgres)('guang db copy', { timeout: 180_000 }, () => {
  const dir = tempDir();
  const file = path.join(dir, 'shop.db');
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: PgPool;
  let orderId: number;
  beforeAll(async () => {
    ({ orderId } = await usedShop(file));
    database = await freshDatabase();
    pool = createPgPool(database.url);
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('moves every row, verified, keeping ids, and new rows continue after them', async () => {
    const r = await run(['db', 'copy', '--from', file, '--to', database.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Copied .*shop\.db to postgres:\/\/.*: [\d,]+ rows in \d+ tables in [\d.]+ s; every table's row count and checksum verified\./);
    expect(r.stderr).toContain('serve the PostgreSQL database with GUANG_SECRET_KEY set to the contents of');

    const db = openDb(file);
    const want = sqliteCounts(db);
    const products = db.prepare('SELECT sku, title, price_fen, tags FROM products ORDER BY sku LIMIT 3').all();
    const answers = db.prepare('SELECT text, intent, answered_by FROM answer_log ORDER BY id').all();
    db.close();
    expect(want.products).toBeGreaterThan(1000);
    expect(want.answer_log).toBe(5);
    for (const [t, n] of Object.entries(want)) {
      expect(Number((await pool.query(`SELECT COUNT(*) AS n FROM "${t}"`)).rows[0].n), t).toBe(n);
    }
    expect((await pool.query('SELECT sku, title, price_fen, tags FROM products ORDER BY sku COLLATE "C" LIMIT 3')).rows).toEqual(products);
    expect((await pool.query('SELECT text, intent, answered_by FROM answer_log ORDER BY id')).rows).toEqual(answers);
    const order = (await pool.query('SELECT id, remark, receiver FROM orders')).rows;
    expect(order).toEqual([{ id: orderId, remark: '周末送', receiver: '张三' }]);
    // The next order number follows the copied ones.
    const columns = (await pool.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' AND column_name <> 'id' ORDER BY ordinal_position")).rows.map((c) => c.column_name).join(', ');
    const next = await pool.query(`INSERT INTO orders (${columns}) SELECT ${columns} FROM orders RETURNING id`);
    expect(next.rows[0].id).toBe(orderId + 1);
    await pool.query('DELETE FROM orders WHERE id = $1', [orderId + 1]);
  });

  it('refuses a database that already holds data, changing nothing', async () => {
    const before = Number((await pool.query('SELECT COUNT(*) AS n FROM products')).rows[0].n);
    const r = await run(['db', 'copy', '--from', file, '--to', database.url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already holds data \(.*products.*\); copy into an empty database/);
    expect(Number((await pool.query('SELECT COUNT(*) AS n FROM products')).rows[0].n)).toBe(before);
  });

  it('copies nothing when PostgreSQL refuses a row SQLite took, and says which', async () => {
    const loose = path.join(dir, 'loose.db');
    const db = openDb(loose);
    // SQLite's loose typing: a text where an integer belongs.
    db.prepare("INSERT INTO audit_log (at, who, method, route, target, account) VALUES ('yesterday', 'ops', 'PUT', 'updateRule', NULL, 'default')").run();
    db.close();
    const target = await freshDatabase();
    const p = createPgPool(target.url, 1);
    try {
      const r = await run(['db', 'copy', '--from', loose, '--to', target.url]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/PostgreSQL refused a row, so nothing was copied: audit_log, rows 1–1 in key order: invalid input syntax for type bigint: "yesterday"/);
      expect(Number((await p.query('SELECT COUNT(*) AS n FROM audit_log')).rows[0].n)).toBe(0);
      expect(Number((await p.query('SELECT COUNT(*) AS n FROM accounts')).rows[0].n)).toBe(0);
    } finally {
      await p.end();
      await target.drop();
    }
  });

  it('explains bad input: no such file, a target that is not PostgreSQL, a GUANG_DB URL a command cannot use (its password hidden)', async () => {
    expect((await run(['db', 'copy', '--from', path.join(dir, 'none.db'), '--to', database.url])).stderr).toMatch(/no database at .*none\.db/);
    const notPg = await run(['db', 'copy', '--from', file, '--to', path.join(dir, 'x.db')]);
    expect([notPg.code, notPg.stderr]).toEqual([2, expect.stringMatching(/--to: a PostgreSQL URL/)]);
    const unusable = await run(['rules', 'test', '优惠'], { GUANG_DB: 'postgres://guang:secret@127.0.0.1:5432/no_such_shop' });
    expect(unusable.code).toBe(1);
    expect(unusable.stderr).toContain('guang rules: cannot open the database postgres://guang:***@127.0.0.1:5432/no_such_shop (GUANG_DB)');
    expect(unusable.stderr).not.toContain('secret');
  });

  it('migrates a PostgreSQL database named by --db, once', async () => {
    const target = await freshDatabase();
    try {
      const first = await run(['db', 'migrate', '--db', target.url]);
      expect([first.code, first.stdout]).toEqual([0, expect.stringMatching(/schema version \d+ \(was 0\)/)]);
      const again = await run(['db', 'migrate', '--db', target.url]);
      expect(again.stdout).toMatch(/schema version \d+ \(already\)/);
    } finally {
      await target.drop();
    }
  });
});
