/**
 * The merchant's webhook and the outbox's protocol, over a real SQLite file (and, as the same suite, a PostgreSQL
 * database) and a real loopback receiver, with an injected clock: the body signed with HMAC-SHA256, retried after
 * 500s on the back-off schedule with the same Idempotency-Key and body, delivered once; a receiver that never
 * answers retried; giving up leaves it failed; two workers on one database never deliver the same notice at the
 * same time.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { manualClock, sleep } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/log.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { createNoticeOutbox } from '../../src/orders/notices/outbox.ts';
import { createServerNoticeWorker } from '../../src/orders/notices/server-worker.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { DATABASES, openEach, type OpenDuringTests } from '../helpers/databases.ts';

const A = accountId('default');
const SECRET = 'whsec-0123456789abcdef';
const T0 = Date.UTC(2026, 11, 3, 2, 0, 0);
const MIN = 60_000;

interface Received {
  readonly body: string;
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
  readonly key: string | undefined;
}

/** A loopback receiver answering each request with the next status of `statuses` (then the last one), after `holdMs`. */
async function receiver(statuses: number[], holdMs = 0) {
  const got: Received[] = [];
  let inFlight = 0;
  let maxPerKey = 0;
  const open = new Map<string, number>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = req.headers['idempotency-key'] as string | undefined;
      open.set(key ?? '', (open.get(key ?? '') ?? 0) + 1);
      maxPerKey = Math.max(maxPerKey, open.get(key ?? '')!);
      inFlight++;
      got.push({ body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['x-guang-signature'] as string | undefined, timestamp: req.headers['x-guang-timestamp'] as string | undefined, key });
      const status = statuses[Math.min(got.length - 1, statuses.length - 1)]!;
      const answer = () => {
        inFlight--;
        open.set(key ?? '', open.get(key ?? '')! - 1);
        if (status > 0) res.writeHead(status).end('ok');
      };
      if (holdMs > 0) setTimeout(answer, holdMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/orders`, got, maxPerKey: () => maxPerKey, inFlight: () => inFlight };
}

async function setup(opened: OpenDuringTests, url: string) {
  const { sql } = opened;
  await createCatalogueStore(sql).upsertProducts([{
    account: A, sku: 'P1', title: '连衣裙', category: ['女装'], priceFen: 9900, originalPriceFen: null, brand: null, tags: [], stock: null, imageUrl: null, url: null, description: null,
  }]);
  const clock = manualClock(T0);
  const desk = createOrderDesk(sql, { clock });
  await desk.settings.update(A, { webhook_url: url, webhook_secret: SECRET });
  const place = async (n = 1) => {
    const placed = [];
    for (let i = 0; i < n; i++) placed.push(await placeOne(i));
    return placed;
  };
  const placeOne = async (i: number) => {
    const r = await desk.place({
      account: A, user: userId(`o-hook-buyer-${i}`), channel: 'wechat', source: 'page', items: [{ sku: 'P1', variant: null, quantity: 1 }],
      contact: { receiver: '李四', phone: '13900139000', address: '北京市朝阳区建国路88号' }, remark: null,
    });
    if (!r.ok) throw new Error(r.reason);
    return r.order;
  };
  const worker = (connection: Sql = sql, timeoutMs?: number) =>
    createServerNoticeWorker({ sql: connection, clock, logger: silentLogger, client: () => null, ...(timeoutMs ? { webhookTimeoutMs: timeoutMs } : {}) });
  return { clock, desk, place, worker, outbox: createNoticeOutbox(sql) };
}

const hmac = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

describe.each(DATABASES)('notices on $name', (database) => {
  const opened = openEach(database);

  describe('the merchant\'s webhook', () => {
    it.skipIf(database.skip)('gets {event, order, at} signed with HMAC-SHA256; after two 500s it is delivered once, same key and body, on the back-off schedule', async () => {
      const hook = await receiver([500, 500, 200]);
      const { place, worker, clock, outbox } = await setup(opened, hook.url);
      const [order] = await place();
      const w = worker();
      expect(await w.tick()).toBe(1);
      expect(hook.got).toHaveLength(1);
      const [n] = await outbox.list({ account: A, orderId: order!.id, limit: 10 });
      expect(n).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + MIN, lastError: 'webhook 应答 HTTP 500' });

      clock.set(T0 + MIN - 1);
      expect(await w.tick()).toBe(0); // not before a minute has passed
      clock.set(T0 + MIN);
      expect(await w.tick()).toBe(1);
      expect(await outbox.get(n!.id)).toMatchObject({ attempts: 2, nextAttemptAt: T0 + MIN + 5 * MIN });
      clock.set(T0 + MIN + 5 * MIN - 1);
      expect(await w.tick()).toBe(0);
      clock.set(T0 + 6 * MIN);
      expect(await w.tick()).toBe(1);
      expect(await outbox.get(n!.id)).toMatchObject({ status: 'sent', attempts: 3, sentAt: T0 + 6 * MIN });
      clock.set(T0 + 24 * 60 * MIN);
      expect(await w.tick()).toBe(0);

      expect(hook.got).toHaveLength(3);
      const [first] = hook.got;
      for (const r of hook.got) {
        expect(r.signature).toBe(hmac(r.body));
        expect(r.body).toBe(first!.body);
        expect(r.key).toBe(`order:${order!.id}:placed:webhook:${hook.url}`);
      }
      expect(hook.got.map((r) => Number(r.timestamp))).toEqual([T0, T0 + MIN, T0 + 6 * MIN].map((t) => t / 1000));
      const body = JSON.parse(first!.body) as { event: string; order: { id: number; total_fen: number; contact: { phone: string } }; at: string };
      expect(body).toMatchObject({ event: 'order.placed', order: { id: order!.id, total_fen: 9900, contact: { phone: '13900139000' } }, at: new Date(T0).toISOString() });
    });

    it.skipIf(database.skip)('retries a receiver that does not answer in time, and tells shipping too', async () => {
      const hook = await receiver([-1, 200]); // -1: never answers
      const { place, worker, clock, outbox, desk } = await setup(opened, hook.url);
      const [order] = await place();
      const w = worker(undefined, 200);
      await w.tick();
      const [n] = await outbox.list({ account: A, orderId: order!.id, limit: 10 });
      expect(n).toMatchObject({ status: 'pending', attempts: 1, lastError: 'webhook 在 0.2 秒内没有应答' });
      await desk.act(A, order!.id, { kind: 'ship', carrier: '中通', trackingNo: 'ZT42' }, { kind: 'staff', name: 'owner' });
      clock.set(T0 + MIN);
      // The placed retry, the shipped event, and the follower's message (this account has no API: failed, saying so).
      expect(await w.tick()).toBe(3);
      expect(await outbox.list({ account: A, orderId: order!.id, status: 'failed', limit: 10 })).toMatchObject([{ audience: 'follower', lastError: expect.stringContaining('公众号没有接口权限') }]);
      const events = hook.got.slice(1).map((r) => (JSON.parse(r.body) as { event: string; order: { shipment: unknown } }));
      expect(events.map((e) => e.event).sort()).toEqual(['order.placed', 'order.shipped']);
      expect(events.find((e) => e.event === 'order.shipped')!.order.shipment).toEqual({ carrier: '中通', tracking_no: 'ZT42' });
    });

    it.skipIf(database.skip)('gives up after the last retry: failed, with the reason and the attempts', async () => {
      const hook = await receiver([503]);
      const { place, worker, clock, outbox } = await setup(opened, hook.url);
      const [order] = await place();
      const w = worker();
      for (const at of [0, 1, 6, 36, 156, 516].map((m) => T0 + m * MIN)) {
        clock.set(at);
        expect(await w.tick()).toBe(1);
      }
      const [n] = await outbox.list({ account: A, orderId: order!.id, limit: 10 });
      expect(n).toMatchObject({ status: 'failed', attempts: 6, lastError: 'webhook 应答 HTTP 503 (gave up after 6 attempts)' });
      clock.set(T0 + 10_000 * MIN);
      expect(await w.tick()).toBe(0);
    });
  });

  describe('several workers on one database', () => {
    it.skipIf(database.skip)('never deliver the same notice twice at once, and deliver each once', async () => {
      const hook = await receiver([200], 30);
      const { place, worker } = await setup(opened, hook.url);
      const orders = await place(30);
      const workers = await Promise.all(Array.from({ length: 3 }, async () => worker(await opened.another())));
      // Each worker takes a few at a time and keeps coming back while the others hold theirs.
      await Promise.all(workers.map(async (w) => {
        for (let i = 0; i < 20; i++) {
          await w.tick();
          await sleep(1);
        }
      }));
      expect(hook.maxPerKey()).toBe(1);
      const keys = hook.got.map((r) => r.key);
      expect(new Set(keys).size).toBe(orders.length);
      expect(keys).toHaveLength(orders.length);
    });
  });
});
