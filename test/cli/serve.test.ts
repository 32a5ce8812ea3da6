import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { guang } from '../helpers/process.ts';
import { runDatabase } from '../helpers/run-database.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();

describe('guang serve', () => {
  it('refuses to start on a malformed setting, naming the variable and what it expects', async () => {
    const p = guang(['serve'], { WECHAT_TOKEN: 'tok12345', PORT: 'eighty', GUANG_DB: path.join(dir, 'x.db') });
    expect(await p.exited()).toBe(1);
    expect(p.stderr()).toMatch(/PORT: expected a port number/);
  });

  it('refuses to start without a token outside demo mode', async () => {
    const p = guang(['serve'], { GUANG_DB: path.join(dir, 'y.db') });
    expect(await p.exited()).toBe(1);
    expect(p.stderr()).toMatch(/WECHAT_TOKEN: expected .*\(not set\)/);
  });

  // SQLite by nature: with no environment at all, GUANG_DB is a file that serve creates.
  it('starts in demo mode with no environment, prints the webhook URL and that the token is set, and answers', async () => {
    const db = path.join(dir, 'demo.db');
    const p = guang(['serve', '--demo'], { PORT: '0', GUANG_DB: db });
    const [, port] = await p.waitFor(/Webhook URL.*http:\/\/localhost:(\d+)\/wechat/);
    expect(p.stdout()).toMatch(/Token.*set/);
    expect(p.stdout()).not.toContain('guang-demo-token'); // a secret is shown as set, even the demo one
    const player = createWechatPlayer({ url: `http://127.0.0.1:${port}/wechat`, token: 'guang-demo-token' });
    expect((await player.text('o_cli_user', '帮助')).reply!.Content).toContain('找商品');
    expect(existsSync(db)).toBe(true);
    p.child.kill('SIGTERM');
    expect(await p.exited()).toBe(0);
  });

  it('never logs secrets, keys or message text at info level', async () => {
    const db = await runDatabase();
    const p = guang(['serve'], {
      PORT: '0', GUANG_DB: db.dbPath, ...db.env, WECHAT_TOKEN: 'secrettoken42', GUANG_LOG_LEVEL: 'info',
      WECHAT_APPID: 'wx1234567890abcdef', WECHAT_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    });
    const [, port] = await p.waitFor(/localhost:(\d+)\/wechat/);
    const player = createWechatPlayer({
      url: `http://127.0.0.1:${port}/wechat`, token: 'secrettoken42',
      encrypt: { aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', appId: 'wx1234567890abcdef' },
    });
    await player.text('o_private_follower_1234', '我的手机号13800001111');
    p.child.kill('SIGTERM');
    await p.exited();
    const logs = p.stderr();
    expect(logs).toContain('"msg":"webhook"');
    for (const secret of ['secrettoken42', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', '13800001111', 'o_private_follower_1234', ...Object.values(db.env)]) {
      expect(logs).not.toContain(secret);
    }
  });
});
