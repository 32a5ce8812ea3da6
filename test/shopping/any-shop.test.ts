/**
 * A shop that is not the demo (the cosmetics catalogue of test/eval/shops/, imported as its merchant would, no
 * hotels, no deals), over the real webhook: every built-in text suggests this shop's own categories, never
 * hotels, deals or the demo's clothes, and following each suggestion answers with products.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCatalogue } from '../../src/catalogue/import/importer.ts';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { accountId } from '../../src/core/messages.ts';
import { openDatabase } from '../../src/db/open.ts';
import { TOKEN, testServer } from '../helpers/server.ts';
import { runDatabase } from '../helpers/run-database.ts';

const db = await runDatabase();
const seed = (await openDatabase(db.dbPath, { secretKey: db.env.GUANG_SECRET_KEY ?? null })).sql;
const csv = path.join(path.dirname(fileURLToPath(import.meta.url)), '../eval/shops/cosmetics/products.csv');
await importCatalogue({ db: seed, account: accountId('default'), kind: 'products', file: csv });
await seed.close();
const server = await testServer({ dbPath: db.dbPath, env: { ...db.env, GUANG_PUBLIC_URL: 'https://shop.example.com' } });
const player = createWechatPlayer({ url: server.webhook, token: TOKEN });

let followers = 0;
/** Never offered by a shop without hotels or deals: 酒店, 团购, the demo's 女装, sending a location to find something. */
const NEVER = ['酒店', '团购', '女装', '发送位置', '发位置', '发个位置'];
/** The example queries a text suggests: every 「…」 in it. */
const suggested = (text: string) => [...text.matchAll(/「([^」]+)」/g)].map((m) => m[1]!).filter((s) => !['帮助', '更多', '买第1个', '我要这个', '我的订单', 'TD', '订阅'].includes(s));

describe('a cosmetics shop without hotels or deals', () => {
  it.each([
    ['the welcome on following', (user: string) => player.event(user, 'subscribe')],
    ['the help', (user: string) => player.text(user, '帮助')],
    ['the greeting', (user: string) => player.text(user, '你好')],
    ['the fallback', (user: string) => player.text(user, 'asdfgh')],
    ['the answer to a location', (user: string) => player.location(user, 31.2317, 121.4726, '人民广场')],
  ])('%s suggests the shop\'s own categories, each of which answers with its products', async (_, send) => {
    const user = `o_any_${++followers}`;
    const text = (await send(user)).reply?.Content ?? '';
    for (const word of NEVER) expect(text).not.toContain(word);
    const examples = suggested(text);
    expect(examples).toContain('护肤');
    for (const example of examples) {
      const answer = (await player.text(user, example)).reply?.Content ?? '';
      expect(answer, example).toMatch(new RegExp(`^为你找到「${example}」共 \\d+ 件`));
    }
  });
});
