import { createWechatPlayer, type PlayerAnswer } from '../../src/channels/wechat/player.ts';
import type { Clock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { createLogger, type Logger } from '../../src/core/log.ts';
import { startServer, type RunningServer } from '../../src/app/server.ts';
import { atFileEnd } from '../helpers/file-end.ts';
import { runDatabase } from '../helpers/run-database.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const WECHAT_TOKEN = 'rulestoken123';

export interface ApiAnswer<T = any> {
  readonly status: number;
  readonly body: T;
}

/**
 * A real server on 127.0.0.1 over a new database of the run's kind (SQLite, or PostgreSQL in the PostgreSQL pass:
 * run-database.ts) unless `dbPath` names one, with the admin API on (or off with `token: null`),
 * the embedded WeChat API simulator (GUANG_SIMULATOR=on, unless `env` says off), a follower player and an API
 * caller. Closed after the file's tests. `demo`: demo mode (the demo catalogue seeded; the demo values fill what is unset).
 */
export async function adminServer(
  options: { dbPath?: string; random?: () => number; token?: string | null; env?: Record<string, string>; clock?: Clock; logger?: Logger; demo?: boolean } = {},
) {
  const database = options.dbPath === undefined ? await runDatabase() : { dbPath: options.dbPath, env: {} };
  const dbPath = database.dbPath;
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  const config = loadConfig({
    PORT: '0',
    GUANG_DB: dbPath,
    ...database.env,
    GUANG_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WECHAT_TOKEN,
    WECHAT_APPID: 'wx1234567890abcdef',
    GUANG_SIMULATOR: 'on',
    // Tests type faster than any follower (a poll every 20 ms); the per-follower limit has its own tests.
    WECHAT_FOLLOWER_BURST: '0',
    ...(token ? { GUANG_ADMIN_TOKEN: token } : {}),
    ...options.env,
  }, { demo: options.demo ?? false });
  const server: RunningServer = await startServer({
    config,
    host: '127.0.0.1',
    logger: options.logger ?? createLogger(config.logLevel),
    ...(options.random ? { random: options.random } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  atFileEnd(() => server.close());
  const player = createWechatPlayer({ url: `${server.url}/wechat`, token: WECHAT_TOKEN });

  /** Calls the admin API: JSON in and out. @example await api('POST', '/rules', rule) */
  async function api<T = any>(method: string, path: string, body?: unknown, opts: { token?: string | null; headers?: Record<string, string> } = {}): Promise<ApiAnswer<T>> {
    const t = opts.token === undefined ? ADMIN_TOKEN : opts.token;
    const headers: Record<string, string> = { ...(t ? { authorization: `Bearer ${t}` } : {}), ...opts.headers };
    let payload: BodyInit | undefined;
    if (body instanceof FormData || typeof body === 'string' || body instanceof Uint8Array) payload = body as BodyInit;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${server.url}/api${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** What the follower sees: the text of the passive reply, `<news: title>`, or `success`. */
  const shown = (a: PlayerAnswer): string =>
    !a.reply ? a.body : a.reply.MsgType === 'text' ? a.reply.Content! : a.reply.MsgType === 'news' ? `<news: ${a.articles.map((x) => x.title).join(' | ')}>` : `<${a.reply.MsgType}>`;

  let second = 1_700_000_000;
  return {
    server,
    dbPath,
    api,
    player,
    /** Sends text as `user` and returns what they see. */
    say: async (user: string, text: string) => shown(await player.text(user, text)),
    /** Sends an event (each with its own CreateTime, so no two collide in dedup) and returns what the follower sees. */
    event: async (user: string, event: string, extra: Record<string, string | number> = {}) => shown(await player.event(user, event, { CreateTime: second++, ...extra })),
    shown,
  };
}

/** Polls `check` until it returns true; resolves with the ms it took, rejects after `timeoutMs`. */
export async function within(timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
