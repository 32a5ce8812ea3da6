/**
 * What can go wrong when calling the WeChat API, as types a caller can act on:
 * - `WechatApiError`: the platform (or an HTTP hop before it) answered with an error code.
 * - `WechatTimeoutError`: no complete answer in time. The OUTCOME IS UNKNOWN: the request may have been
 *   delivered (a customer-service message may already be on the follower's phone). Never re-send blindly.
 * - `WechatNetworkError`: the request never left (connection refused, DNS failure): safe to send again.
 * - `WechatValidationError`: the arguments were refused before any request was made.
 *
 * Codes are the platform's `errcode`, plus pseudo codes for what happens before the platform answers:
 * HTTP failures map to the negated status (HTTP 502 → -502), and the CODE_* constants below.
 */

/** No complete answer within the timeout: outcome unknown. */
export const CODE_TIMEOUT = -1001;
/** The request could not be sent (connection refused, DNS): not delivered. */
export const CODE_NETWORK = -1002;
/** An answer came but is not the platform's JSON (a proxy's error page, a truncated body). */
export const CODE_BAD_RESPONSE = -1003;

/** Maps an HTTP status to the pseudo code used in errors and metrics (HTTP 503 → -503). */
export const httpStatusCode = (status: number): number => -status;

/** How a caller should react to a code. */
type ErrorAdvice =
  /** Invalidate the access token, fetch a new one, retry once. */
  | 'refresh-token'
  /** Back off a moment and retry. */
  | 'backoff'
  /** A quota or rate limit: retry in minutes (or the next day), not now. */
  | 'later'
  /** Retrying the same request fails the same way. */
  | 'never';

export interface ErrorInfo {
  readonly zh: string;
  readonly en: string;
  readonly advice: ErrorAdvice;
}

