/** `--port` on the commands that listen: it wins over PORT (here malformed, so PORT alone would stop them). */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guang } from '../helpers/process.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();

describe('--port', () => {
  it('guang sim --port listens there, whatever PORT says', async () => {
    const p = guang(['sim', '--port', '0'], { PORT: 'eighty' });
    const [, port] = await p.waitFor(/at http:\/\/127\.0\.0\.1:(\d+)\/sim/);
    expect(Number(port)).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${port}/sim/deliveries`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited()).toBe(0);
  }, 30_000);

  it('guang serve --port listens there, whatever PORT says', async () => {
    const p = guang(['serve', '--demo', '--port', '0'], { PORT: 'eighty', GUANG_DB: path.join(dir, 'serve.db') });
    const [, port] = await p.waitFor(/Webhook URL.*http:\/\/localhost:(\d+)\/wechat/);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited()).toBe(0);
  }, 30_000);
});
