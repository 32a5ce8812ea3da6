/**
 * Web authorisation (网页授权), the browser's half: where to send a follower who opened a page without a
 * token, so that WeChat hands the page a `code` for their openid (the code exchange is the client's
 * `oauthOpenid`). `snsapi_base` is silent: no prompt, openid only — all a checkout needs.
 */
import type { ApiAccess } from './access.ts';

/** The platform's authorisation host (the API itself is api.weixin.qq.com). */
const PLATFORM_AUTHORIZE = 'https://open.weixin.qq.com';
const PLATFORM_API = 'https://api.weixin.qq.com';

export interface AuthorizeRequest {
  readonly appId: string;
  /** Where WeChat sends the browser back, with `code` and `state` (its domain registered as 网页授权域名). */
  readonly redirectUri: string;
  /** Echoed back unchanged: at most 128 characters of [A-Za-z0-9_-]. */
  readonly state: string;
  readonly scope?: 'snsapi_base' | 'snsapi_userinfo';
}

/**
 * Where authorisation happens for an account's API: the platform's host, or the simulator (or another API base)
 * itself, which serves `/connect/oauth2/authorize` too.
 * @example authorizeBase({ kind: 'platform', apiBase: 'https://api.weixin.qq.com', … }) // 'https://open.weixin.qq.com'
 */
export function authorizeBase(access: Extract<ApiAccess, { apiBase: string }>): string {
  return access.kind === 'platform' && access.apiBase.replace(/\/+$/, '') === PLATFORM_API ? PLATFORM_AUTHORIZE : access.apiBase.replace(/\/+$/, '');
}

/**
 * The authorize URL, parameters in the platform's order (it is picky about it) and `#wechat_redirect` last.
 * @example authorizeUrl('https://open.weixin.qq.com', { appId: 'wx1', redirectUri: 'https://shop.example.com/m/default/auth/back', state: 'x1' })
 */
export function authorizeUrl(base: string, req: AuthorizeRequest): string {
  if (!/^[\w-]{1,128}$/.test(req.state)) throw new RangeError('authorizeUrl: state must be 1–128 characters of [A-Za-z0-9_-]');
  const q = [
    ['appid', req.appId],
    ['redirect_uri', req.redirectUri],
    ['response_type', 'code'],
    ['scope', req.scope ?? 'snsapi_base'],
    ['state', req.state],
  ]
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&');
  return `${base.replace(/\/+$/, '')}/connect/oauth2/authorize?${q}#wechat_redirect`;
}
