/**
 * Change notices on a real PostgreSQL server (issue 18): a write through one instance reaches another instance's
 * merchant book, account directory and catalogue search at once, though their polls are 10 s apart; the listener
 * comes back after its connection is terminated or stops answering; and with no listener, the polls still deliver.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { importCatalogue } from '../../src/catalogue/import/importer.ts';
import { createAccountStore, type Account } from '../../src/db/accounts.ts';
import { createAccountDirectory } from '../../src/db/account-directory.ts';
import { createPgPool } from '../../src/db/postgres/pool.ts';
import { listenForChanges, LISTENER_APPLICATION_NAME, type ChangeListener } from '../../src/db/postgres/listen.ts';
import type { PostgresSql } from '../../src/db/sql/postgres.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { createMerchantBook } from '../../src/merchant/book.ts';
import { parseRuleInput } from '../../src/merchant/rules/schema.ts';
import { createRuleStore } from '../../src/merchant/rules/rule-store.ts';
import { createSettingsStore } from '../../src/merchant/settings.ts';
import { createStoreRegistry } from '../../src/merchant/shops/registry.ts';
import { createCatalogueSearch } from '../../src/search/catalogue-search.ts';
import { createSynonymStore } from '../../src/search/synonyms.ts';
import { DATABASES, type OpenedDatabase } from '../helpers/databases.ts';
import { POSTGRES_SERVER } from '../helpers/postgres.ts';

const postgres = DATABASES.find((d) => d.name === 'postgres')!;
const shop = accountId('default');
/** The polls' pace in these tests: whatever arrives within a second came by a notice. */
const SLOW_POLL_MS = 10_000;

const rule = (name: string) => {
  const parsed = parseRuleInput({ name, match: 'contains', keywords: [name], replies: [{ type: 'text', content: `关于${name}` }] });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  return parsed.value;
};
const account = (id: string): Account => ({
  id: accountId(id), name: `${id} 店`, token: `${id}token123`, appId: 'wx2c2769f8efd9abc2', appSecret: 'A'.repeat(32),
  aesKey: null, previousAesKey: null, accountType: 'service', apiBase: null, customerService: true, encryptMode: 'plain',
});

/** Waits for `done`; the time it took (ms), or a failure after `ms`. */
async function within(ms: number, done: () => boolean): Promise<number> {
  const started = performance.now();
  while (!done()) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}

/**
 * A TCP relay to the test server whose connections so far can be frozen (nothing more passes either way, the
 * sockets stay open: a half-open connection as a network partition leaves it); later ones pass.
 */
