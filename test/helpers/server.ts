import type { Step } from '../../src/agent/pipeline.ts';
import type { Clock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { startServer, type RunningServer } from '../../src/app/server.ts';
import { createLogger, type Logger } from '../../src/core/log.ts';
import { atFileEnd } from './file-end.ts';
import { runDatabase } from './run-database.ts';

export const TOKEN = 'testtoken123';
export const APPID = 'wx1234567890abcdef';
export const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
export const OLD_AES_KEY = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut';

export interface TestServerOptions {
  env?: Record<string, string>;
  dbPath?: string;
  skills?: Step[];
  budgetMs?: number;
  holdMs?: number;
  clock?: Clock;
  /** Where the server logs (default: a logger at TEST_LOG_LEVEL, or silent). */
  logger?: Logger;
}

/**
 * A real server on 127.0.0.1 (a free port) over a new database of the run's kind (a SQLite file; PostgreSQL in the
 * PostgreSQL pass: run-database.ts) unless `dbPath` names one; closed after the file's tests. It embeds
 * the WeChat API simulator under /sim (GUANG_SIMULATOR=on: outside demo mode the server runs it only when asked;
 * pass `env: { GUANG_SIMULATOR: 'off' }` for a server without it).
 */
export async function testServer(options: TestServerOptions = {}): Promise<RunningServer & { webhook: string }> {
  const database = options.dbPath === undefined ? await runDatabase() : { dbPath: options.dbPath, env: {} };
  const config = loadConfig({
    PORT: '0',
    GUANG_DB: database.dbPath,
    ...database.env,
    GUANG_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WECHAT_TOKEN: TOKEN,
    WECHAT_APPID: APPID,
    WECHAT_AES_KEY: AES_KEY,
    GUANG_SIMULATOR: 'on',
    // The tests play plaintext and encrypted deliveries against one server; safe mode is tested on its own.
    WECHAT_ENCRYPT_MODE: 'compatible',
    // Tests type faster than any follower; the per-follower limit has its own tests (test/security).
    WECHAT_FOLLOWER_BURST: '0',
    // /metrics is served only on a port of its own: a free one on loopback (server.metricsUrl).
    GUANG_METRICS_PORT: '0',
    ...options.env,
  });
  const server = await startServer({
    config,
    host: '127.0.0.1',
    logger: options.logger ?? createLogger(config.logLevel),
    ...(options.skills ? { skills: options.skills } : {}),
    ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}),
    ...(options.holdMs !== undefined ? { holdMs: options.holdMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  atFileEnd(() => server.close());
  return Object.assign(server, { webhook: `${server.url}/wechat` });
}
