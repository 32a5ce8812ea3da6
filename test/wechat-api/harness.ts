/**
 * Test harness: a simulator on a real HTTP port, a real SQLite file in a temp dir, a manual clock,
 * and clients wired to them with fast retries. Everything is torn down after each test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { manualClock } from '../../src/core/clock.ts';
import type { AccountType } from '../../src/core/config.ts';
import { openDb, type Db } from '../../src/db/db.ts';
import { createWechatClient, type WechatClient, type WechatClientOptions } from '../../src/wechat-api/client.ts';
import {
  startStandaloneSimulator,
  type SimulatorOptions,
  type StandaloneSimulator,
} from '../../src/wechat-api/simulator/simulator.ts';

export const APP_ID = 'wx1234567890abcdef';
export const APP_SECRET = 'test-secret-0123456789abcdef';
export const ACCOUNT = accountId('default');
/** Monday 2026-01-05 10:00 in Asia/Shanghai. */
export const START = Date.UTC(2026, 0, 5, 2, 0, 0);
export const HOUR = 3600_000;

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

export interface Harness {
  readonly clock: ReturnType<typeof manualClock>;
  readonly sim: StandaloneSimulator;
  readonly dbFile: string;
  /** The first process's connection. */
  readonly db: Db;
  /** A further connection to the same file: another process, as far as the token store can tell. */
  openProcessDb(): Db;
  client(overrides?: Partial<WechatClientOptions>): WechatClient;
  /** Requests the simulator saw on a route such as `/cgi-bin/stable_token`. */
  requests(route: string): number;
  /** onError calls seen by clients made with `client()`. */
  readonly errors: [string, number][];
}

export async function harness(
  options: { accountType?: AccountType; simulator?: Partial<SimulatorOptions> } = {},
): Promise<Harness> {
  const clock = manualClock(START);
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-wechat-api-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const sim = await startStandaloneSimulator({
    port: 0,
    accountType: options.accountType ?? 'service',
    clock,
    credentials: { [APP_ID]: APP_SECRET },
    ...options.simulator,
  });
  cleanups.push(() => sim.close());
  const dbFile = path.join(dir, 'guang.db');
  const openProcessDb = (): Db => {
    const db = openDb(dbFile);
    cleanups.push(() => void db.close());
    return db;
  };
  const db = openProcessDb();
  const errors: [string, number][] = [];
  return {
    clock,
    sim,
    dbFile,
    db,
    openProcessDb,
    errors,
    requests: (route) => sim.simulator.stats().requests[route] ?? 0,
    client: (overrides = {}) =>
      createWechatClient({
        db,
        account: ACCOUNT,
        appId: APP_ID,
        appSecret: APP_SECRET,
        apiBase: sim.url,
        clock,
        timeoutMs: 2_000,
        retry: { attempts: 3, baseDelayMs: 1 },
        tokenStore: { pollMs: 5 },
        onError: (api, code) => errors.push([api, code]),
        ...overrides,
      }),
  };
}

/** Registers a cleanup to run after the current test. */
export function onCleanup(fn: () => void | Promise<void>): void {
  cleanups.push(fn);
}

/** A port nothing listens on (connections to it are refused). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
