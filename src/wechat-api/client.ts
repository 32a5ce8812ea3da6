/**
 * The outbound WeChat API client: access token, customer-service messages, mass sends, QR codes, template messages,
 * the code exchange of web authorisation (网页授权; the authorize URL is built in web-auth.ts), and the custom
 * menu (menu-calls.ts).
 *
 * Retry rules, chosen so that a message is never sent twice by the client itself:
 * - 40001 / 40014 / 42001: the token is invalidated (in the shared store), refreshed once, and the call retried once.
 * - -1 (busy), HTTP 5xx (but 504) and connection failures before sending: exponential back-off with jitter,
 *   a bounded number of attempts.
 * - A timeout, a dropped connection or HTTP 504 leaves the outcome unknown (the platform may have acted).
 *   Such a call is re-sent only when the platform deduplicates it: mass sends carry a `clientmsgid`, and the
 *   platform answers a repeat with 45065 and the original msg_id, which the client reports as success.
 *   Customer-service messages, previews and QR creations throw `WechatTimeoutError` instead.
 * Every platform error surfaces as a `WechatApiError` carrying the code; `onError(api, code)` sees each one
 * (including those that were retried), for metrics. The token and the AppSecret are never logged.
 */
import type { AccountId, Article } from '../core/messages.ts';
import { sleep as realSleep, systemClock, type Clock } from '../core/clock.ts';
import { maskId, silentLogger, type Logger } from '../core/log.ts';
import type { Db } from '../db/db.ts';
import type { Sql } from '../db/sql/sql.ts';
import {
  CODE_BAD_RESPONSE,
  WechatApiError,
  WechatNetworkError,
  WechatTimeoutError,
  WechatValidationError,
  errorCode,
  httpStatusCode,
  isTokenError,
  isTransient,
} from './errors.ts';
import { createHttpTransport, HttpTransportError } from './http.ts';
import { menuCalls, type MenuCalls } from './menu-calls.ts';
import { templatePayload, type TemplateMessage } from './template.ts';
import { createTokenStore, type FetchedToken, type TokenStoreOptions } from './token-store.ts';

/** A customer-service message (verified accounts; 48-hour window after the follower's last message). */
export type CustomerMessage =
  | { readonly type: 'text'; readonly content: string }
  /** Exactly one article: the platform's limit for customer-service news. */
  | { readonly type: 'news'; readonly articles: readonly Article[] }
  | { readonly type: 'image'; readonly mediaId: string };

/** A mass message: text, or an article set (mpnews) uploaded beforehand, by media_id. */
export type MassMessage =
  | { readonly type: 'text'; readonly content: string }
  | {
      readonly type: 'mpnews';
      readonly mediaId: string;
      /** Send even if the article is judged a reprint (`send_ignore_reprint: 1`). */
      readonly sendIgnoreReprint?: boolean;
    };

/** The platform deduplicates mass sends by `clientMsgId` (1–64 characters): use one per intended send. */
type MassSendByTagInput = (
  | { readonly tagId: number; readonly toAll?: false }
  | { readonly toAll: true; readonly tagId?: undefined }
) & { readonly message: MassMessage; readonly clientMsgId: string };

interface MassSendToOpenidsInput {
  /** 2 to 10,000 openids (verified service accounts only). */
  readonly openids: readonly string[];
  readonly message: MassMessage;
  readonly clientMsgId: string;
}

interface MassPreviewInput {
  readonly openid: string;
  readonly message: MassMessage;
}

interface MassSendResult {
  /** The job id (a 64-bit integer, kept a string); `MASSSENDJOBFINISH` reports on it later. */
  readonly msgId: string;
  readonly msgDataId?: string;
  /** True when the platform had already accepted this clientMsgId (45065): nothing was sent again. */
  readonly duplicate: boolean;
}

interface PreviewResult {
  readonly msgId: string | null;
}

interface QrCodeInput {
  /** Permanent codes: scene 1–100000 or a 1–64 character string; at most 100,000 per account. */
  readonly permanent: boolean;
  readonly scene: number | string;
  /** Temporary codes only: 1 s to 30 days (default 30 days). */
  readonly expireSeconds?: number;
}

