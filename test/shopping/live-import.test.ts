import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { sleep } from '../../src/clock.ts';
import { guang } from '../helpers/process.ts';
import { TOKEN, testServer } from '../helpers/server.ts';
import { tempDbPath, tempDir } from '../helpers/temp.ts';

const dir = tempDir();

describe('catalogue changes while the server runs', () => {
  it('answers with products another process imported, within a second, without a restart', async () => {
    const dbPath = tempDbPath(dir);
    const server = await testServer({ dbPath });
    const player = createWechatPlayer({ url: server.webhook, token: TOKEN });
    const before = await player.text('o_live_1', '冲锋衣');
    expect(before.reply!.Content).not.toContain('极地冲锋衣');

    const csv = path.join(dir, 'new.csv');
    writeFileSync(csv, 'sku,title,category,price\nNEW1,极地冲锋衣 防水透气,运动户外/冲锋衣,599\n');
    const importer = guang(['import', 'products', csv], { GUANG_DB: dbPath });
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
});
