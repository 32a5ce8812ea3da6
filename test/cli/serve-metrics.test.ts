/** `guang serve` and its metrics port, as an operator meets them: the banner, and the errors that stop it. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guang } from '../helpers/process.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();
const SLOW = 60_000; // a real process starting on a loaded machine

describe('guang serve with GUANG_METRICS_PORT', () => {
  it('says in its banner where metrics are, serves them there, and not on the public port', async () => {
    const p = guang(['serve', '--demo'], { PORT: '0', GUANG_DB: path.join(dir, 'banner.db'), GUANG_METRICS_PORT: '0' });
    const [, metrics] = await p.waitFor(/Metrics:\s+(http:\/\/127\.0\.0\.1:\d+)\/metrics/, 45_000);
    const [, port] = /localhost:(\d+)\/wechat/.exec(p.stdout())!;
    expect(await (await fetch(`${metrics}/metrics`)).text()).toContain('# TYPE guang_messages_total counter');
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
    expect(p.stdout()).not.toMatch(/localhost:\d+\/metrics/);
    p.child.kill('SIGTERM');
    expect(await p.exited()).toBe(0);
  }, SLOW);

  it('says in its banner that metrics are off when it is not set', async () => {
    const p = guang(['serve', '--demo'], { PORT: '0', GUANG_DB: path.join(dir, 'off.db') });
    await p.waitFor(/Metrics:\s+off \(set GUANG_METRICS_PORT/, 45_000);
    p.child.kill('SIGTERM');
    expect(await p.exited()).toBe(0);
  }, SLOW);

  it('refuses a bad port with one line naming the variable, and no stack trace', async () => {
    const p = guang(['serve', '--demo'], { PORT: '0', GUANG_DB: path.join(dir, 'bad.db'), GUANG_METRICS_PORT: 'ninety' });
    expect(await p.exited()).toBe(1);
    expect(p.stderr()).toMatch(/^ {2}- GUANG_METRICS_PORT: expected a port number$/m);
    expect(p.stderr()).not.toMatch(/^\s+at /m);
  }, SLOW);

  it('stops with one line, and exit code 1, when the metrics port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const p = guang(['serve', '--demo'], { PORT: '0', GUANG_DB: path.join(dir, 'taken.db'), GUANG_METRICS_PORT: String(port) });
      expect(await p.exited()).toBe(1);
      expect(p.stderr()).toContain(`guang: GUANG_METRICS_PORT: 127.0.0.1:${port} is in use by another process: stop it, or choose another port`);
      expect(p.stderr()).not.toMatch(/^\s+at /m);
    } finally {
      taken.close();
    }
  }, SLOW);
});
