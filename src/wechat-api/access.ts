/**
 * Which WeChat API an account's outbound calls go to — the platform, the local simulator, or none — decided
 * in one pure function, so the server, `guang broadcast` and `guang qr` cannot disagree about it.
 *
 * The simulator is never a silent fallback: it is used only when the caller was asked to run it (demo mode or
 * GUANG_SIMULATOR=on) and passes its URL. Without real credentials and without it, the features that need the
 * API are off and say so (see API_FEATURES).
 */

/** The platform's API base URL. */
const PLATFORM_API = 'https://api.weixin.qq.com';
/** The credentials the embedded simulator accepts (it stands in only when no real API is configured). */
const SIMULATOR_SECRET = 'simulator-secret';
/** What stops working without API access (for the start-up warning and the error messages). */
export const API_FEATURES = 'broadcasts, store QR codes, late answers and a rule\'s further replies through the customer-service API';
/** What turns API access on (for the same messages). */
export const API_HOW = 'set WECHAT_APPID and WECHAT_APPSECRET (and WECHAT_API_BASE for another API than the platform\'s), or GUANG_SIMULATOR=on for the local simulator';

export type ApiAccess =
  | { readonly kind: 'platform' | 'simulator'; readonly apiBase: string; readonly appId: string; readonly appSecret: string }
  | { readonly kind: 'none'; readonly missing: string };

/**
 * @param simulatorBase the simulator's URL when the caller runs (or was asked to use) one, else null.
 * @example apiAccess({ appId: 'wx…', appSecret: null, apiBase: null }, null) // → { kind: 'none', missing: 'WECHAT_APPSECRET' }
 */
export function apiAccess(
  account: { readonly appId: string | null; readonly appSecret: string | null; readonly apiBase: string | null },
  simulatorBase: string | null,
): ApiAccess {
  const { appId, appSecret, apiBase } = account;
  if (!appId) return { kind: 'none', missing: 'WECHAT_APPID' };
  if (appSecret) return { kind: 'platform', apiBase: apiBase ?? PLATFORM_API, appId, appSecret };
  if (simulatorBase) return { kind: 'simulator', apiBase: apiBase ?? simulatorBase, appId, appSecret: SIMULATOR_SECRET };
  return { kind: 'none', missing: 'WECHAT_APPSECRET' };
}

/**
 * True when a Guang simulator answers at `apiBase` (its `/stats` control route): a CLI command pointed at the
 * simulator of a server on PORT checks this first, so it never sends into a server that does not run one.
 */
export async function simulatorAnswers(apiBase: string, timeoutMs = 3_000): Promise<boolean> {
  try {
    const res = await fetch(`${apiBase}/stats`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return false;
    const body = (await res.json()) as unknown;
    return typeof body === 'object' && body !== null && 'requests' in body;
  } catch {
    return false;
  }
}