interface QrCode {
  readonly ticket: string;
  /** The URL the QR image encodes. */
  readonly url: string;
  /** null for permanent codes. */
  readonly expireSeconds: number | null;
  /** Where the QR image can be downloaded. */
  readonly showUrl: string;
}

interface RetryOptions {
  /** Attempts in all, the first included (default 3). */
  readonly attempts?: number;
  /** First back-off delay; doubled each time, with jitter (default 200 ms). */
  readonly baseDelayMs?: number;
  /** Cap for one delay (default 5 s). */
  readonly maxDelayMs?: number;
}

export interface WechatClientOptions {
  /** Where the access token is shared (a better-sqlite3 connection is taken through its adapter). */
  readonly db: Db | Sql;
  readonly account: AccountId;
  readonly appId: string;
  readonly appSecret: string;
  /** e.g. `https://api.weixin.qq.com`, or the simulator's `http://127.0.0.1:3000/sim`. */
  readonly apiBase: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Per HTTP request (default 10 s). */
  readonly timeoutMs?: number;
  /** Keep-alive connections to the API at most (default 64): calls beyond wait for a free one. */
  readonly connections?: number;
  /** Called for every error seen, retried or not (metrics). Codes: see errors.ts. */
  readonly onError?: (api: string, code: number) => void;
  readonly retry?: RetryOptions;
  /** Back-off sleeps (tests pass a fast one). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** Tuning of the shared token store (poll interval, lease, margin). */
  readonly tokenStore?: Pick<TokenStoreOptions, 'pollMs' | 'leaseMs' | 'marginMs' | 'maxWaitMs' | 'owner'>;
}

export interface WechatClient extends MenuCalls {
  /** A valid access token, shared with the account's other processes. */
  getAccessToken(): Promise<string>;
  /** Sends one customer-service message. Throws WechatTimeoutError (never re-sends) when the outcome is unknown. */
  sendCustomerMessage(openid: string, message: CustomerMessage): Promise<void>;
  /** Mass send to a tag or to all followers (`/message/mass/sendall`). */
  massSendByTag(input: MassSendByTagInput): Promise<MassSendResult>;
  /** Mass send to a list of 2–10,000 openids (`/message/mass/send`, verified service accounts). */
  massSendToOpenids(input: MassSendToOpenidsInput): Promise<MassSendResult>;
  /** Sends a mass message to one follower to check how it looks; counts against no mass quota. */
  massPreview(input: MassPreviewInput): Promise<PreviewResult>;
  /** Creates a parametric QR code; a follow or scan through it carries the scene. */
  createQrCode(input: QrCodeInput): Promise<QrCode>;
  /**
   * Sends a template message (模板消息), its values fitted to the platform's field rules (template.ts). Re-sent
   * after an unknown outcome only with a `clientMsgId` (the platform deduplicates by it).
   */
  sendTemplateMessage(message: TemplateMessage): Promise<{ readonly msgId: string | null }>;
  /**
   * Web authorisation: the `code` WeChat handed the page → the follower's openid (`sns/oauth2/access_token`).
   * A code works once, for 5 minutes: 40029 (invalid) and 40163 (already used) surface as WechatApiError.
   */
  oauthOpenid(code: string): Promise<{ readonly openid: string; readonly scope: string }>;
}

type ApiBody = Record<string, unknown>;

interface CallSpec {
  /** The API's name for errors and metrics: the path after `/cgi-bin/`. */
  readonly api: string;
  /** The path under the API base when it is not `/cgi-bin/<api>` (web authorisation lives under `/sns`). */
  readonly path?: string;
  readonly method: 'GET' | 'POST';
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Sends the access token. */
  readonly auth: boolean;
  /** The platform deduplicates the call (or it changes nothing), so it may be re-sent after an unknown outcome. */
  readonly idempotent: boolean;
  /** errcodes that are not failures for this call. */
  readonly okCodes?: readonly number[];
}

