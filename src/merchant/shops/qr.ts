/**
 * A store's parametric QR code, created through the WeChat API client (the platform, or the simulator in
 * demos and tests) with the store id as its scene, and recorded with its ticket and URL.
 */
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import { MerchantError } from '../../core/errors.ts';
import type { WechatClient } from '../../wechat-api/client.ts';
import { WechatValidationError } from '../../wechat-api/errors.ts';
import type { QrCodeRecord, StoreRegistry } from './registry.ts';

/** The platform's default for a temporary code, and its maximum: 30 days. */
export const MAX_TEMPORARY_SECONDS = 30 * 24 * 3600;

export interface CreateStoreQrOptions {
  readonly stores: StoreRegistry;
  readonly client: Pick<WechatClient, 'createQrCode'>;
  readonly account: string;
  readonly storeId: string;
  /** Permanent (the default: codes printed on posters and counters) or temporary. */
  readonly permanent: boolean;
  /** Temporary codes: 1 s to 30 days (default 30 days). */
  readonly expireSeconds?: number | undefined;
  readonly clock?: Clock;
}

/**
 * @example await createStoreQrCode({ stores, client, account: 'default', storeId: 'sh-jingan', permanent: true })
 */
export async function createStoreQrCode(options: CreateStoreQrOptions): Promise<QrCodeRecord> {
  const { stores, client, account, storeId, permanent } = options;
  const clock = options.clock ?? systemClock;
  if (!(await stores.get(account, storeId))) throw new MerchantError('not_found', `no store with id ${storeId} in account ${account}; create it first`);
  if (permanent && options.expireSeconds !== undefined) {
    throw new MerchantError('validation', 'permanent QR codes do not expire; leave out the expiry, or ask for a temporary code');
  }
  const expireSeconds = permanent ? undefined : (options.expireSeconds ?? MAX_TEMPORARY_SECONDS);
  let code;
  try {
    code = await client.createQrCode({ permanent, scene: storeId, ...(expireSeconds !== undefined ? { expireSeconds } : {}) });
  } catch (err) {
    if (err instanceof WechatValidationError) throw new MerchantError('validation', err.message);
    throw new MerchantError('upstream', `the WeChat API did not create the QR code: ${(err as Error).message}`);
  }
  return stores.saveQrCode(account, {
    storeId,
    scene: storeId,
    permanent,
    ticket: code.ticket,
    url: code.url,
    showUrl: code.showUrl,
    expiresAt: permanent ? null : clock.now() + (code.expireSeconds ?? expireSeconds!) * 1000,
  });
}
