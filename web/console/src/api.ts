/**
 * The console's one request layer: every screen talks to the admin API through `api()`. It sends the
 * session cookie, adds the CSRF token to state changes, turns an error body into an ApiError carrying the
 * server's code, message and per-field details (shown as they are: the API is the single source of
 * validation), and on a 401 outside sign-in hands over to the sign-in page. It also carries the official
 * account the console works on: every call but the session's names it (`?account=`).
 */

export interface SessionUser {
  readonly username: string;
  readonly role: 'owner' | 'operator' | 'store_staff' | 'viewer' | string;
  readonly store: string | null;
}

interface SessionBody {
  readonly user: SessionUser;
  readonly csrf: string;
}

/** One problem with what was sent, where it is (`replies[0].content`): forms put it on that field. */
export interface ApiProblem {
  readonly path: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly ApiProblem[] = [],
  ) {
    super(message);
  }
}

const ACCOUNT_KEY = 'guang.account';
let account = readAccount();

function readAccount(): string {
  try {
    return localStorage.getItem(ACCOUNT_KEY) || 'default';
  } catch {
    return 'default'; // storage refused (a private window's policy): the default account
  }
}

/** The official account every call works on (remembered in this browser; default `default`). */
export const currentAccount = (): string => account;

/** Switches the account the following calls work on, and remembers it for the next visit. */
export function selectAccount(id: string): void {
  account = id;
  try {
    localStorage.setItem(ACCOUNT_KEY, id);
  } catch {
    // Not remembered; this visit still uses it.
  }
}

/** `/rules?limit=5` → `/rules?limit=5&account=shop2`. The session is the user's, not an account's. */
const withAccount = (path: string): string =>
  path === '/session' || path.startsWith('/session/') ? path : `${path}${path.includes('?') ? '&' : '?'}account=${encodeURIComponent(account)}`;

let csrf: string | null = null;
let onSignedOut: () => void = () => {};

/** Called by the app once: what a 401 on an ordinary request does (show the sign-in page). */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

const SAFE = new Set(['GET', 'HEAD']);

/** The headers of every call: JSON, Chinese messages, and the CSRF token on a state change. */
function baseHeaders(method: string): Record<string, string> {
  // The console speaks Chinese: routes that have Chinese messages answer in them (scripts get English).
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': 'zh-CN' };
  if (!SAFE.has(method) && csrf) headers['X-CSRF-Token'] = csrf;
  return headers;
}

/** An error answer as an ApiError: the API's code, message and details, or a generic message when it is not JSON. */
function errorOf(status: number, text: string): ApiError {
  let code = 'http_' + status;
  let message = `请求失败（${status}）`;
  let details: ApiProblem[] = [];
  try {
    const e = JSON.parse(text) as { error?: { code?: string; message?: string; details?: ApiProblem[] } };
    if (e.error?.code) code = e.error.code;
    if (e.error?.message) message = e.error.message;
    if (Array.isArray(e.error?.details)) details = e.error.details;
  } catch {
    // Not JSON (a proxy's page): the generic message stands.
  }
  return new ApiError(status, code, message, details);
}

/** A 401 outside sign-in: the session is gone, so the app shows the sign-in page. */
function signedOutOn(e: unknown): void {
  if (e instanceof ApiError && e.status === 401) {
    csrf = null;
    onSignedOut();
  }
}

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const headers = baseHeaders(method);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api${withAccount(path)}`, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  if (res.ok) return res;
  const e = errorOf(res.status, await res.text().catch(() => ''));
  // An account remembered here that this server does not have (another database): back to the default.
  if (e.code === 'unknown_account' && account !== 'default') selectAccount('default');
  throw e;
}

/**
 * @example const top = await api<TopQueries>('GET', '/stats/top-queries?limit=10');
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  try {
    const res = await call(method, path, body);
    return (res.status === 204 ? undefined : await res.json()) as T;
  } catch (e) {
    signedOutOn(e);
    throw e;
  }
}

/**
 * Uploads a file in the multipart field `file`, reporting how much has been sent (`onProgress(0…1)`), with the
 * same session, CSRF token, errors and 401 handling as `api()` (fetch cannot report upload progress; XHR can).
 * @example const r = await upload<ImportResult>('/products/import', file, (f) => setPercent(Math.round(f * 100)));
 */
export function upload<T>(path: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${withAccount(path)}`);
    xhr.withCredentials = true;
    for (const [k, v] of Object.entries(baseHeaders('POST'))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        try {
          resolve((xhr.status === 204 ? undefined : JSON.parse(xhr.responseText)) as T);
        } catch {
          reject(errorOf(xhr.status, ''));
        }
        return;
      }
      const e = errorOf(xhr.status, xhr.responseText);
      signedOutOn(e);
      reject(e);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', '无法连接服务器，请检查网络后重试'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** Signs in; a wrong password throws the API's ApiError (its message is shown on the form). */
export async function signIn(username: string, password: string): Promise<SessionUser> {
  const res = await call('POST', '/session', { username, password });
  const s = (await res.json()) as SessionBody;
  csrf = s.csrf;
  return s.user;
}

/** Who is signed in, or null: the console asks once when it opens. */
export async function currentSession(): Promise<SessionUser | null> {
  try {
    const s = (await (await call('GET', '/session')).json()) as SessionBody;
    csrf = s.csrf;
    return s.user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function signOut(): Promise<void> {
  try {
    await call('DELETE', '/session');
  } finally {
    csrf = null;
  }
}