/** Answers that mean "this account or endpoint has no stable_token": fall back to /cgi-bin/token. */
const STABLE_TOKEN_UNSUPPORTED = new Set([httpStatusCode(404), httpStatusCode(405), 40066, 48001]);
/** System error codes meaning the request never left this machine. */
const NOT_SENT = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT',
]);
const SHOW_QR_URL = 'https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=';
const MAX_TEMP_QR_SECONDS = 30 * 24 * 3600;

/**
 * @example
 * const wechat = createWechatClient({ db, account: accountId('default'), appId, appSecret,
 *   apiBase: 'https://api.weixin.qq.com', onError: (api, code) => errors.inc({ api, code }) });
 * await wechat.sendCustomerMessage(openid, { type: 'text', content: '您的订单已发货' });
 */
export function createWechatClient(options: WechatClientOptions): WechatClient {
  const { appId, appSecret, account } = options;
  const apiBase = options.apiBase.replace(/\/+$/, '');
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ module: 'wechat-api', account });
  const timeoutMs = options.timeoutMs ?? 10_000;
  const attempts = Math.max(1, options.retry?.attempts ?? 3);
  const baseDelayMs = options.retry?.baseDelayMs ?? 200;
  const maxDelayMs = options.retry?.maxDelayMs ?? 5_000;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;

  let useLegacyToken = false;
  const http = createHttpTransport({ connections: options.connections ?? 64 });

  const tokens = createTokenStore({
    db: options.db,
    account,
    clock,
    logger,
    // Long enough for a refresher's fetches; short enough that a crashed refresher does not stall the others
    // for long. An overlap is harmless with stable_token (it hands both the same token).
    leaseMs: 2 * timeoutMs + 5_000,
    ...options.tokenStore,
    fetchToken,
  });

  function reportError(api: string, code: number): void {
    if (!options.onError) return;
    try {
      options.onError(api, code);
    } catch (error) {
      logger.warn({ err: error, api }, 'onError callback threw');
    }
  }

  async function fetchToken({ forceRefresh }: { readonly forceRefresh: boolean }): Promise<FetchedToken> {
    if (!useLegacyToken) {
      try {
        const body = await call({
          api: 'stable_token',
          method: 'POST',
          body: { grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: forceRefresh },
          auth: false,
          idempotent: true,
        });
        return tokenFrom('stable_token', body);
      } catch (error) {
        if (!(error instanceof WechatApiError && STABLE_TOKEN_UNSUPPORTED.has(error.code))) throw error;
        useLegacyToken = true;
        logger.warn({ code: error.code }, 'stable_token unsupported here; falling back to /cgi-bin/token');
      }
    }
    const body = await call({
      api: 'token',
      method: 'GET',
      query: { grant_type: 'client_credential', appid: appId, secret: appSecret },
      auth: false,
      idempotent: true,
    });
    return tokenFrom('token', body);
  }

  async function call(spec: CallSpec): Promise<ApiBody> {
    let failures = 0;
    let refreshedToken = false;
    for (;;) {
      const token = spec.auth ? await tokens.get() : null;
      try {
        return await once(spec, token);
      } catch (error) {
        const code = errorCode(error);
        if (code === null) throw error;
        reportError(spec.api, code);
        if (token !== null && error instanceof WechatApiError && isTokenError(code)) {
          if (refreshedToken) throw error;
          refreshedToken = true;
          await tokens.invalidate(token);
          logger.info({ api: spec.api, code }, 'access token rejected; refreshing and retrying once');
          continue;
        }
        failures++;
        if (failures >= attempts || !mayRetry(error, spec)) throw error;
        const delay = backoff(failures);
        logger.warn({ api: spec.api, code, attempt: failures, delayMs: delay }, 'WeChat API call failed; retrying');
        await sleep(delay);
      }
    }
  }

  function mayRetry(error: unknown, spec: CallSpec): boolean {
    if (error instanceof WechatNetworkError) return true;
    if (error instanceof WechatTimeoutError) return spec.idempotent;
    return error instanceof WechatApiError && isTransient(error.code);
  }

  function backoff(failures: number): number {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  async function once(spec: CallSpec, token: string | null): Promise<ApiBody> {
    const url = new URL(`${apiBase}${spec.path ?? `/cgi-bin/${spec.api}`}`);
    for (const [key, value] of Object.entries(spec.query ?? {})) url.searchParams.set(key, value);
    if (token !== null) url.searchParams.set('access_token', token);
    let response: { status: number; text: string };
    try {
      response = await http.request(url, spec.method, spec.body === undefined ? undefined : JSON.stringify(spec.body), timeoutMs);
    } catch (error) {
      throw transportFailure(spec.api, error, timeoutMs);
    }
    const { text } = response;
    if (response.status === 504) throw new WechatTimeoutError(spec.api, 'gateway-timeout', timeoutMs);
    if (response.status < 200 || response.status > 299) throw new WechatApiError(spec.api, httpStatusCode(response.status), `HTTP ${response.status}`);
    const body = parseBody(text);
    if (!body) throw new WechatApiError(spec.api, CODE_BAD_RESPONSE, `not JSON: ${text.slice(0, 80)}`);
    const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
    if (errcode !== 0 && !spec.okCodes?.includes(errcode)) {
      throw new WechatApiError(spec.api, errcode, typeof body.errmsg === 'string' ? body.errmsg : '');
    }
    return body;
  }

  async function massSend(api: string, body: ApiBody): Promise<MassSendResult> {
    const answer = await call({ api, method: 'POST', body, auth: true, idempotent: true, okCodes: [45065] });
    const msgId = idString(answer.msg_id);
    if (msgId === null) throw new WechatApiError(api, CODE_BAD_RESPONSE, 'no msg_id in the answer');
    const msgDataId = idString(answer.msg_data_id);
    const duplicate = answer.errcode === 45065;
    logger.info({ api, msgId, duplicate }, duplicate ? 'mass send already accepted (clientmsgid)' : 'mass send submitted');
    return msgDataId === null ? { msgId, duplicate } : { msgId, msgDataId, duplicate };
  }

  return {
    getAccessToken: () => tokens.get(),
    ...menuCalls(call),

    async sendCustomerMessage(openid, message) {
      const body = { touser: requireOpenid('openid', openid), ...customerPayload(message) };
      await call({ api: 'message/custom/send', method: 'POST', body, auth: true, idempotent: false });
      logger.info({ to: maskId(openid), msgtype: body.msgtype }, 'customer-service message sent');
    },

    async massSendByTag(input) {
      const filter =
        input.toAll === true
          ? { is_to_all: true }
          : { is_to_all: false, tag_id: requireTagId(input.tagId) };
      return massSend('message/mass/sendall', {
        filter,
        ...massPayload(input.message),
        clientmsgid: requireClientMsgId(input.clientMsgId),
      });
    },

    async massSendToOpenids(input) {
      const { openids } = input;
      if (!Array.isArray(openids) || openids.length < 2 || openids.length > 10_000) {
        throw new WechatValidationError(
          'openids',
          `a mass send by openid takes 2 to 10,000 openids, got ${Array.isArray(openids) ? openids.length : 'none'}; ` +
            'send to one follower with sendCustomerMessage, split larger lists into batches',
        );
      }
      openids.forEach((openid, i) => requireOpenid(`openids[${i}]`, openid));
      return massSend('message/mass/send', {
        touser: [...openids],
        ...massPayload(input.message),
        clientmsgid: requireClientMsgId(input.clientMsgId),
      });
    },

    async massPreview(input) {
      const body = { touser: requireOpenid('openid', input.openid), ...massPayload(input.message) };
      const answer = await call({ api: 'message/mass/preview', method: 'POST', body, auth: true, idempotent: false });
      return { msgId: idString(answer.msg_id) };
    },

    async createQrCode(input) {
      const body = qrPayload(input);
      const answer = await call({ api: 'qrcode/create', method: 'POST', body, auth: true, idempotent: false });
      const { ticket, url } = answer;
      if (typeof ticket !== 'string' || ticket === '' || typeof url !== 'string') {
        throw new WechatApiError('qrcode/create', CODE_BAD_RESPONSE, 'no ticket in the answer');
      }
      const expireSeconds = typeof answer.expire_seconds === 'number' ? answer.expire_seconds : null;
      return { ticket, url, expireSeconds: input.permanent ? null : expireSeconds, showUrl: showQrUrl(ticket) };
    },

    async sendTemplateMessage(message) {
      const body = templatePayload(message);
      const answer = await call({ api: 'message/template/send', method: 'POST', body, auth: true, idempotent: message.clientMsgId !== undefined });
      logger.info({ to: maskId(message.openid), template: message.templateId }, 'template message sent');
      return { msgId: idString(answer.msgid) };
    },
    async oauthOpenid(code) {
      if (typeof code !== 'string' || code === '' || code.length > 512) throw new WechatValidationError('code', 'expected the code WeChat added to the redirect');
      // Not idempotent: a code is single-use, so an unknown outcome is not re-sent (the follower just retries).
      const answer = await call({
        api: 'sns/oauth2/access_token',
        path: '/sns/oauth2/access_token',
        method: 'GET',
        query: { appid: appId, secret: appSecret, code, grant_type: 'authorization_code' },
        auth: false,
        idempotent: false,
      });
      if (typeof answer.openid !== 'string' || answer.openid === '') throw new WechatApiError('sns/oauth2/access_token', CODE_BAD_RESPONSE, 'no openid in the answer');
      return { openid: answer.openid, scope: typeof answer.scope === 'string' ? answer.scope : '' };
    },
  };
}