/** Codes this project meets, with what they mean and what to do. */
const WECHAT_ERRORS: Readonly<Record<number, ErrorInfo>> = {
  [-1]: { zh: '系统繁忙，请稍候再试', en: 'system busy: retry in a moment', advice: 'backoff' },
  40001: {
    zh: 'access_token 无效或不是最新',
    en: 'invalid credential: the access_token is invalid or not the latest (did another process fetch a new one?)',
    advice: 'refresh-token',
  },
  40002: { zh: '不合法的凭证类型', en: 'invalid grant_type', advice: 'never' },
  40003: { zh: '不合法的 OpenID', en: 'invalid openid: not a follower of this account', advice: 'never' },
  40007: { zh: '不合法的媒体文件 id', en: 'invalid media_id', advice: 'never' },
  40008: { zh: '不合法的消息类型', en: 'invalid message type', advice: 'never' },
  40013: { zh: '不合法的 AppID', en: 'invalid AppID: check WECHAT_APPID', advice: 'never' },
  40014: { zh: '不合法的 access_token', en: 'invalid access_token', advice: 'refresh-token' },
  40037: { zh: '不合法的模板 ID', en: 'invalid template_id: not a template of this account (模板消息 → 我的模板)', advice: 'never' },
  40029: { zh: '不合法的 oauth_code', en: 'invalid oauth code (unknown, expired after 5 minutes, or of another AppID): authorise again', advice: 'never' },
  40016: { zh: '不合法的按钮个数', en: 'invalid menu: 1 to 3 buttons', advice: 'never' },
  40017: { zh: '不合法的按钮类型', en: 'invalid menu button type', advice: 'never' },
  40018: { zh: '不合法的按钮名字长度', en: 'invalid menu button name length (16 bytes)', advice: 'never' },
  40019: { zh: '不合法的按钮 KEY 长度', en: 'invalid menu button key length (128 bytes)', advice: 'never' },
  40020: { zh: '不合法的按钮 URL 长度', en: 'invalid menu button url length (1024 bytes)', advice: 'never' },
  40022: { zh: '不合法的子菜单级数', en: 'invalid menu: sub-buttons cannot have sub-buttons', advice: 'never' },
  40023: { zh: '不合法的子菜单按钮个数', en: 'invalid menu: at most 5 sub-buttons', advice: 'never' },
  40024: { zh: '不合法的子菜单按钮类型', en: 'invalid menu sub-button type', advice: 'never' },
  40025: { zh: '不合法的子菜单按钮名字长度', en: 'invalid menu sub-button name length (60 bytes)', advice: 'never' },
  40026: { zh: '不合法的子菜单按钮 KEY 长度', en: 'invalid menu sub-button key length (128 bytes)', advice: 'never' },
  40027: { zh: '不合法的子菜单按钮 URL 长度', en: 'invalid menu sub-button url length (1024 bytes)', advice: 'never' },
  40054: { zh: '不合法的子菜单按钮 URL 域名', en: 'invalid menu sub-button url domain', advice: 'never' },
  40055: { zh: '不合法的菜单按钮 URL 域名', en: 'invalid menu button url domain', advice: 'never' },
  40053: { zh: '不合法的 actioninfo', en: 'invalid action_info (QR code scene)', advice: 'never' },
  40097: { zh: '参数错误', en: 'invalid arguments', advice: 'never' },
  40125: { zh: '不合法的 AppSecret', en: 'invalid AppSecret: check WECHAT_APPSECRET', advice: 'never' },
  40130: { zh: '群发 openid 列表至少需要 2 个', en: 'invalid openid list size (2–10,000)', advice: 'never' },
  40163: { zh: 'oauth_code 已使用', en: 'oauth code already used: each code works once, authorise again', advice: 'never' },
  40164: {
    zh: '调用接口的 IP 地址不在白名单中',
    en: 'this server\'s IP is not whitelisted: add it under 设置与开发 → 基本配置 → IP白名单',
    advice: 'never',
  },
  41001: { zh: '缺少 access_token 参数', en: 'access_token missing', advice: 'never' },
  42001: { zh: 'access_token 超时', en: 'access_token expired', advice: 'refresh-token' },
  43004: { zh: '需要接收者关注', en: 'the recipient does not follow the account', advice: 'never' },
  44002: { zh: 'POST 的数据包为空', en: 'empty POST body', advice: 'never' },
  44003: { zh: '图文消息内容为空', en: 'empty news message', advice: 'never' },
  44004: { zh: '文本消息内容为空', en: 'empty text content', advice: 'never' },
  47003: { zh: '模板参数不准确', en: 'template data fields do not match the template', advice: 'never' },
  45008: { zh: '图文消息超过限制', en: 'too many articles', advice: 'never' },
  45009: { zh: '接口调用超过限制', en: 'API call quota reached (per minute or per day)', advice: 'later' },
  45011: { zh: 'API 调用太频繁，请稍候再试', en: 'API called too often: slow down', advice: 'later' },
  45015: {
    zh: '回复时间超过限制',
    en: 'outside the 48-hour customer-service window (or the follower unfollowed): do not retry',
    advice: 'never',
  },
  45028: { zh: '没有群发配额', en: 'no mass-send quota left (subscription accounts: 1 a day)', advice: 'later' },
  45047: {
    zh: '客服接口下行条数超过上限',
    en: 'customer-service quota used up (5 messages per follower message)',
    advice: 'never',
  },
  45065: {
    zh: '相同 clientmsgid 已存在群发记录',
    en: 'a mass send with this clientmsgid exists; the answer carries its msg_id',
    advice: 'never',
  },
  45066: {
    zh: '相同 clientmsgid 重试速度过快，请间隔 1 分钟重试',
    en: 'same clientmsgid retried too fast: retry after a minute with the same clientmsgid',
    advice: 'later',
  },
  45067: { zh: 'clientmsgid 长度超过限制', en: 'clientmsgid too long (at most 64 characters)', advice: 'never' },
  46003: { zh: '不存在的菜单数据', en: 'the account has no custom menu', advice: 'never' },
  47001: { zh: '解析 JSON/XML 内容错误', en: 'malformed JSON/XML body', advice: 'never' },
  48001: {
    zh: 'api 功能未授权',
    en: 'API not authorised for this account (type or verification)',
    advice: 'never',
  },
  [CODE_TIMEOUT]: { zh: '请求超时（结果未知）', en: 'timed out: the request may have been delivered', advice: 'never' },
  [CODE_NETWORK]: { zh: '网络不可达（未发出）', en: 'network failure before sending', advice: 'backoff' },
  [CODE_BAD_RESPONSE]: { zh: '响应无法解析', en: 'the answer was not the platform\'s JSON', advice: 'never' },
};

