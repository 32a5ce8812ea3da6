/**
 * Three real `guang serve --role web` processes on one PostgreSQL database share one account's access token
 * (issue 18). When the platform lets it expire under them and all three need the API at the same moment, one new
 * token is fetched between them, and each presents the expired one once at most (its rejection is what sends it to
 * the shared new token). Every call to the simulator is recorded with the token it carried and the answer.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/wechat-api/simulator/simulator.ts';
import { guang, type Proc } from '../helpers/process.ts';
import { migratedDatabase, noPostgres } from '../helpers/postgres.ts';

const APPID = 'wx5ca1e0ff7a4e0002';
const SECRET = 'scale-token-secret-0123456789';
const ADMIN = 'token-admin-token-0123456789';
const TOKEN_PATH = '/cgi-bin/stable_token';
const MENU_PATH = '/cgi-bin/menu/get';
/** What `menu/get` answers a call whose token is accepted: the account has no menu. */
const NO_MENU = 46003;

interface Call {
  readonly path: string;
  readonly token: string | null;
  errcode?: number;
}

describe.skipIf(noPostgres)('the access token of three guang serve processes on one PostgreSQL database', () => {
  let database: { url: string; drop: () => Promise<void> };
  let server: Server;
  const instances: { proc: Proc; url: string }[] = [];
  // The platform's clock, moved on by the test: the instances' own clocks go on as they are.
  let shift = 0;
  const calls: Call[] = [];

  beforeAll(async () => {
    database = await migratedDatabase();
    const simulator = createSimulator({ accountType: 'service', credentials: { [APPID]: SECRET }, clock: { now: () => Date.now() + shift } });
    const app = express();
    app.use('/sim', (req, res, next) => {
      const call: Call = { path: req.path, token: typeof req.query.access_token === 'string' ? req.query.access_token : null };
      calls.push(call);
      const json = res.json.bind(res);
      res.json = (body: { errcode?: number }) => {
        call.errcode = body.errcode ?? 0;
        return json(body);
      };
      next();
    }, simulator.router);
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const simUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sim`;
    const env = {
      PORT: '0', GUANG_DB: database.url, GUANG_SECRET_KEY: randomBytes(32).toString('base64'), GUANG_LOG_LEVEL: 'silent',
      WECHAT_TOKEN: 'tokenrefresh', WECHAT_APPID: APPID, WECHAT_APPSECRET: SECRET, WECHAT_API_BASE: simUrl, GUANG_ADMIN_TOKEN: ADMIN,
    };
    const start = async () => {
      const proc = guang(['serve', '--role', 'web'], env);
      const [, port] = await proc.waitFor(/localhost:(\d+)\/wechat/, 60_000);
      return { proc, url: `http://127.0.0.1:${port}` };
    };
    instances.push(...(await Promise.all([start(), start(), start()])));
  }, 180_000);

  afterAll(async () => {
    for (const { proc } of instances) proc.child.kill('SIGTERM');
    const codes = await Promise.all(instances.map(({ proc }) => proc.exited()));
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await database?.drop();
    expect(codes).toEqual(instances.map(() => 0));
  }, 120_000);

  /** All three at once read the menu back through the admin API: each reading is a `menu/get` call with the token. */
  const readMenusAtOnce = () =>
    Promise.all(instances.map(async ({ url }) => {
      const r = await fetch(`${url}/api/menu`, { headers: { authorization: `Bearer ${ADMIN}` } });
      return { status: r.status, menu: ((await r.json()) as { menu?: unknown }).menu };
    }));
  const since = (from: number, path: string) => calls.slice(from).filter((c) => c.path === path);

  it('is fetched once for all three when it expires at the platform while they all need it, and the expired one is not presented again', async () => {
    // The first need: one fetch between the three.
    let from = calls.length;
    expect(await readMenusAtOnce()).toEqual(instances.map(() => ({ status: 200, menu: null })));
    expect(since(from, TOKEN_PATH)).toHaveLength(1);
    const first = new Set(since(from, MENU_PATH).map((c) => c.token));
    expect(first.size).toBe(1);
    const [expired] = first;

    // Two hours on, at the platform only: the token the three hold has expired there (42001), not in their eyes.
    shift = 7200_000 + 1_000;
    from = calls.length;
    expect(await readMenusAtOnce()).toEqual(instances.map(() => ({ status: 200, menu: null })));
    expect(since(from, TOKEN_PATH).map((c) => c.errcode)).toEqual([0]);
    const reads = since(from, MENU_PATH);
    const withExpired = reads.filter((c) => c.token === expired);
    const fresh = new Set(reads.filter((c) => c.token !== expired).map((c) => c.token));
    // Each instance presented the expired token once at most, was refused, and went on with the one new token. (An
    // instance slow to start its call may find the new token already there and never present the expired one.)
    expect(withExpired.length).toBeGreaterThanOrEqual(1);
    expect(withExpired.length).toBeLessThanOrEqual(3);
    expect(withExpired.map((c) => c.errcode)).toEqual(withExpired.map(() => 42001));
    expect(fresh.size).toBe(1);
    expect(reads.filter((c) => c.token !== expired).map((c) => c.errcode)).toEqual([NO_MENU, NO_MENU, NO_MENU]);

    // Later calls, from every instance, carry the new token only.
    from = calls.length;
    expect(await readMenusAtOnce()).toEqual(instances.map(() => ({ status: 200, menu: null })));
    expect(since(from, TOKEN_PATH)).toHaveLength(0);
    expect(since(from, MENU_PATH).map((c) => [c.token === expired ? 'expired' : fresh.has(c.token) ? 'new' : 'other', c.errcode])).toEqual([
      ['new', NO_MENU], ['new', NO_MENU], ['new', NO_MENU],
    ]);
  }, 60_000);
});
