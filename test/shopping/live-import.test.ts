import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { seedDemoData } from '../../src/catalogue/demo.ts';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { sleep } from '../../src/core/clock.ts';
import { openDatabase } from '../../src/db/open.ts';
import { guang } from '../helpers/process.ts';
import { TOKEN, testServer } from '../helpers/server.ts';
import { runDatabase } from '../helpers/run-database.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();

describe('catalogue changes while the server runs', () => {
  it('answers with products another process imported, within a second, without a restart', async () => {
    const db = await runDatabase();
    const server = await testServer({ dbPath: db.dbPath, env: db.env });
    const player = createWechatPlayer({ url: server.webhook, token: TOKEN });
    const before = await player.text('o_live_1', '冲锋衣');
    expect(before.reply!.Content).not.toContain('极地冲锋衣');

    const csv = path.join(dir, 'new.csv');
    writeFileSync(csv, 'sku,title,category,price\nNEW1,极地冲锋衣 防水透气,运动户外/冲锋衣,599\n');
    const importer = guang(['import', 'products', csv], { GUANG_DB: db.dbPath, ...db.env });
    expect(await importer.exited()).toBe(0);
    const imported = Date.now();

    let answer = '';
    while (Date.now() - imported < 1000 && !answer.includes('极地冲锋衣')) {
      await sleep(50);
      answer = (await player.text('o_live_1', '冲锋衣')).reply?.Content ?? '';
    }
    expect(answer).toContain('极地冲锋衣');
    expect(Date.now() - imported).toBeLessThan(1000);
  });

  // The product index alone finds a new product by any text of its own, brand and category included (the
  // literal 「岚山集」 is answered as soon as the rows are indexed). Pinyin and homophones are understood only
  // through the understander's vocabulary, which must be rebuilt when an import brings a new brand or category.
  it('understands a brand and a category that only products imported after start bring, in pinyin and homophones', async () => {
    const db = await runDatabase();
    const seeding = await openDatabase(db.dbPath, { secretKey: db.env.GUANG_SECRET_KEY ?? null });
    await seedDemoData(seeding.sql, accountId('default'));
    await seeding.sql.close();
    const server = await testServer({ dbPath: db.dbPath, env: db.env });
    const player = createWechatPlayer({ url: server.webhook, token: TOKEN });
    // A fresh follower per question: a session would carry the previous question's category into the next.
    let followers = 0;
    const ask = async (text: string) => (await player.text(`o_vocab_${++followers}`, text)).reply?.Content ?? '';
    expect(await ask('lanshanji')).toContain('没听懂');
    expect(await ask('登山仗')).toContain('暂时没有');

    // Neither word is in a title: 岚山集 is only the brand, 登山杖 only the category leaf.
    const csv = path.join(dir, 'new-words.csv');
    writeFileSync(csv, [
      'sku,title,category,price,brand',
      'LS1,轻量防风外套 男款,男装/夹克,399,岚山集',
      'LS2,保暖抓绒外套 女款,女装/外套,299,岚山集',
      'YS1,碳纤维 折叠 手杖,运动户外/登山杖,199,远山',
      '',
    ].join('\n'));
    expect(await guang(['import', 'products', csv], { GUANG_DB: db.dbPath, ...db.env }).exited()).toBe(0);

    // Waits for the poll to pick the change up; a generous bound, not a speed check (that is the test above).
    const deadline = Date.now() + 20_000;
    let pinyin = '';
    while (Date.now() < deadline && !pinyin.includes('轻量防风外套')) {
      await sleep(100);
      pinyin = await ask('lanshanji');
    }
    const brandAnswers = { lanshanji: pinyin, 蓝山集: await ask('蓝山集'), 岚山集: await ask('岚山集') };
    for (const [said, answer] of Object.entries(brandAnswers)) {
      expect(answer, said).toContain('轻量防风外套 男款');
      expect(answer, said).toContain('保暖抓绒外套 女款');
      expect(answer, said).toContain('共 2 件');
    }
    const categoryAnswers = { dengshanzhang: await ask('dengshanzhang'), 登山仗: await ask('登山仗'), 登山杖: await ask('登山杖') };
    for (const [said, answer] of Object.entries(categoryAnswers)) {
      expect(answer, said).toContain('碳纤维 折叠 手杖');
      expect(answer, said).toContain('共 1 件');
    }
  }, 45_000);
});
