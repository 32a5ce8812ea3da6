import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guang } from '../helpers/process.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();

describe('guang chat', () => {
  it('plays the WeChat server against a running webhook, plain and encrypted', async () => {
    const server = guang(['serve', '--demo'], { PORT: '0', GUANG_DB: path.join(dir, 'chat.db') });
    const [, port] = await server.waitFor(/localhost:(\d+)\/wechat/);
    for (const flags of [[], ['--encrypt']]) {
      const chat = guang(['chat', '--as', 'o_chat_test', ...flags], { PORT: port! });
      chat.child.stdin!.write('/follow store_7\n帮助\nTD\n/quit\n');
      expect(await chat.exited()).toBe(0);
      const out = chat.stdout();
      expect(out).toContain('谢谢关注');
      expect(out).toContain('找商品');
      expect(out).toMatch(/退订/);
      if (flags.length) expect(out).toContain('safe mode');
    }
    server.child.kill('SIGTERM');
    expect(await server.exited()).toBe(0);
  });

  it('answers every line of piped input and exits 0 when the input ends without /quit', async () => {
    const server = guang(['serve', '--demo'], { PORT: '0', GUANG_DB: path.join(dir, 'piped.db') });
    const [, port] = await server.waitFor(/localhost:(\d+)\/wechat/);
    const chat = guang(['chat', '--as', 'o_chat_piped'], { PORT: port! });
    // The input ends before the first answer arrives, as with `printf … | guang chat`.
    chat.child.stdin!.end('/follow store_7\n帮助\n');
    expect(await chat.exited()).toBe(0);
    expect(chat.stdout()).toContain('谢谢关注');
    expect(chat.stdout()).toContain('找商品');
    expect(chat.stderr()).toBe('');
    server.child.kill('SIGTERM');
    expect(await server.exited()).toBe(0);
  });
});
