/** `.env` read at start: the settings it holds start the server; the environment wins over it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnvFile } from '../../src/core/env-file.ts';
import { guang } from '../helpers/process.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();

describe('.env', () => {
  it('takes what the environment does not set, and leaves what it does', () => {
    const file = path.join(dir, 'unit.env');
    writeFileSync(file, 'WECHAT_TOKEN=fromfile123\nPORT=4000\n# a comment\nGUANG_LOG_LEVEL="debug"\n');
    const env: Record<string, string | undefined> = { PORT: '3000' };
    expect(readEnvFile(file, env).sort()).toEqual(['GUANG_LOG_LEVEL', 'WECHAT_TOKEN']);
    expect(env).toEqual({ PORT: '3000', WECHAT_TOKEN: 'fromfile123', GUANG_LOG_LEVEL: 'debug' });
  });

  it('is optional: no file, nothing taken', () => {
    const env = {};
    expect(readEnvFile(path.join(dir, 'missing.env'), env)).toEqual([]);
    expect(env).toEqual({});
  });

  it('starts `guang serve` from the settings in .env in the working directory', async () => {
    const cwd = path.join(dir, 'site');
    mkdirSync(cwd);
    // PORT in the file is malformed: the environment's PORT=0 must win, or the server would refuse to start.
    writeFileSync(path.join(cwd, '.env'), `WECHAT_TOKEN=fromfile123\nGUANG_DB=${path.join(cwd, 'site.db')}\nPORT=eighty\n`);
    const p = guang(['serve'], { PORT: '0', GUANG_ENV_FILE: undefined }, cwd);
    await p.waitFor(/Webhook URL.*http:\/\/localhost:\d+\/wechat/);
    expect(p.stdout()).toMatch(/Token.*set/);
    p.child.kill('SIGTERM');
    expect(await p.exited()).toBe(0);
  });

  it('stops with one line naming the file when it cannot be read', async () => {
    const p = guang(['serve'], { GUANG_ENV_FILE: dir }); // a directory: not readable as a file
    expect(await p.exited()).toBe(1);
    expect(p.stderr().trim()).toMatch(/^guang: could not read .*: EISDIR/);
  });
});