/** Where a QR code's image is served, for a ticket from `createQrCode`. */
function showQrUrl(ticket: string): string {
  return SHOW_QR_URL + encodeURIComponent(ticket);
}

function tokenFrom(api: string, body: ApiBody): FetchedToken {
  const token = body.access_token;
  const expiresIn = Number(body.expires_in);
  if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new WechatApiError(api, CODE_BAD_RESPONSE, 'no access_token/expires_in in the answer');
  }
  return { token, expiresInSeconds: expiresIn };
}

function transportFailure(api: string, error: unknown, timeoutMs: number): Error {
  if (!(error instanceof HttpTransportError)) return error instanceof Error ? error : new Error(String(error));
  if (error.phase === 'connect') {
    // No connection was made: nothing left this machine.
    if (error.reason === 'timeout') return new WechatNetworkError(api, 'UND_ERR_CONNECT_TIMEOUT', { cause: error });
    if (error.code !== null && NOT_SENT.has(error.code)) return new WechatNetworkError(api, error.code, { cause: error });
  }
  if (error.reason === 'timeout') return new WechatTimeoutError(api, 'timeout', timeoutMs, { cause: error });
  // Reset, closed socket, anything else: the request may have gone out.
  return new WechatTimeoutError(api, 'connection-lost', timeoutMs, { cause: error });
}

