/**
 * Broadcasts written through one instance reach another instance's reply collection (issue 18), on both databases:
 * a broadcast inviting replies, created through instance A, has B collect a follower's reply within a second, and
 * once cancelled through A, B passes such a reply on — though B's polls are 10 s apart (PostgreSQL: the notice
 * wakes them; SQLite: B reads the file's data version on the message's path), while B answers from memory whether
 * any broadcast invites replies. On PostgreSQL with no listener connected, B's poll delivers at its own pace.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createShopAgent, type ShopAgent } from '../../src/app/shop-agent.ts';
import type { Reply } from '../../src/core/messages.ts';
import type { ChangeNotices } from '../../src/db/change-notices.ts';
import { createPgPool } from '../../src/db/postgres/pool.ts';
import { listenForChanges, type ChangeListener } from '../../src/db/postgres/listen.ts';
import type { PostgresSql } from '../../src/db/sql/postgres.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { recordSends } from '../../src/push/ledger.ts';
import { watchInvitations } from '../../src/push/invitations.ts';
import { createBroadcastService } from '../../src/push/service.ts';
import { DATABASES, type OpenedDatabase } from '../helpers/databases.ts';
import { inbound } from '../helpers/inbound.ts';

/** The polls' pace in these tests: what arrives within a second came by a notice (or SQLite's data version). */
const SLOW_POLL_MS = 10_000;
const CONFIRM = '收到～试用申请已登记';
const FOLLOWER = 'o_reader';

/** Waits for `done` (asked again every 20 ms); fails after `ms`. */
async function within(ms: number, done: () => Promise<boolean>): Promise<void> {
  const started = performance.now();
  while (!(await done())) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(DATABASES)('broadcast changes reach another instance on $name', (database) => {
  let opened: OpenedDatabase;
  /** Instance A writes broadcasts; instance B answers followers. */
  let a: Sql;
  let b: Sql;
  const cleanup: (() => Promise<void> | void)[] = [];
  beforeEach(async () => {
    if (database.skip) return;
    opened = await database.open();
    a = opened.sql;
    b = await opened.another();
  });
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
    if (!database.skip) await opened.close();
  });

  /** B's shop agent, its polls 10 s apart (or `pollMs`). */
  async function instanceB(changes: ChangeNotices | undefined, pollMs = SLOW_POLL_MS): Promise<ShopAgent> {
    const shop = createShopAgent({ db: b, publicBase: () => 'https://shop.example.com', pollMs: SLOW_POLL_MS, merchantPollMs: pollMs, changes });
    cleanup.push(shop.stop);
    await shop.ready;
    return shop;
  }
  let message = 0;
  /** What B answers the follower's 「试用+…」. */
  const reply = async (shop: ShopAgent): Promise<Reply> => (await shop.agent.receive(inbound({ kind: 'text', text: '试用+想给女儿用' }, { user: FOLLOWER, dedupKey: `m${++message}` }))).answer;
  const collected = async (shop: ShopAgent): Promise<boolean> => {
    const r = await reply(shop);
    return r.type === 'text' && r.text === CONFIRM;
  };

  /** PostgreSQL: B's listener for change notices, once it listens (SQLite has none). */
  async function listenerOfB(): Promise<ChangeListener | undefined> {
    if (database.name !== 'postgres') return undefined;
    const listener = listenForChanges((b as PostgresSql).pool);
    cleanup.push(() => listener.close());
    await within(5_000, async () => listener.listening());
    return listener;
  }

  /** Through A: a broadcast inviting 「试用」 replies, and the follower's receipt of it in the send ledger. */
  async function inviteThroughA(): Promise<{ id: number; service: ReturnType<typeof createBroadcastService> }> {
    const service = createBroadcastService({ sql: a, accountType: 'service', client: () => null });
    const broadcast = await service.create('default', {
      name: '试用招募', message: { type: 'text', content: '回复 试用+理由 申请试用' }, audience: { all: true }, channel: 'custom',
      replies: { keyword: '试用', confirm: CONFIRM },
    });
    await recordSends(a, [{ kind: 'push', account: 'default', user: FOLLOWER, broadcast: broadcast.id, run: 0, channel: 'custom', outcome: 'sent', at: Date.now() }]);
    return { id: broadcast.id, service };
  }

  it.skipIf(database.skip)('a broadcast created through one instance is collected by another within a second, and not once cancelled', async () => {
    const changes = await listenerOfB();
    const shop = await instanceB(changes);
    expect(await collected(shop)).toBe(false); // B knows of no inviting broadcast

    const { id, service } = await inviteThroughA();
    await within(1_000, () => collected(shop));
    await service.cancel(id);
    await within(1_000, async () => !(await collected(shop)));
  });

  it.skipIf(database.skip)('another instance knows from memory whether broadcasts invite replies, and learns of a change within a second', async () => {
    const changes = await listenerOfB();
    const watch = watchInvitations(b, { pollMs: SLOW_POLL_MS, changes });
    cleanup.push(watch.stop);
    /** B's answer, and whether B had it in memory (no statement: not a promise). */
    const ask = async (): Promise<{ inviting: boolean; fromMemory: boolean }> => {
      const got = watch.inviting(Date.now());
      return { inviting: await got, fromMemory: typeof got === 'boolean' };
    };
    await within(1_000, async () => (await ask()).fromMemory);
    expect(await ask()).toEqual({ inviting: false, fromMemory: true });
    const { id, service } = await inviteThroughA();
    await within(1_000, async () => (await ask()).inviting);
    expect(await ask()).toEqual({ inviting: true, fromMemory: true });
    await service.cancel(id);
    await within(1_000, async () => !(await ask()).inviting);
    expect(await ask()).toEqual({ inviting: false, fromMemory: true });
  });

  it.skipIf(database.skip || database.name !== 'postgres')('with no listener connected, the poll delivers at its own pace', async () => {
    // A listener that cannot reach its server: it keeps trying, and B polls every 200 ms meanwhile.
    const nowhere = createPgPool('postgres://postgres@127.0.0.1:1/none');
    const deaf = listenForChanges(nowhere, { retryMs: { first: 50, max: 200 } });
    cleanup.push(async () => {
      await deaf.close();
      await nowhere.end();
    });
    const shop = await instanceB(deaf, 200);
    expect(deaf.listening()).toBe(false);
    expect(await collected(shop)).toBe(false);
    const { id, service } = await inviteThroughA();
    await within(1_500, () => collected(shop));
    await service.cancel(id);
    await within(1_500, async () => !(await collected(shop)));
  });
});
