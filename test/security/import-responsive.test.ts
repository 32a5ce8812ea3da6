/**
 * A big catalogue import must not stall the webhook. The server's search index follows the catalogue's change
 * feed, and the understander's vocabulary is rebuilt after new words: both used to run synchronously, a whole
 * backlog (or a whole build) per turn of the event loop, so every follower waited for them. They now run in
 * background slices (src/core/background.ts), and a delivery is answered between two slices.
 *
 * No timing is asserted: the tests check the order of events (answered while the index is still catching
 * up; a vocabulary build that spans many slices).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import type { Background } from '../../src/core/background.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import type { Product } from '../../src/catalogue/types.ts';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { sleep } from '../../src/core/clock.ts';
import { createCatalogueSearch } from '../../src/search/catalogue-search.ts';
import { openDb } from '../../src/db/db.ts';
import { TOKEN, testServer } from '../helpers/server.ts';
import { tempDbPath, tempDir } from '../helpers/temp.ts';

const dir = tempDir();
const account = accountId('default');

const product = (sku: string, brand: string | null = null): Product => ({
  account, sku, title: `极地冲锋衣 防水透气 ${sku}`, category: ['运动户外', '冲锋衣'], priceFen: 59900, originalPriceFen: null, brand,
  tags: [], stock: null, imageUrl: null, url: null, description: null,
});

/** Writes `count` products as another process would (its own connection, batches of 2,000). */
async function importElsewhere(dbPath: string, count: number): Promise<{ first: string; last: string }> {
  const db = openDb(dbPath);
  const store = createCatalogueStore(db);
  const sku = (i: number) => `BIG${String(i).padStart(6, '0')}`;
  for (let i = 0; i < count; i += 2000) {
    await store.upsertProducts(Array.from({ length: Math.min(2000, count - i) }, (_, k) => product(sku(i + k))));
  }
  db.close();
  return { first: sku(0), last: sku(count - 1) };
}

async function until(what: string, done: () => boolean, ms = 20_000): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > ms) throw new Error(`gave up waiting: ${what}`);
    await nextTurn();
  }
}

describe('the webhook during a big catalogue import', () => {
  it('answers a follower while the search index is still taking the import in', async () => {
    const dbPath = tempDbPath(dir);
    const server = await testServer({ dbPath });
    const player = createWechatPlayer({ url: server.webhook, token: TOKEN });
    const { first, last } = await importElsewhere(dbPath, 40_000);

    // The poll has begun on the backlog: the first imported product is searchable.
    await until('the poll to begin', () => server.search.product(account, first) !== null);
    const answer = await player.text('o_import_1', '嗯嗯');
    expect(answer.reply).not.toBeNull();
    // Answered between two slices: the last of the 40,000 products is not indexed yet. (Before, the poll took
    // the whole backlog in one turn of the event loop: the delivery waited until every product was indexed.)
    expect(server.search.product(account, last)).toBeNull();

    await until('the poll to finish', () => server.search.product(account, last) !== null);
  });

  it('rebuilds the vocabulary for a new brand in slices, and then understands the brand', async () => {
    const dbPath = tempDbPath(dir);
    const db = openDb(dbPath);
    const slices = steppedBackground();
    const search = createCatalogueSearch({ db, pollMs: 5, background: slices });
    try {
      expect(search.understand('北极狐狸').slots.brands).toEqual([]);
      const writer = openDb(dbPath);
      await createCatalogueStore(writer).upsertProducts([product('NEWBRAND1', '北极狐狸')]);
      writer.close();

      // Each slice ends as soon as it starts: the poll does one step (one page, one word) per slice.
      let granted = 0;
      for (let i = 0; i < 100_000 && search.understand('北极狐狸').slots.brands.length === 0; i++) {
        if (slices.grant()) granted++;
        else await sleep(2);
        await nextTurn();
      }
      expect(search.understand('北极狐狸').slots.brands).toEqual(['北极狐狸']);
      // The feed (a page) and then the build, word by word, each in a slice of its own: many slices, where
      // the build used to run in one go (up to a second of a large catalogue's time, no delivery answered).
      expect(granted).toBeGreaterThan(100);
    } finally {
      search.stop();
    }
  });

  it('refresh() in the middle of a sliced poll applies everything written until then, at once', async () => {
    const dbPath = tempDbPath(dir);
    const db = openDb(dbPath);
    const slices = steppedBackground();
    const search = createCatalogueSearch({ db, pollMs: 5, background: slices });
    try {
      const { first, last } = await importElsewhere(dbPath, 1_000);
      await until('the poll to ask for a slice', () => slices.waiting > 0);
      slices.grant();
      await until('the first page', () => search.product(account, first) !== null);
      expect(search.product(account, last)).toBeNull();
      const writer = openDb(dbPath);
      await createCatalogueStore(writer).upsertProducts([product('LATER1', '北极狐狸')]);
      writer.close();

      await search.refresh();
      expect(search.product(account, last)).not.toBeNull();
      expect(search.product(account, 'LATER1')).not.toBeNull();
      expect(search.understand('北极狐狸').slots.brands).toEqual(['北极狐狸']);
    } finally {
      search.stop();
    }
  });
});

/** Slices handed out by the test, one at a time, each over as soon as it starts. */
function steppedBackground(): Background & { grant(): boolean; readonly waiting: number } {
  const waiting: ((deadline: number) => void)[] = [];
  return {
    sliceMs: 0,
    get waiting() {
      return waiting.length;
    },
    turn: () => new Promise<number>((resolve) => waiting.push(resolve)),
    grant() {
      const next = waiting.shift();
      next?.(performance.now());
      return next !== undefined;
    },
  };
}