async function freezableRelay() {
  const target = new URL(POSTGRES_SERVER);
  const sockets: Socket[] = [];
  let open: { client: Socket; server: Socket }[] = [];
  const relay = createServer((client) => {
    const server = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, server]) {
      s.on('error', () => {});
      sockets.push(s);
    }
    client.pipe(server).pipe(client);
    open.push({ client, server });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const port = (relay.address() as AddressInfo).port;
  return {
    url: (database: string) => `postgres://${target.username}@127.0.0.1:${port}/${database}`,
    freeze(): void {
      for (const { client, server } of open) {
        client.unpipe(server);
        server.unpipe(client);
      }
      open = [];
    },
    close(): Promise<void> {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

describe.skipIf(postgres.skip)('change notices on PostgreSQL', () => {
  let opened: OpenedDatabase;
  /** Instance A writes; instance B (its own pool and listener) holds what is read. */
  let a: Sql;
  let b: PostgresSql;
  let changes: ChangeListener;
  const stops: (() => void)[] = [];
  beforeEach(async () => {
    opened = await postgres.open();
    a = opened.sql;
    b = (await opened.another()) as PostgresSql;
    changes = listenForChanges(b.pool);
    await within(5_000, () => changes.listening());
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    await changes.close();
    await opened.close();
  });

  it('a rule, a setting and a store written through one instance are in another\'s book within a second', async () => {
    const book = createMerchantBook({ db: b, pollMs: SLOW_POLL_MS, changes });
    stops.push(book.stop);
    await book.ready;

    await createRuleStore(a).create(shop, rule('优惠'));
    await within(1_000, () => book.view(shop).rules.keyword.some((r) => r.rule.name === '优惠'));
    await createSettingsStore(a).update(shop, { account_name: '小店' });
    await within(1_000, () => book.view(shop).settings.accountName === '小店');
    await createStoreRegistry(a).create(shop, { id: 'a', name: '甲店' });
    await within(1_000, () => book.view(shop).stores.has('a'));
  });

  it('an account created through one instance is in another\'s directory within a second', async () => {
    const directory = createAccountDirectory({ sql: b, store: createAccountStore(b), pollMs: SLOW_POLL_MS, changes });
    stops.push(directory.stop);
    await directory.ready;
    await createAccountStore(a).create(account('shop2'));
    await within(1_000, () => directory.get('shop2') !== null);
  });

  it('products and a synonym written through one instance are in another\'s search within a second', async () => {
    const search = createCatalogueSearch({ db: b, pollMs: SLOW_POLL_MS, changes });
    stops.push(search.stop);
    await search.ready;
    await importCatalogue({ db: a, account: shop, kind: 'products', text: 'sku,title,category,price\nX1,法式碎花连衣裙,女装/连衣裙,199\n' });
    await within(1_000, () => search.product(shop, 'X1') !== null);
    await createSynonymStore(a).create(shop, { phrase: '小碎花', meaning: '碎花连衣裙' });
    await within(1_000, () => search.understand('小碎花', shop).slots.categories.includes('女装/连衣裙'));
  });

  it('listens again after its connection is terminated, and notices reach the book again', async () => {
    const book = createMerchantBook({ db: b, pollMs: SLOW_POLL_MS, changes });
    stops.push(book.stop);
    await book.ready;
    const listenerPid = async () =>
      (await a.get<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = ? AND datname = current_database()', [LISTENER_APPLICATION_NAME]))?.pid ?? null;
    const before = await listenerPid();
    expect(before).not.toBeNull();

    await a.get('SELECT pg_terminate_backend(?)', [before]);
    await within(2_000, () => !changes.listening());
    await within(5_000, () => changes.listening());
    const after = await listenerPid();
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);

    await createRuleStore(a).create(shop, rule('客服'));
    await within(1_000, () => book.view(shop).rules.keyword.some((r) => r.rule.name === '客服'));
  });

  it('gives up on a connection that stops answering, and listens again on a new one', async () => {
    const relay = await freezableRelay();
    const database = (await a.get<{ name: string }>('SELECT current_database() AS name'))!.name;
    const pool = createPgPool(relay.url(database));
    const ear = listenForChanges(pool, { heartbeat: { everyMs: 100, timeoutMs: 200 }, retryMs: { first: 50, max: 200 } });
    try {
      await within(5_000, () => ear.listening());
      relay.freeze();
      await within(2_000, () => !ear.listening());
      await within(5_000, () => ear.listening());
      let woken = 0;
      ear.subscribe('merchant', () => woken++);
      await createRuleStore(a).create(shop, rule('新品'));
      await within(1_000, () => woken > 0);
    } finally {
      await ear.close();
      await pool.end();
      await relay.close();
    }
  });

  it('with no listener connected, the polls deliver at their own pace', async () => {
    // A listener that cannot reach its server: it keeps trying, and the book polls every 200 ms meanwhile.
    const nowhere = createPgPool('postgres://postgres@127.0.0.1:1/none');
    const deaf = listenForChanges(nowhere, { retryMs: { first: 50, max: 200 } });
    stops.push(() => void deaf.close().then(() => nowhere.end()));
    const book = createMerchantBook({ db: b, pollMs: 200, changes: deaf });
    stops.push(book.stop);
    await book.ready;
    expect(deaf.listening()).toBe(false);
    await createRuleStore(a).create(shop, rule('包邮'));
    await within(1_500, () => book.view(shop).rules.keyword.some((r) => r.rule.name === '包邮'));
  });
});
