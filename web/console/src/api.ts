/**
 * The console's one request layer: every screen talks to the admin API through `api()`. It sends the
 * session cookie, adds the CSRF token to state changes, turns an error body into an ApiError carrying the
 * server's code and message (shown as they are: the API is the single source of validation), and on a 401
 * outside sign-in hands over to the sign-in page.
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

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Which fields the message concerns (`path` as the request named them: 'meaning', 'replies.0.content'). */
    readonly details: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

let csrf: string | null = null;
let onSignedOut: () => void = () => {};

/** Called by the app once: what a 401 on an ordinary request does (show the sign-in page). */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

const SAFE = new Set(['GET', 'HEAD']);

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  // The console speaks Chinese: routes that have Chinese messages answer in them (scripts get English).
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': 'zh-CN' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (!SAFE.has(method) && csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  if (res.ok) return res;
  let code = 'http_' + res.status;
  let message = `请求失败（${res.status}）`;
  let details: { path: string; message: string }[] = [];
  try {
    const e = (await res.json()) as { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } };
    if (e.error?.code) code = e.error.code;
    if (e.error?.message) message = e.error.message;
    if (Array.isArray(e.error?.details)) details = e.error.details;
  } catch {
    // Not JSON (a proxy's page): the generic message stands.
  }
  throw new ApiError(res.status, code, message, details);
}

/**
 * @example const top = await api<TopQueries>('GET', '/stats/top-queries?limit=10');
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  try {
    const res = await call(method, path, body);
    return (res.status === 204 ? undefined : await res.json()) as T;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      csrf = null;
      onSignedOut();
    }
    throw e;
  }
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