/** JSON.parse, keeping 64-bit ids (msg_id, msg_data_id) exact by reading them as strings. */
function parseBody(text: string): ApiBody | null {
  try {
    const value: unknown = JSON.parse(/"msg_|"msgid"/.test(text) ? text.replace(/"(msg_id|msg_data_id|msgid)"\s*:\s*(-?\d+)/g, '"$1":"$2"') : text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as ApiBody) : null;
  } catch {
    return null;
  }
}

const idString = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;

function requireOpenid(field: string, openid: unknown): string {
  if (typeof openid !== 'string' || openid.trim() === '') {
    throw new WechatValidationError(field, 'expected a follower\'s openid (a non-empty string)');
  }
  return openid;
}

function requireClientMsgId(id: unknown): string {
  if (typeof id !== 'string' || id.length < 1 || id.length > 64) {
    throw new WechatValidationError(
      'clientMsgId',
      'expected 1–64 characters, the same for every attempt of one send (the platform deduplicates by it)',
    );
  }
  return id;
}

function requireTagId(tagId: unknown): number {
  if (typeof tagId !== 'number' || !Number.isInteger(tagId) || tagId < 0) {
    throw new WechatValidationError('tagId', 'expected a tag id (a non-negative integer), or toAll: true');
  }
  return tagId;
}

function requireText(field: string, content: unknown): string {
  if (typeof content !== 'string' || content.trim() === '') {
    throw new WechatValidationError(field, 'expected non-empty text');
  }
  return content;
}

function requireMediaId(mediaId: unknown): string {
  if (typeof mediaId !== 'string' || mediaId === '') {
    throw new WechatValidationError('mediaId', 'expected the media_id of material uploaded to the platform');
  }
  return mediaId;
}

function customerPayload(message: CustomerMessage): ApiBody & { msgtype: string } {
  switch (message.type) {
    case 'text':
      return { msgtype: 'text', text: { content: requireText('content', message.content) } };
    case 'image':
      return { msgtype: 'image', image: { media_id: requireMediaId(message.mediaId) } };
    case 'news': {
      if (message.articles.length !== 1) {
        throw new WechatValidationError(
          'articles',
          `a customer-service news message carries exactly 1 article, got ${message.articles.length}; ` +
            'send one message per article, or a text list of links',
        );
      }
      const article = message.articles[0]!;
      if (!/^https?:\/\//.test(article.url)) {
        throw new WechatValidationError('articles[0].url', 'expected an http(s) URL');
      }
      return {
        msgtype: 'news',
        news: {
          articles: [
            {
              title: requireText('articles[0].title', article.title),
              description: article.description,
              url: article.url,
              picurl: article.imageUrl,
            },
          ],
        },
      };
    }
    default:
      throw new WechatValidationError('message.type', `unsupported customer-service message type ${String((message as { type?: unknown }).type)}`);
  }
}

function massPayload(message: MassMessage): ApiBody {
  switch (message.type) {
    case 'text':
      return { msgtype: 'text', text: { content: requireText('content', message.content) } };
    case 'mpnews':
      return {
        msgtype: 'mpnews',
        mpnews: { media_id: requireMediaId(message.mediaId) },
        send_ignore_reprint: message.sendIgnoreReprint ? 1 : 0,
      };
    default:
      throw new WechatValidationError('message.type', `unsupported mass message type ${String((message as { type?: unknown }).type)}`);
  }
}

function qrPayload(input: QrCodeInput): ApiBody {
  const { permanent, scene } = input;
  let sceneInfo: ApiBody;
  if (typeof scene === 'number') {
    const max = permanent ? 100_000 : 0xffff_ffff;
    if (!Number.isInteger(scene) || scene < 1 || scene > max) {
      throw new WechatValidationError(
        'scene',
        permanent
          ? 'a permanent QR code\'s numeric scene must be an integer from 1 to 100000 (use a string scene for more)'
          : 'a temporary QR code\'s numeric scene must be a non-zero 32-bit integer (1 to 4294967295)',
      );
    }
    sceneInfo = { scene_id: scene };
  } else if (typeof scene === 'string') {
    if (scene.length < 1 || scene.length > 64) {
      throw new WechatValidationError('scene', `a string scene must be 1 to 64 characters, got ${scene.length}`);
    }
    sceneInfo = { scene_str: scene };
  } else {
    throw new WechatValidationError('scene', 'expected a number or a string');
  }
  const kind = typeof scene === 'number' ? 'SCENE' : 'STR_SCENE';
  if (permanent) {
    if (input.expireSeconds !== undefined) {
      throw new WechatValidationError('expireSeconds', 'permanent QR codes do not expire; leave expireSeconds out');
    }
    return { action_name: `QR_LIMIT_${kind}`, action_info: { scene: sceneInfo } };
  }
  const expireSeconds = input.expireSeconds ?? MAX_TEMP_QR_SECONDS;
  if (!Number.isInteger(expireSeconds) || expireSeconds < 1 || expireSeconds > MAX_TEMP_QR_SECONDS) {
    throw new WechatValidationError('expireSeconds', `a temporary QR code lives 1 to ${MAX_TEMP_QR_SECONDS} seconds (30 days)`);
  }
  return { expire_seconds: expireSeconds, action_name: `QR_${kind}`, action_info: { scene: sceneInfo } };
}
