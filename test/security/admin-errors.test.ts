/**
 * Issue 10, item 8: `PUT /api/broadcasts/settings` took any `tz`, and preview and send then answered 500
 * with express's HTML page and its stack trace; the broadcasts API took unknown `?account=` values. Over
 * real HTTP and a real SQLite file: every settings field is validated with the admin API's error shape,
 * every admin route (the OpenAPI document's and the broadcasts') answers 404 for an unknown account, and an
 * induced fault (a time zone already stored badly, a URL that cannot be decoded) answers JSON without a
 * stack trace with NODE_ENV unset and 'development' (express prints stacks unless it is 'production').
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { startServer, type RunningServer } from '../../src/app/server.ts';
import { runDatabase } from '../helpers/run-database.ts';

const ADMIN_TOKEN = 'errors-admin-token-0123456789';

async function start(nodeEnv: string | undefined): Promise<RunningServer> {
  const saved = process.env.NODE_ENV;
  if (nodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = nodeEnv;
  try {
    const database = await runDatabase();
    const config = loadConfig({
      PORT: '0', GUANG_DB: database.dbPath, ...database.env, GUANG_LOG_LEVEL: 'silent', WECHAT_TOKEN: 'errorstoken1', WECHAT_APPID: 'wx1234567890abcdef',
      GUANG_ADMIN_TOKEN: ADMIN_TOKEN, GUANG_ADMIN_BURST: '100000', GUANG_ADMIN_RATE: '10000', GUANG_SIMULATOR: 'on',
    });
    return await startServer({ config, host: '127.0.0.1', logger: createLogger('silent') });
  } finally {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  }
}

function caller(server: RunningServer) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : null };
  };
}

const SETTINGS = { weekly_cap: 2, quiet_start: '22:00', quiet_end: '08:00', tz: 'Asia/Shanghai' };
const BROADCAST = { name: 'errors', message: { type: 'text', content: '新品到了' }, audience: { all: true }, channel: 'custom' };

/** A JSON error without anything of a stack trace in it. */
function expectCleanJsonError(r: { status: number; type: string; text: string }, status: number) {
  expect(r.status).toBe(status);
  expect(r.type).toMatch(/^application\/json/);
  expect(r.text).not.toMatch(/\bat .*\(|\.ts:\d|node_modules|RangeError|URIError|<pre>|<html/i);
}

describe('settings are validated, field by field', () => {
  let server: RunningServer;
  let call: ReturnType<typeof caller>;
  beforeAll(async () => {
    server = await start(process.env.NODE_ENV);
    call = caller(server);
  });
  afterAll(() => server.close());

  it('refuses a time zone the runtime does not know, and keeps the settings', async () => {
    expect((await call('PUT', '/api/broadcasts/settings', SETTINGS)).status).toBe(200);
    const r = await call('PUT', '/api/broadcasts/settings', { ...SETTINGS, tz: 'Mars/Olympus' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation', message: expect.stringContaining('tz'), details: [expect.objectContaining({ path: 'tz' })] });
    expect((await call('GET', '/api/broadcasts/settings')).body).toEqual(SETTINGS);
    const b = await call('POST', '/api/broadcasts', BROADCAST);
    expect((await call('GET', `/api/broadcasts/${b.body.id}/preview`)).status).toBe(200);
  });

  it.each([
    ['weekly_cap', { weekly_cap: 'lots' }],
    ['weekly_cap', { weekly_cap: -1 }],
    ['weekly_cap', { weekly_cap: 101 }],
    ['weekly_cap', { weekly_cap: 1.5 }],
    ['quiet_start', { quiet_start: '24:00' }],
    ['quiet_end', { quiet_end: 800 }],
    ['tz', { tz: 42 }],
    ['tz', { tz: '' }],
    ['tz', { tz: 'x'.repeat(200) }],
  ])('PUT /api/broadcasts/settings refuses a bad %s with the admin error shape', async (field, change) => {
    const r = await call('PUT', '/api/broadcasts/settings', { ...SETTINGS, ...change });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation', message: expect.stringContaining(field), details: expect.arrayContaining([expect.objectContaining({ path: field })]) });
  });

  it('PUT /api/broadcasts/settings refuses unknown fields, a body that is not an object, and no body', async () => {
    expect((await call('PUT', '/api/broadcasts/settings', { ...SETTINGS, weekly_cpa: 3 })).body.error.code).toBe('validation');
    expect((await call('PUT', '/api/broadcasts/settings', [SETTINGS])).status).toBe(400);
    expect((await call('PUT', '/api/broadcasts/settings', '{"weekly_cap":')).status).toBe(400);
    const none = await call('PUT', '/api/broadcasts/settings');
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('validation');
  });

  it.each([
    ['bot_name', { bot_name: '小美\n客服' }],
    ['bot_name', { bot_name: '<a href="javascript:alert(1)">小美</a>' }],
    ['bot_name', { bot_name: '小'.repeat(17) }],
    ['bot_name', { bot_name: 7 }],
    ['account_name', { account_name: 'shop\u202Eevil' }],
    ['voice', { voice: 'loud' }],
    ['store_attribution', { store_attribution: 'middle' }],
  ])('PATCH /api/settings refuses a bad %s', async (field, body) => {
    const r = await call('PATCH', '/api/settings', body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation', message: expect.stringContaining(field) });
  });
});

describe('an unknown account is 404 on every admin route', () => {
  let server: RunningServer;
  let call: ReturnType<typeof caller>;
  beforeAll(async () => {
    server = await start(process.env.NODE_ENV);
    call = caller(server);
  });
  afterAll(() => server.close());

  it('answers 404 unknown_account on every route of the OpenAPI document', async () => {
    const doc = (await call('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => [m.toUpperCase(), path.replace(/\{\w+\}/g, '1')] as const));
    expect(routes.length).toBeGreaterThan(20);
    for (const [method, path] of routes) {
      const r = await call(method, `${path}?account=nope`);
      expect({ route: `${method} ${path}`, status: r.status, code: r.body?.error?.code }).toEqual({ route: `${method} ${path}`, status: 404, code: 'unknown_account' });
    }
  });

  it('answers 404 unknown_account on every broadcasts route', async () => {
    const b = await call('POST', '/api/broadcasts', BROADCAST);
    expect(b.status).toBe(201);
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/broadcasts'],
      ['POST', '/api/broadcasts', BROADCAST],
      ['GET', '/api/broadcasts/settings'],
      ['PUT', '/api/broadcasts/settings', SETTINGS],
      ['GET', `/api/broadcasts/${b.body.id}`],
      ['GET', `/api/broadcasts/${b.body.id}/preview`],
      ['POST', `/api/broadcasts/${b.body.id}/send`],
      ['POST', `/api/broadcasts/${b.body.id}/cancel`],
      ['GET', `/api/broadcasts/${b.body.id}/replies.csv`],
    ];
    for (const [method, path, body] of routes) {
      const r = await call(method, `${path}?account=nope`, body);
      expect({ route: `${method} ${path}`, status: r.status, code: r.body?.error?.code }).toEqual({ route: `${method} ${path}`, status: 404, code: 'unknown_account' });
    }
    // Nothing was created, sent or cancelled for the account that exists.
    expect((await call('GET', '/api/broadcasts')).body.items).toEqual([expect.objectContaining({ id: b.body.id, status: 'draft' })]);
  });
});

describe.each([['unset', undefined], ['development', 'development']])('error pages are JSON without a stack trace (NODE_ENV %s)', (_label, nodeEnv) => {
  let server: RunningServer;
  let call: ReturnType<typeof caller>;
  beforeAll(async () => {
    server = await start(nodeEnv);
    call = caller(server);
  });
  afterAll(() => server.close());

  it('answers a fault in the broadcasts API (a time zone stored badly) with JSON 500', async () => {
    expect((await call('PUT', '/api/broadcasts/settings', SETTINGS)).status).toBe(200);
    const b = await call('POST', '/api/broadcasts', BROADCAST);
    await server.sql.run("UPDATE push_settings SET tz = 'Mars/Olympus'"); // as an older version could have stored it
    for (const r of [await call('GET', `/api/broadcasts/${b.body.id}/preview`), await call('POST', `/api/broadcasts/${b.body.id}/send`)]) {
      expectCleanJsonError(r, 500);
      expect(r.body.error.code).toBe('internal');
    }
  });

  it('answers an error outside the API (a URL that cannot be decoded) and an unknown path with JSON', async () => {
    const bad = await call('GET', '/m/%E0%A4%A/products');
    expectCleanJsonError(bad, 400);
    expect(bad.body.error.code).toBe('bad_request');
    const missing = await call('GET', '/no/such/page');
    expectCleanJsonError(missing, 404);
  });
});
