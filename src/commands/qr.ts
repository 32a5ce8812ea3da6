/**
 * `guang qr create --store ID [--temporary [--expire-seconds N]] [--account ID]`: creates a store's
 * parametric QR code through the WeChat API (WECHAT_APPID / WECHAT_APPSECRET, WECHAT_API_BASE to point
 * elsewhere; with no AppSecret, the simulator of a server on PORT when it runs one: `npm start` or
 * GUANG_SIMULATOR=on), and records its ticket and URL in GUANG_DB.
 * `guang qr list --store ID`: the codes recorded for a store.
 * Exit code: 0; 1 when the store is unknown or the API refused; 2 on a usage error.
 */
import { accountId } from '../core/messages.ts';
import { MerchantError } from '../core/errors.ts';
import { accountFromConfig } from '../app/server.ts';
import { API_HOW, apiAccess, simulatorAnswers } from '../wechat-api/access.ts';
import { createAccountStore } from '../db/accounts.ts';
import { openDatabase } from '../db/open.ts';
import { createStoreQrCode, MAX_TEMPORARY_SECONDS } from '../merchant/shops/qr.ts';
import { createStoreRegistry, type QrCodeRecord } from '../merchant/shops/registry.ts';
import { createWechatClient } from '../wechat-api/client.ts';
import { databasePath } from './db-path.ts';
import { configOrExit } from './config-or-exit.ts';
import { UsageError } from './usage-error.ts';

export interface QrOptions {
  readonly store: string;
  readonly account: string;
  readonly temporary?: boolean;
  readonly expireSeconds?: number;
}

export async function list({ store, account }: QrOptions): Promise<number> {
  const db = (await openDatabase(databasePath())).sql;
  try {
    const stores = createStoreRegistry(db);
    if (!(await stores.get(account, store))) {
      console.error(`guang qr: no store ${store} in account ${account}`);
      return 1;
    }
    const codes = await stores.qrCodes(account, store);
    console.log(codes.length ? codes.map(describe).join('\n\n') : `No QR codes for store ${store} yet: guang qr create --store ${store}`);
    return 0;
  } finally {
    await db.close();
  }
}

export async function create(values: QrOptions): Promise<number> {
  const { expireSeconds } = values;
  if (expireSeconds !== undefined) {
    if (!values.temporary) throw new UsageError('--expire-seconds goes with --temporary (permanent codes do not expire)');
    if (expireSeconds > MAX_TEMPORARY_SECONDS) throw new UsageError(`--expire-seconds: 1 to ${MAX_TEMPORARY_SECONDS}`);
  }
  const config = configOrExit({ demo: true });
  const db = (await openDatabase(config.dbPath)).sql;
  try {
    const stores = createStoreRegistry(db);
    const account = (await createAccountStore(db).get(values.account)) ?? (values.account === 'default' ? accountFromConfig(config) : null);
    if (!account) {
      console.error(`guang qr: no account ${values.account}`);
      return 1;
    }
    // As `guang broadcast send`: the simulator of a server on PORT only when that server really runs one.
    const access = apiAccess(account, config.embedSimulator ? `http://127.0.0.1:${config.port}/sim` : null);
    if (access.kind === 'none' || (access.kind === 'simulator' && !(await simulatorAnswers(access.apiBase)))) {
      const why = access.kind === 'none' ? `${access.missing} is not set` : `WECHAT_APPSECRET is not set and no simulator answers at ${access.apiBase}`;
      console.error(`guang qr: creating QR codes needs the WeChat API: ${why}; ${API_HOW}`);
      return 1;
    }
    const { apiBase, appId, appSecret } = access;
    const client = createWechatClient({ db, account: accountId(account.id), appId, appSecret, apiBase });
    const qr = await createStoreQrCode({ stores, client, account: account.id, storeId: values.store, permanent: !values.temporary, expireSeconds });
    const store = (await stores.get(account.id, values.store))!;
    console.log(`QR code for store ${store.id} 「${store.name}」 created through ${apiBase}:\n${describe(qr)}`);
    console.log(`A follow through it arrives as EventKey qrscene_${qr.scene}, a follower's scan as ${qr.scene}.`);
    return 0;
  } catch (err) {
    if (err instanceof MerchantError) {
      if (err.code === 'validation') throw new UsageError(err.message);
      console.error(`guang qr: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}

function describe(q: QrCodeRecord): string {
  return [
    `  #${q.id} ${q.permanent ? 'permanent' : `temporary, expires ${new Date(q.expiresAt!).toISOString()}`}, scene ${q.scene}`,
    `  ticket: ${q.ticket}`,
    `  url:    ${q.url}`,
    `  image:  ${q.showUrl}`,
  ].join('\n');
}
