/**
 * The token endpoints and the token check every API call passes (rules in ./simulator.ts):
 * `GET /cgi-bin/token` (each call a new token, the previous one lives 5 more minutes) and
 * `POST /cgi-bin/stable_token` (the same token until its last 5 minutes; `force_refresh` within a daily quota).
 */
import { randomBytes } from 'node:crypto';
import { shanghaiDay, type AppTokens, type SimState } from './state.ts';
import { fail, isObject, nonEmpty, type Answer, type ApiRequest } from './wire.ts';

const OVERLAP_MS = 5 * 60_000;
const FORCE_REFRESH_PER_DAY = 20;
const FORCE_REFRESH_INTERVAL_MS = 30_000;

function issue(s: SimState, now: number): string {
  const token = randomBytes(60).toString('base64url');
  s.issued.set(token, { expiresAt: now + s.config.ttlMs, revoked: false });
  return token;
}

const tokenAnswer = (s: SimState, token: string, now: number): Answer => ({
  access_token: token,
  expires_in: Math.floor((s.issued.get(token)!.expiresAt - now) / 1000),
});

function checkCredentials(s: SimState, grantType: unknown, appid: unknown, secret: unknown): Answer | null {
  const { credentials } = s.config;
  if (grantType !== 'client_credential') return fail(40002, 'invalid grant_type');
  if (!nonEmpty(appid)) return fail(40013, 'invalid appid');
  if (credentials) {
    if (!(appid in credentials)) return fail(40013, 'invalid appid');
    if (credentials[appid] !== secret) return fail(40125, 'invalid appsecret');
  } else if (!nonEmpty(secret)) {
    return fail(40125, 'invalid appsecret');
  }
  return null;
}

function appTokens(s: SimState, appid: string): AppTokens {
  let state = s.apps.get(appid);
  if (!state) {
    state = { stable: null, legacy: null, lastForceAt: null, forceDay: '', forceCount: 0 };
    s.apps.set(appid, state);
  }
  return state;
}

const live = (s: SimState, token: string | null, now: number): token is string => {
  const t = token === null ? undefined : s.issued.get(token);
  return t !== undefined && !t.revoked && t.expiresAt > now;
};

/** `GET /cgi-bin/token`: a new token each call; the previous one keeps working 5 more minutes. */
export function legacyToken(s: SimState, query: Readonly<Record<string, unknown>>): Answer {
  const now = s.config.clock.now();
  const refused = checkCredentials(s, query.grant_type, query.appid, query.secret);
  if (refused) return refused;
  const state = appTokens(s, String(query.appid));
  const previous = state.legacy === null ? undefined : s.issued.get(state.legacy);
  if (previous) previous.expiresAt = Math.min(previous.expiresAt, now + OVERLAP_MS);
  state.legacy = issue(s, now);
  return tokenAnswer(s, state.legacy, now);
}

/** `POST /cgi-bin/stable_token`: the current stable token while more than 5 minutes of it remain, else a new one. */
export function stableToken(s: SimState, body: unknown): Answer {
  const now = s.config.clock.now();
  if (!isObject(body)) return fail(44002, 'empty post data');
  const refused = checkCredentials(s, body.grant_type, body.appid, body.secret);
  if (refused) return refused;
  const state = appTokens(s, String(body.appid));
  if (body.force_refresh === true) return forceRefresh(s, state, now);
  if (live(s, state.stable, now) && s.issued.get(state.stable)!.expiresAt - now > OVERLAP_MS) {
    return tokenAnswer(s, state.stable, now);
  }
  // Within its last 5 minutes the platform renews the stable token; the old one lives out its time.
  state.stable = issue(s, now);
  return tokenAnswer(s, state.stable, now);
}

/** `force_refresh: true`: revokes the current stable token at once, at most 20 times a Shanghai day. */
function forceRefresh(s: SimState, state: AppTokens, now: number): Answer {
  if (state.lastForceAt !== null && now - state.lastForceAt < FORCE_REFRESH_INTERVAL_MS && live(s, state.stable, now)) {
    return tokenAnswer(s, state.stable, now); // "连续使用该模式时，请保证调用时间隔至少为30s，否则不会刷新"
  }
  const day = shanghaiDay(now);
  if (state.forceDay !== day) {
    state.forceDay = day;
    state.forceCount = 0;
  }
  if (state.forceCount >= FORCE_REFRESH_PER_DAY) return fail(45009, 'reach max api daily quota limit');
  state.forceCount++;
  state.lastForceAt = now;
  const current = state.stable === null ? undefined : s.issued.get(state.stable);
  if (current) current.revoked = true;
  state.stable = issue(s, now);
  return tokenAnswer(s, state.stable, now);
}

/** The `access_token` an API call carries: null when it is live, else the platform's refusal. */
export function checkToken(s: SimState, req: ApiRequest, now: number): Answer | null {
  const token = req.query.access_token;
  if (!nonEmpty(token)) return fail(41001, 'access_token missing');
  const t = s.issued.get(token);
  if (!t || t.revoked) return fail(40001, 'invalid credential, access_token is invalid or not latest');
  if (t.expiresAt <= now) return fail(42001, 'access_token expired');
  return null;
}
