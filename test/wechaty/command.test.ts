import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guang } from '../helpers/process.ts';
import { runDatabase } from '../helpers/run-database.ts';
import { tempDbPath, tempDir } from '../helpers/temp.ts';

describe('guang wechaty', () => {
  it('refuses to start with no puppet named, saying what to set, and exits 1 without loading a default puppet', async () => {
    const proc = guang(['wechaty'], { WECHATY_PUPPET: '', GUANG_DB: tempDbPath() });
    expect(await proc.exited()).toBe(1);
    expect(proc.stderr()).toContain('WECHATY_PUPPET is not set');
    expect(proc.stderr()).toContain('does not fall back to a default puppet');
    expect(proc.stdout()).toBe('');
  });

  it('refuses a puppet that is not installed, saying how to install it', async () => {
    const proc = guang(['wechaty'], { WECHATY_PUPPET: 'wechaty-puppet-not-installed', GUANG_DB: tempDbPath() });
    expect(await proc.exited()).toBe(1);
    expect(proc.stderr()).toContain('npm install wechaty-puppet-not-installed');
  });

  it('starts with the puppet named, without WECHAT_TOKEN, and stops cleanly on SIGTERM (the process exits 0)', async () => {
    const database = await runDatabase();
    const proc = guang(['wechaty'], { WECHATY_PUPPET: 'wechaty-puppet-mock', GUANG_DB: database.dbPath, ...database.env, GUANG_PUBLIC_URL: 'https://shop.example.com', GUANG_LOG_LEVEL: 'silent' });
    await proc.waitFor(/Bot started/);
    expect(proc.stdout()).toContain('with wechaty-puppet-mock');
    expect(proc.stdout()).toContain('Links:          https://shop.example.com');
    proc.child.kill('SIGTERM');
    expect(await proc.exited()).toBe(0);
  });

  it('says it keeps the login session where WECHATY_SESSION says', async () => {
    const database = await runDatabase();
    const session = path.join(tempDir(), 'shop-bot');
    const proc = guang(['wechaty'], { WECHATY_PUPPET: 'wechaty-puppet-mock', GUANG_DB: database.dbPath, ...database.env, WECHATY_SESSION: `${session}.memory-card.json`, GUANG_LOG_LEVEL: 'silent' });
    await proc.waitFor(/Bot started/);
    expect(proc.stdout()).toContain(`Login session:  ${session}.memory-card.json (keep it private`);
    proc.child.kill('SIGTERM');
    expect(await proc.exited()).toBe(0);
  });
});