/** The table entry for a code, with sensible answers for unlisted codes and HTTP statuses. */
export function describeWechatError(code: number): ErrorInfo {
  const known = WECHAT_ERRORS[code];
  if (known) return known;
  if (isHttpServerError(code)) return { zh: `HTTP ${-code} 服务器错误`, en: `HTTP ${-code} from the API`, advice: 'backoff' };
  if (code <= -400 && code >= -499) return { zh: `HTTP ${-code}`, en: `HTTP ${-code} from the API`, advice: 'never' };
  return { zh: '未知错误', en: 'unknown error code', advice: 'never' };
}

const isHttpServerError = (code: number): boolean => code <= -500 && code >= -599;

/** 40001, 40014, 42001: the access token must be refreshed. */
export function isTokenError(code: number): boolean {
  return code === 40001 || code === 40014 || code === 42001;
}

/** -1 (system busy) and HTTP 5xx: the platform may succeed on a later attempt. */
export function isTransient(code: number): boolean {
  return code === -1 || isHttpServerError(code);
}

/** Quotas and rate limits (45009, 45011, 45028, 45066): retry in minutes or tomorrow, not now. */
export function isRateLimited(code: number): boolean {
  return describeWechatError(code).advice === 'later';
}

/** Retrying the same request will fail the same way (45015, 40003, a bad AppSecret, …). */
export function isPermanent(code: number): boolean {
  return (
    code !== 0 &&
    !isTokenError(code) &&
    !isTransient(code) &&
    !isRateLimited(code) &&
    code !== CODE_TIMEOUT &&
    code !== CODE_NETWORK
  );
}

/** The platform (or an HTTP hop before it) refused the call. */
export class WechatApiError extends Error {
  override readonly name = 'WechatApiError';
  constructor(
    /** Which API, e.g. `message/custom/send`. */
    readonly api: string,
    readonly code: number,
    readonly errmsg: string,
  ) {
    const info = describeWechatError(code);
    super(`WeChat API ${api} failed with ${code} (${errmsg}): ${info.en} [${info.zh}]`);
  }
}

/**
 * No complete answer in time, or the connection dropped after the request was sent. The outcome is
 * unknown: the platform may have acted on it. Only calls the platform deduplicates may be re-sent.
 */
export class WechatTimeoutError extends Error {
  override readonly name = 'WechatTimeoutError';
  constructor(
    readonly api: string,
    readonly reason: 'timeout' | 'connection-lost' | 'gateway-timeout',
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      `WeChat API ${api}: ${reason === 'timeout' ? `no answer within ${timeoutMs} ms` : reason === 'gateway-timeout' ? 'HTTP 504 from a gateway' : 'the connection dropped mid-request'}; ` +
        'the request may have been delivered (check before sending it again)',
      options,
    );
  }

  /** The code reported to metrics: -504 for a gateway timeout, CODE_TIMEOUT otherwise. */
  get code(): number {
    return this.reason === 'gateway-timeout' ? httpStatusCode(504) : CODE_TIMEOUT;
  }
}

/** The request never left (connection refused, DNS failure): it was not delivered. */
export class WechatNetworkError extends Error {
  override readonly name = 'WechatNetworkError';
  readonly code = CODE_NETWORK;
  constructor(
    readonly api: string,
    /** The system error code, e.g. ECONNREFUSED, ENOTFOUND. */
    readonly syscode: string,
    options?: { cause?: unknown },
  ) {
    super(`WeChat API ${api}: could not connect (${syscode}); nothing was sent. Is the API base URL right?`, options);
  }
}

/** The arguments were refused before anything was sent; the message says what to change. */
export class WechatValidationError extends Error {
  override readonly name = 'WechatValidationError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** The code an error carries, for metrics (`onError`). */
export function errorCode(error: unknown): number | null {
  if (error instanceof WechatApiError || error instanceof WechatTimeoutError || error instanceof WechatNetworkError) {
    return error.code;
  }
  return null;
}
