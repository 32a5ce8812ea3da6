/**
 * Secrets at rest: the database file (and its WAL) never holds the AppSecret, the EncodingAESKeys, the Token
 * or a cached access token in plain text, including rows written by an older version; the file, its -wal and
 * -shm and the generated key file are 0600; a wrong or missing key stops the server with a message naming
 * GUANG_SECRET_KEY and no stack trace. Real SQLite files and a real `guang serve` process.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { loadConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { startServer } from '../../src/app/server.ts';
import { createAccountStore, type Account } from '../../src/db/accounts.ts';
import { openDb } from '../../src/db/db.ts';
import { MIGRATIONS } from '../../src/db/migrations.ts';
import { sqliteSql } from '../../src/db/postgres/dialect.ts';
import { createTokenStore } from '../../src/wechat-api/token-store.ts';
import { guang } from '../helpers/process.ts';
import { tempDbPath, tempDir } from '../helpers/temp.ts';

const dir = tempDir();
const SECRETS = {
  token: 'TokenAtRest2024',
  appSecret: 'AppSecretAtRest0123456789abcdef0',
  aesKey: 'AesKeyAtRestabcdefghijklmnopqrstuvwxyz01234',
  previousAesKey: 'PreviousAesKeyAtRestABCDEFGHIJKLMNOPQRSTUVW',
};
const ACCESS_TOKEN = 'AccessTokenAtRest_0123456789';

const account: Account = {
  id: accountId('default'),
  name: 'default',
  ...SECRETS,
  appId: 'wx1234567890abcdef',
  accountType: 'service',
  apiBase: 'http://127.0.0.1:1',
  customerService: true,
  encryptMode: 'safe',
};

/** Every byte SQLite keeps for `db` (the file, -wal, -shm), as one buffer. */
function rawBytes(db: string): Buffer {
  return Buffer.concat([db, `${db}-wal`, `${db}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

/** The secrets found in `bytes`, as text (UTF-8). */
function leaked(bytes: Buffer): string[] {
  return [...Object.values(SECRETS), ACCESS_TOKEN].filter((s) => bytes.includes(Buffer.from(s)));
}

const mode = (f: string) => (statSync(f).mode & 0o777).toString(8);

describe('secrets at rest', () => {
  it('never writes the Token, AppSecret, AES keys or an access token in plain text, and reads them back', async () => {
    const file = tempDbPath(dir);
    const db = openDb(file);
    await createAccountStore(db).save(account);
    const tokens = createTokenStore({ db, account: account.id, fetchToken: async () => ({ token: ACCESS_TOKEN, expiresInSeconds: 7200 }), recheckMs: 0 });
    expect(await tokens.get()).toBe(ACCESS_TOKEN);
    expect(leaked(rawBytes(file))).toEqual([]); // the WAL too, while open
    await tokens.invalidate(ACCESS_TOKEN); // compared decrypted: still finds the stored token
    db.close();
    expect(leaked(rawBytes(file))).toEqual([]);

    const again = openDb(file);
    expect(await createAccountStore(again).get('default')).toEqual(account);
    const row = again.prepare('SELECT expires_at FROM access_tokens').get() as { expires_at: number };
    expect(row.expires_at).toBe(0); // the rejection was recorded
    again.close();
  });

  it('encrypts the plaintext secrets of a database from an older version on first open, leaving no copy in the file', async () => {
    const file = tempDbPath(dir);
    // An older version's file: the schema without secret_keys, plaintext rows, mode 0644.
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    for (const m of MIGRATIONS.slice(0, 5)) old.exec(sqliteSql(m));
    old.pragma('user_version = 5');
    old.prepare(`INSERT INTO accounts (id, name, token, app_id, app_secret, aes_key, previous_aes_key, account_type, api_base, customer_service, created_at, updated_at)
                 VALUES ('default', 'default', ?, 'wx1234567890abcdef', ?, ?, ?, 'service', NULL, 1, 0, 0)`).run(SECRETS.token, SECRETS.appSecret, SECRETS.aesKey, SECRETS.previousAesKey);
    old.prepare(`INSERT INTO access_tokens (account, token, expires_at, updated_at) VALUES ('default', ?, ?, 0)`).run(ACCESS_TOKEN, Date.now() + 3600_000);
    old.close();
    chmodSync(file, 0o644);
    expect(leaked(rawBytes(file)).length).toBe(5);

    const db = openDb(file);
    const a = (await createAccountStore(db).get('default'))!;
    expect({ token: a.token, appSecret: a.appSecret, aesKey: a.aesKey, previousAesKey: a.previousAesKey }).toEqual(SECRETS);
    db.close();
    expect(leaked(rawBytes(file))).toEqual([]);
    expect(mode(file)).toBe('600');
  });

  it('creates the database, its -wal and -shm, and the key file readable by the owner only', async () => {
    const file = tempDbPath(dir);
    const db = openDb(file, { secretKey: null });
    await createAccountStore(db).save(account);
    for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.key`]) expect([f, mode(f)]).toEqual([f, '600']);
    db.close();
  });

  it('opens with the key from GUANG_SECRET_KEY (32 bytes or a passphrase) and refuses another key, changing nothing', async () => {
    for (const key of [randomBytes(32).toString('base64'), randomBytes(32).toString('hex'), 'a long passphrase of words']) {
      const file = tempDbPath(dir);
      const db = openDb(file, { secretKey: key });
      await createAccountStore(db).save(account);
      db.close();
      expect(existsSync(`${file}.key`)).toBe(false);
      const before = rawBytes(file);
      expect(() => openDb(file, { secretKey: 'another passphrase, not the one' })).toThrow(/GUANG_SECRET_KEY is not the key/);
      expect(() => openDb(file, { secretKey: null })).toThrow(/GUANG_SECRET_KEY is not set/);
      expect(() => openDb(file, { secretKey: 'short' })).toThrow(/GUANG_SECRET_KEY is too short/);
      expect(existsSync(`${file}.key`)).toBe(false); // no key invented for encrypted secrets
      expect(rawBytes(file).equals(before)).toBe(true);
      const back = openDb(file, { secretKey: key });
      expect(await createAccountStore(back).get('default')).toEqual(account);
      back.close();
    }
  });

  it('stops `guang serve` with a clear message naming GUANG_SECRET_KEY when the key is wrong, without a stack trace', async () => {
    const file = path.join(dir, 'serve.db');
    const env = { PORT: '0', GUANG_DB: file, GUANG_LOG_LEVEL: 'warn', WECHAT_TOKEN: SECRETS.token, WECHAT_APPID: account.appId!, WECHAT_APPSECRET: SECRETS.appSecret };
    const server = await startServer({ config: loadConfig({ ...env, GUANG_SECRET_KEY: randomBytes(32).toString('base64') }), host: '127.0.0.1', logger: createLogger('silent') });
    await server.close();

    const p = guang(['serve'], { ...env, GUANG_SECRET_KEY: randomBytes(32).toString('base64') });
    const code = await Promise.race([p.exited(), new Promise<'running'>((r) => setTimeout(() => r('running'), 20_000))]);
    if (code === 'running') p.child.kill('SIGKILL');
    expect(code).toBe(1);
    expect(p.stderr()).toMatch(/^guang: GUANG_SECRET_KEY is not the key the secrets in .*serve\.db were encrypted with/);
    expect(p.stderr()).not.toMatch(/\n\s+at /);
    expect(p.stdout()).not.toContain(SECRETS.appSecret);
  });

  it('warns at start that a generated key file should move to the environment', async () => {
    const file = path.join(dir, 'warn.db');
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream);
    const server = await startServer({ config: loadConfig({ PORT: '0', GUANG_DB: file, WECHAT_TOKEN: SECRETS.token }), host: '127.0.0.1', logger });
    await server.close();
    expect(lines.join('')).toContain('GUANG_SECRET_KEY is not set');
    expect(readdirSync(dir)).toContain('warn.db.key');
    rmSync(`${file}.key`);
  });
});
