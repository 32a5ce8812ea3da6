/**
 * Web authorisation (网页授权) as the platform does it: `GET /connect/oauth2/authorize` (the browser's stop on
 * open.weixin.qq.com) issues a code for the follower and redirects back with `code` and `state`;
 * `GET /sns/oauth2/access_token` exchanges it for the openid. A code works once (40163 after) and for 5
 * minutes, for the AppID it was issued to (40029 otherwise).
 *
 * Who the browser is: WeChat knows; the simulator takes `openid` from the authorize URL (a simulator-only
 * parameter), else the follower set with `POST /oauth/user {openid}`, else it asks with a one-field page.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { SimState } from './state.ts';
import { fail, nonEmpty, type Answer, type ApiRequest } from './wire.ts';

const CODE_TTL_MS = 5 * 60_000;
const SCOPES = ['snsapi_base', 'snsapi_userinfo'];

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The platform shows an error page (not JSON) for a bad authorize request. */
function errorPage(res: Response, code: number, text: string): void {
  res.status(400).type('html').send(`<!doctype html><meta charset="utf-8"><title>微信网页授权</title><p>${esc(text)}</p><p>错误码 ${code}</p>`);
}

/** `GET /connect/oauth2/authorize`: checks the request, then redirects back to `redirect_uri` with a fresh code. */
export function authorize(s: SimState, req: Request, res: Response): void {
  s.requests['/connect/oauth2/authorize'] = (s.requests['/connect/oauth2/authorize'] ?? 0) + 1;
  const q = req.query;
  const str = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : '');
  const appid = str('appid');
  const { credentials } = s.config;
  if (!appid || (credentials && !(appid in credentials))) return errorPage(res, 10016, 'appid 错误，请确认公众号的 AppID');
  let back: URL;
  try {
    back = new URL(str('redirect_uri'));
    if (back.protocol !== 'http:' && back.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return errorPage(res, 10003, 'redirect_uri 参数错误');
  }
  if (str('response_type') !== 'code') return errorPage(res, 10004, 'response_type 参数错误');
  if (!SCOPES.includes(str('scope'))) return errorPage(res, 10005, 'scope 参数错误或没有 scope 权限');
  const state = str('state');
  if (state.length > 128) return errorPage(res, 10009, 'state 参数过长');
  const openid = str('openid') || s.oauthUser;
  if (!openid) {
    // No WeChat to say who this is: ask (the form comes back here with the same parameters and an openid).
    const hidden = ['appid', 'redirect_uri', 'response_type', 'scope', 'state']
      .map((k) => `<input type="hidden" name="${k}" value="${esc(str(k))}">`)
      .join('');
    res.status(200).type('html').send(
      `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>微信网页授权（模拟器）</title>` +
        `<form method="get"><p>模拟器：以哪位关注者的身份打开？</p>${hidden}<input name="openid" placeholder="openid" required> <button>继续</button></form>`,
    );
    return;
  }
  const code = randomBytes(16).toString('hex');
  s.oauthCodes.set(code, { appid, openid, scope: str('scope'), expiresAt: s.config.clock.now() + CODE_TTL_MS, used: false });
  back.searchParams.set('code', code);
  back.searchParams.set('state', state);
  res.redirect(302, back.href);
}

/** `GET /sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code`: the code → the openid. */
export function exchangeCode(s: SimState, req: ApiRequest, now: number): Answer {
  const { appid, secret, code, grant_type: grantType } = req.query;
  if (grantType !== 'authorization_code') return fail(40002, 'invalid grant_type');
  if (!nonEmpty(appid)) return fail(40013, 'invalid appid');
  const { credentials } = s.config;
  if (credentials ? !(appid in credentials) : false) return fail(40013, 'invalid appid');
  if (credentials ? credentials[appid] !== secret : !nonEmpty(secret)) return fail(40125, 'invalid appsecret');
  if (!nonEmpty(code)) return fail(41008, 'missing code');
  const issued = s.oauthCodes.get(code);
  if (!issued || issued.appid !== appid || issued.expiresAt <= now) return fail(40029, 'invalid code');
  if (issued.used) return fail(40163, 'code been used');
  issued.used = true;
  return {
    access_token: randomBytes(40).toString('base64url'),
    expires_in: 7200,
    refresh_token: randomBytes(40).toString('base64url'),
    openid: issued.openid,
    scope: issued.scope,
  };
}
