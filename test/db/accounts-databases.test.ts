/**
 * Accounts on both databases, and with two instances at once (issue 18): secrets sealed at rest and read back,
 * one row when two instances create the same account, two changes of one account both kept, and an instance's
 * in-memory directory picking up what another instance wrote.
 */
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { AccountExistsError, createAccountStore, type Account } from '../../src/db/accounts.ts';
import { createAccountDirectory } from '../../src/db/account-directory.ts';
import { DATABASES, openEach } from '../helpers/databases.ts';

const shop = (id: string, over: Partial<Account> = {}): Account => ({
  id: accountId(id), name: `${id} 店`, token: `${id}token123`, appId: 'wx2c2769f8efd9abc2', appSecret: 'A'.repeat(32),
  aesKey: null, previousAesKey: null, accountType: 'service', apiBase: null, customerService: true, encryptMode: 'plain', ...over,
});

describe.each(DATABASES)('accounts on $name', (database) => {
  const opened = openEach(database);

  it.skipIf(database.skip)('saves, reads back and lists accounts, the secrets sealed in the row', async () => {
    const accounts = createAccountStore(opened.sql);
    await accounts.save(shop('default'));
    await accounts.create(shop('shop2', { aesKey: 'k'.repeat(43), encryptMode: 'safe' }));
    expect(await accounts.get('shop2')).toEqual(shop('shop2', { aesKey: 'k'.repeat(43), encryptMode: 'safe' }));
    expect((await accounts.list()).map((a) => a.id)).toEqual(['default', 'shop2']);
    expect(await accounts.get('nobody')).toBeNull();
    const row = await opened.sql.get<{ token: string; app_secret: string; aes_key: string }>('SELECT token, app_secret, aes_key FROM accounts WHERE id = ?', ['shop2']);
    expect(row!.token).not.toContain('shop2token123');
    expect(row!.app_secret).not.toContain('A'.repeat(32));
    expect(row!.aes_key).not.toContain('k'.repeat(43));
    // Read through another instance (PostgreSQL: the same key from GUANG_SECRET_KEY).
    expect(await createAccountStore(await opened.another()).get('shop2')).toMatchObject({ token: 'shop2token123', aesKey: 'k'.repeat(43) });
  });

  it.skipIf(database.skip)('keeps one row when two instances create the same account at once; the others are told it exists', async () => {
    const one = createAccountStore(opened.sql);
    const two = createAccountStore(await opened.another());
    const outcomes = await Promise.allSettled([one.create(shop('shop2', { name: '一' })), two.create(shop('shop2', { name: '二' })), one.create(shop('shop2', { name: '三' }))]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(AccountExistsError);
    expect(await opened.sql.get('SELECT count(*) AS n FROM accounts WHERE id = ?', ['shop2'])).toEqual({ n: 1 });
  });

  it.skipIf(database.skip)('keeps both of two changes made at once on two instances; null for an account that does not exist', async () => {
    const one = createAccountStore(opened.sql);
    const two = createAccountStore(await opened.another());
    await one.create(shop('shop2'));
    await Promise.all([
      one.update('shop2', (a) => ({ ...a, name: '改名' })),
      two.update('shop2', (a) => ({ ...a, appSecret: 'B'.repeat(32) })),
    ]);
    expect(await one.get('shop2')).toMatchObject({ name: '改名', appSecret: 'B'.repeat(32) });
    expect(await one.update('nobody', (a) => a)).toBeNull();
  });

  it.skipIf(database.skip)('moves the stamp forward on every write, even in the same millisecond or from a clock behind', async () => {
    const accounts = createAccountStore(opened.sql);
    await accounts.create(shop('shop2'), 5_000);
    const stamp = async () => (await accounts.stamps()).get('shop2')!;
    expect(await stamp()).toBe(5_000);
    await accounts.save(shop('shop2', { name: 'a' }), 5_000);
    expect(await stamp()).toBe(5_001);
    await accounts.update('shop2', (a) => ({ ...a, name: 'b' }), 4_000);
    expect(await stamp()).toBe(5_002);
    await accounts.save(shop('shop2', { name: 'c' }), 9_000);
    expect(await stamp()).toBe(9_000);
  });

  it.skipIf(database.skip)('an instance\'s directory answers from memory and picks up what another instance added or changed', async () => {
    const here = createAccountStore(opened.sql);
    await here.save(shop('default'));
    const directory = createAccountDirectory({ sql: opened.sql, store: here, pollMs: 0 });
    await directory.ready;
    expect(directory.get('default')?.name).toBe('default 店');
    expect(directory.get('shop2')).toBeNull();

    const elsewhere = createAccountStore(await opened.another());
    await elsewhere.create(shop('shop2'));
    await elsewhere.update('default', (a) => ({ ...a, token: 'newtoken456' }));
    // From memory until it looks again.
    expect(directory.get('shop2')).toBeNull();
    expect(directory.get('default')?.token).toBe('defaulttoken123');
    await directory.refresh();
    expect(directory.get('shop2')?.token).toBe('shop2token123');
    expect(directory.get('default')?.token).toBe('newtoken456');
    directory.stop();
  });

  it.skipIf(database.skip)('a directory that polls sees another instance\'s new account within its poll', async () => {
    const directory = createAccountDirectory({ sql: opened.sql, store: createAccountStore(opened.sql), pollMs: 50 });
    await directory.ready;
    await createAccountStore(await opened.another()).create(shop('shop3'));
    const deadline = Date.now() + 5_000;
    while (!directory.get('shop3') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(directory.get('shop3')?.name).toBe('shop3 店');
    directory.stop();
  });
});
