/**
 * A real Wechaty bot on wechaty-puppet-mock over a new database of the run's kind (run-database.ts) or the one `dbPath` names, with a few products; the mock's
 * contacts and groups talk to it, and everything the bot sends is recorded. Stopped after the file's tests.
 */
import { Writable } from 'node:stream';
import { accountId } from '../../src/core/messages.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import type { Product } from '../../src/catalogue/types.ts';
import { startWechatyBot, type RunningBot, type WechatyBotOptions } from '../../src/app/wechaty-bot.ts';
import { sleep } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/log.ts';
import { atFileEnd } from '../helpers/file-end.ts';
import { runDatabase } from '../helpers/run-database.ts';

// Nothing may fall back to Wechaty's default puppet (a web login that would reach the network).
process.env.WECHATY_PUPPET = 'wechaty-puppet-mock';

export const PUBLIC = 'https://shop.example.com';
export const account = accountId('default');

export type Sent =
  | { readonly to: string; readonly kind: 'text'; readonly text: string; readonly mentions: readonly string[] }
  | { readonly to: string; readonly kind: 'card'; readonly title: string; readonly description: string; readonly url: string };

export const product = (sku: string, over: Partial<Product> = {}): Product => ({
  account, sku, title: `测试连衣裙 ${sku}`, category: ['女装', '连衣裙'], priceFen: 19900, originalPriceFen: null, brand: '测试牌',
  tags: [], stock: 10, imageUrl: null, url: null, description: null, ...over,
});

/** Log lines the bot wrote (JSON objects), for asserting on warnings. */
export interface LogLines {
  readonly lines: Record<string, unknown>[];
}

export async function mockBot(options: Partial<Pick<WechatyBotOptions, 'clock' | 'channel' | 'dbPath'>> = {}) {
  const { PuppetMock, mock } = await import('wechaty-puppet-mock');
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const sent: Sent[] = [];
  // The puppet calls Wechaty makes to send (the mock's own typings omit the mention list).
  const sending = puppet as unknown as {
    messageSendText(to: string, text: string, mentions?: string[]): Promise<void | string>;
    messageSendUrl(to: string, card: { title: string; url: string; description?: string }): Promise<void | string>;
  };
  const sendText = sending.messageSendText.bind(puppet);
  const sendUrl = sending.messageSendUrl.bind(puppet);
  sending.messageSendText = async (to, text, mentions) => {
    sent.push({ to, kind: 'text', text, mentions: mentions ?? [] });
    return sendText(to, text, mentions); // the mock echoes it back as the bot's own message
  };
  sending.messageSendUrl = async (to, card) => {
    sent.push({ to, kind: 'card', title: card.title, description: card.description ?? '', url: card.url });
    return sendUrl(to, card);
  };

  const log: LogLines = { lines: [] };
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) log.lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const database = options.dbPath === undefined ? await runDatabase() : null;
  // The bot opens a PostgreSQL database as guang wechaty does: with GUANG_SECRET_KEY from the environment.
  if (database?.env.GUANG_SECRET_KEY) process.env.GUANG_SECRET_KEY ??= database.env.GUANG_SECRET_KEY;
  const running: RunningBot = await startWechatyBot({
    puppet,
    dbPath: options.dbPath ?? database!.dbPath,
    publicBase: () => PUBLIC,
    logger: createLogger('info', stream),
    wechatyLogLevel: 'silent',
    ...(options.clock ? { clock: options.clock } : {}),
    channel: { sendGapMs: 0, ...options.channel },
  });
  atFileEnd(() => running.stop());

  const me = mocker.createContact({ name: '小逛' });
  mocker.login(me);
  while (!running.bot.isLoggedIn) await sleep(5);

  await createCatalogueStore(running.sql).upsertProducts(
    Array.from({ length: 12 }, (_, i) => product(`D${String(i).padStart(2, '0')}`, { priceFen: 10000 + i * 2000 })),
  );
  await running.shop.search.refresh();

  const sentTo = (id: string) => sent.filter((s) => s.to === id);
  return {
    running,
    mocker,
    me,
    sent,
    log,
    sentTo,
    person: (name: string) => mocker.createContact({ name }),
    group: (...members: { id: string }[]) => mocker.createRoom({ topic: '团购群', memberIdList: [me.id, ...members.map((m) => m.id)] }),
    /** Waits until `id` has been sent `count` messages in all, then for anything still under way. */
    async waitFor(id: string, count: number, timeoutMs = 5000): Promise<Sent[]> {
      const deadline = Date.now() + timeoutMs;
      while (sentTo(id).length < count) {
        if (Date.now() > deadline) throw new Error(`${id} got ${sentTo(id).length} messages, expected ${count}: ${JSON.stringify(sentTo(id))}`);
        await sleep(5);
      }
      await running.channel.settle();
      return sentTo(id);
    },
  };
}
export type MockBot = Awaited<ReturnType<typeof mockBot>>;

/** The item skus a list shows, in order, from its cards. */
export const cardSkus = (sent: readonly Sent[]) =>
  sent.flatMap((s) => (s.kind === 'card' ? [/\/p\/([A-Z0-9]+)$/.exec(s.url)?.[1] ?? '?'] : []));
/** The item titles a list's text shows. */
export const listedTitles = (text: string) => [...text.matchAll(/^\d+\. (测试连衣裙 [A-Z0-9]+)/gm)].map((m) => m[1]!);
