/**
 * The admin API's document against the server itself: valid OpenAPI 3.1, exactly the routes the router mounts,
 * and every answer as the document says (each route's zod response schema parses what the server really sent,
 * over HTTP, on a demo-seeded server). Then the reference page at /api/docs.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { adminApi, adminRoutes } from '../../src/admin/api.ts';
import { successStatus, TAGS, type Route } from '../../src/admin/http.ts';
import { openApiDocument } from '../../src/admin/openapi.ts';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/log.ts';
import { createBroadcastService } from '../../src/push/service.ts';
import { accountId, userId } from '../../src/core/messages.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { adminServer, ADMIN_TOKEN } from './harness.ts';

type Json = Record<string, any>;

// The file calls every operation in a few seconds, more than the default burst as the API grows: a larger bucket.
const s = await adminServer({ demo: true, env: { GUANG_ADMIN_BURST: '300' } });
const doc: Json = await (await fetch(`${s.server.url}/api/openapi.json`)).json();
const operations = Object.entries(doc.paths as Json).flatMap(([path, methods]) =>
  Object.entries(methods as Json).map(([method, op]) => ({ method, path, op: op as Json })),
);

/** The route table as the server builds it (the handlers are not called: only the schemas are read). */
const deps = {
  sql: s.server.sql, clock: systemClock, logger: silentLogger, accounts: { get: () => null }, qrClient: () => null, baseUrl: () => '',
  broadcasts: { service: createBroadcastService({ sql: s.server.sql, accountType: 'service', client: () => null }) }, token: ADMIN_TOKEN, demo: false,
};
const routes = adminRoutes(deps);

/** Schemas that say nothing (`{}`, or only a description) anywhere inside `schema`: holes in the document. */
function holes(schema: unknown, at = '#'): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const j = schema as Json;
  if (Object.keys(j).filter((k) => k !== 'description').length === 0) return [at];
  const children: [string, unknown][] = [
    ...Object.entries((j.properties ?? {}) as Json).map(([k, v]): [string, unknown] => [`${at}.${k}`, v]),
    ...(j.items ? [[`${at}[]`, j.items] as [string, unknown]] : []),
    ...(typeof j.additionalProperties === 'object' ? [[`${at}{}`, j.additionalProperties] as [string, unknown]] : []),
    ...[...(j.anyOf ?? []), ...(j.oneOf ?? []), ...(j.allOf ?? [])].map((v: unknown, i: number): [string, unknown] => [`${at}|${i}`, v]),
  ];
  return children.flatMap(([p, v]) => holes(v, p));
}

describe('the document', () => {
  it('is valid OpenAPI 3.1 by a validator of the specification\'s own schema (which refuses a broken copy)', async () => {
    const r = await new Validator().validate(doc);
    expect(r.errors).toBeUndefined();
    expect(r.valid).toBe(true);
    const broken = structuredClone(doc);
    broken.paths['/api/rules'].get.responses = 'none';
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('gives every operation a unique camelCase operationId, a summary and one tag of the six areas', () => {
    expect(operations.length).toBe(routes.length);
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { method, path, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-z][a-zA-Z0-9]+$/);
      expect(op.summary, where).toMatch(/\S/);
      expect(op.tags, where).toHaveLength(1);
      expect(Object.keys(TAGS), where).toContain(op.tags[0]);
    }
    expect(doc.tags.map((t: Json) => t.name)).toEqual(['catalogue', 'rules', 'stores', 'broadcasts', 'reports', 'settings', 'session', 'staff', 'audit', 'accounts', 'orders', 'menu']);
    expect(ids).toEqual(expect.arrayContaining(['listProducts', 'createBroadcast', 'getBroadcastRun', 'importRules', 'reportTopQueries', 'getSettings']));
    expect(() => openApiDocument([...routes, { ...routes[0]!, path: '/rules/again' }], '')).toThrow(/operationId listRules; give GET \/rules\/again its own/);
  });

  it('gives every operation one success with a schema that leaves nothing untyped (204: no body), and the error schema for failures', () => {
    for (const { method, path, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      const successes = Object.keys(op.responses).filter((k) => k.startsWith('2'));
      expect(successes, where).toHaveLength(1);
      const ok = op.responses[successes[0]!];
      if (successes[0] === '204') {
        expect(ok.content, where).toBeUndefined();
        // A deletion, or a change that has nothing to show (a password).
        expect(method === 'delete' || /^(changePassword|resetStaffPassword)$/.test(op.operationId), where).toBe(true);
        continue;
      }
      const [type, media] = Object.entries(ok.content as Json)[0]!;
      expect(Object.keys(media.schema), where).not.toHaveLength(0);
      expect({ where, holes: holes(media.schema) }).toEqual({ where, holes: [] });
      if (type !== 'application/json') expect(media.schema, where).toEqual({ type: 'string' });
      for (const status of ['400', '401', '404', '429', 'default']) {
        expect(op.responses[status].content['application/json'].schema, `${where} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
  });

  it('types every request body and parameter, leaving nothing untyped', () => {
    for (const { method, path, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      const schemas: [string, unknown][] = [
        ...Object.entries((op.requestBody?.content ?? {}) as Json).map(([type, media]): [string, unknown] => [`${where} body ${type}`, media.schema]),
        ...(op.parameters as Json[]).map((p): [string, unknown] => [`${where} ${p.in} ${p.name}`, p.schema]),
      ];
      for (const [what, schema] of schemas) expect({ what, holes: holes(schema) }).toEqual({ what, holes: [] });
    }
    const put = doc.paths['/api/products/{id}'].put.requestBody.content['application/json'].schema;
    expect(put.required).toEqual(['title', 'category', 'price']);
    expect(put.properties.price.type).toBe('number');
  });

  it('declares the bearer token or the session cookie for every operation but signing in, so the reference page can take them', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'guang_session' });
    expect(doc.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(operations.filter((o) => o.op.security !== undefined).map((o) => [o.op.operationId, o.op.security])).toEqual([['signIn', []]]);
  });

  it('has no $ref that points outside components (zod\'s $defs would not resolve inside an OpenAPI document)', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/^#\/components\/schemas\/\w+$/);
    for (const ref of new Set(refs)) expect(doc.components.schemas[ref.split('/').at(-1)!], ref).toBeDefined();
  });

  it('lists exactly the routes the admin router mounts: no route without its entry, no entry without its route', () => {
    type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] }; rawPath?: string };
    const mounted = (stack: Layer[], prefix = ''): string[] =>
      stack.flatMap((layer) => {
        if (layer.route) return Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${prefix}${layer.route!.path}`);
        if (layer.handle?.stack) return mounted(layer.handle.stack, prefix + (layer.rawPath ?? ''));
        return [];
      });
    const { router } = adminApi(deps);
    const documented = operations.map((o) => `${o.method.toUpperCase()} ${o.path.replace(/^\/api/, '').replace(/\{(\w+)\}/g, ':$1')}`);
    // The documentation itself: the document and the reference page are not operations of the API.
    const documentation = ['GET /openapi.json', 'GET /docs/', 'GET /docs/initializer.js'];
    expect(mounted((router as unknown as { stack: Layer[] }).stack).sort()).toEqual([...documented, ...documentation].sort());
  });
});

describe('every answer is what the document says', () => {
  const seen = new Set<string>();
  const pattern = (r: Route) => new RegExp(`^${r.path.replace(/:\w+/g, '[^/]+').replace(/\./g, '\\.')}$`);

  /** Calls the API; the route express would pick must answer its documented status, and its response schema must parse the body. */
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
    const bare = path.split('?')[0]!;
    const r = routes.find((x) => x.method === method.toLowerCase() && pattern(x).test(bare));
    expect(r, `${method} ${path}: no such route`).toBeDefined();
    const json = body !== undefined && typeof body !== 'string';
    const res = await fetch(`${s.server.url}/api${path}`, {
      method,
      // `authorization: ''` sends none: the session routes are called with the cookie instead.
      headers: Object.fromEntries(Object.entries({ authorization: `Bearer ${ADMIN_TOKEN}`, ...(json ? { 'content-type': 'application/json' } : {}), ...headers }).filter(([, v]) => v !== '')),
      ...(body === undefined ? {} : { body: json ? JSON.stringify(body) : (body as string) }),
    });
    const text = await res.text();
    const where = `${method} ${path}`;
    expect({ where, status: res.status, text: res.status === successStatus(r!) ? '' : text }).toEqual({ where, status: successStatus(r!), text: '' });
    seen.add(r!.id);
    if (res.status === 204) {
      expect(text, where).toBe('');
      return null;
    }
    if (r!.produces) {
      expect(res.headers.get('content-type'), where).toContain(r!.produces);
      return r!.response.parse(text);
    }
    expect(res.headers.get('content-type'), where).toMatch(/^application\/json/);
    const parsed = r!.response.safeParse(JSON.parse(text));
    expect({ where, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ where, issues: [] });
    return parsed.data;
  }

  it('catalogue: lists, reads, puts back what it read, sets the status, previews, imports a file, deletes', async () => {
    for (const [kind, key, csv] of [
      ['products', 'sku', 'sku,title,category,price\nP-NEW-1,新款连衣裙,女装/连衣裙,199\nP-BAD,,女装,abc\n'],
      ['hotels', 'id', 'id,name,city,lat,lng\nH-NEW-1,新酒店,上海,31.2,121.4\n'],
      ['deals', 'id', 'id,title,city,price\nD-NEW-1,双人套餐,上海,88\n'],
    ] as const) {
      const list = await call('GET', `/${kind}?limit=2&status=on_sale`);
      expect(list.items.length, kind).toBeGreaterThan(0);
      const id = list.items[0][key];
      const item = await call('GET', `/${kind}/${encodeURIComponent(id)}`);
      // The PUT body the document shows is the item as GET shows it: putting it back changes nothing.
      const { updated_at: _u, [key]: _id, ...columns } = item;
      const put = await call('PUT', `/${kind}/${encodeURIComponent(id)}`, columns);
      expect({ ...put, updated_at: null }).toEqual({ ...item, updated_at: null });
      // One call each (the server's rate limit covers the whole file): off sale and back is test/admin/catalogue.test.ts.
      expect(await call('POST', `/${kind}/status`, { ids: [id], status: 'on_sale' })).toEqual({ changed: 0 });
      expect((await call('GET', `/${kind}/${encodeURIComponent(id)}/preview`)).type).toBe('news');
      const imported = await call('POST', `/${kind}/import?filename=more.csv`, csv, { 'content-type': 'text/csv' });
      expect(imported.imported, kind).toBe(1);
      await call('DELETE', `/${kind}/${csv.split('\n')[1]!.split(',')[0]}`);
    }
  });

  it('synonyms and product tags: created, listed, deleted; a tag added to a product found with q', async () => {
    const made = await call('POST', '/synonyms', { phrase: '小黑裙', meaning: '黑色连衣裙' });
    expect((await call('GET', '/synonyms')).items.map((x: Json) => x.id)).toContain(made.id);
    await call('DELETE', `/synonyms/${made.id}`);
    const [product] = (await call('GET', '/products?limit=1&q=')).items;
    const tagged = await call('POST', '/products/tags', { skus: [product.sku], tag: '显瘦' });
    expect([...tagged.tagged, ...tagged.unchanged]).toEqual([product.sku]);
  });

  it('rules: keyword and event rules created, listed, read, replaced, patched, imported, deleted', async () => {
    const text = { type: 'text', content: '满 199 减 20' };
    const keyword = await call('POST', '/rules', { name: '优惠', match: 'contains', keywords: ['优惠'], replies: [text] });
    const event = await call('POST', '/rules', { name: '海报', event: 'scene', keys: ['poster_1'], replies: [{ type: 'news', articles: [{ title: '上新', url: 'https://example.com/a' }] }] });
    expect([keyword.match, event.event]).toEqual(['contains', 'scene']);
    await call('GET', '/rules?limit=1');
    await call('GET', `/rules/${keyword.id}`);
    await call('PUT', `/rules/${keyword.id}`, { name: '优惠', match: 'exact', keywords: ['优惠券'], replies: [text], active_hours: { from: '09:00', to: '21:00', days: [1, 2] } });
    await call('PATCH', `/rules/${event.id}`, { enabled: false });
    const imported = await call('POST', '/rules/import', [{ name: '营业时间', match: 'contains', keywords: ['几点'], replies: [text] }, { name: '坏' }]);
    expect(imported.failed).toHaveLength(1);
    const tried = await call('GET', '/rules?order=tried');
    const keywordIds = tried.items.filter((r: Json) => r.match).map((r: Json) => r.id);
    const reordered = await call('POST', '/rules/order', { ids: [...keywordIds].reverse() });
    expect(reordered.items.map((r: Json) => r.id)).toEqual([...keywordIds].reverse());
    await call('DELETE', `/rules/${event.id}`);
  });

  it('trying the bot: a dry run, the test follower\'s chat, starting it over', async () => {
    const test = await call('POST', '/rules/test', { text: '优惠券', at: '2027-03-01T10:00:00+08:00' });
    expect(test.reply.type).toBe('text');
    await call('POST', '/chat', { text: '女装' });
    await call('DELETE', '/chat');
  });

  it('stores and followers: a store, its QR code, a follower who came through it', async () => {
    await call('POST', '/stores', { id: 'sh-jingan', name: '静安店', city: '上海' });
    await call('POST', '/stores', { id: 'gone', name: '关门店' });
    await call('GET', '/stores');
    await call('GET', '/stores/sh-jingan');
    await call('PATCH', '/stores/sh-jingan', { welcome: '欢迎来到静安店' });
    const qr = await call('POST', '/stores/sh-jingan/qrcodes', { temporary: true, expire_seconds: 600 });
    expect(qr.permanent).toBe(false);
    await call('GET', '/stores/sh-jingan/qrcodes');
    await call('GET', `/stores/sh-jingan/qrcodes/${qr.id}/image`);
    await call('GET', `/stores/sh-jingan/qrcodes/${qr.id}/poster`);
    await call('DELETE', '/stores/gone');
    await s.event('o_fan_1', 'subscribe', { EventKey: 'qrscene_sh-jingan' });
    const followers = await call('GET', '/subscribers?store=sh-jingan');
    expect(followers.items.map((f: Json) => f.openid)).toContain('o_fan_1');
    await call('GET', '/subscribers/o_fan_1');
    expect((await call('PUT', '/subscribers/o_fan_1/tags/vip')).tags).toContain('vip');
    expect((await call('DELETE', '/subscribers/o_fan_1/tags/vip')).tags).not.toContain('vip');
    expect((await call('GET', '/subscribers/o_fan_1/activity')).subscriber.store).toBe('sh-jingan');
  });

  it('reports: every report over what followers asked', async () => {
    for (const q of ['连衣裙', '连衣裙', '优惠券', 'xyzzy plugh']) await s.say('o_fan_1', q);
    const top = await call('GET', '/stats/top-queries');
    expect(top.items.length).toBeGreaterThan(0);
    await call('GET', '/stats/zero-results');
    await call('GET', '/stats/service-questions');
    await call('GET', '/stats/needs-person');
    await call('GET', '/stats/rule-hits');
    await call('GET', '/stats/intents');
    await call('GET', '/stats/followers?from=2020-01-01');
    await call('GET', '/stats/stores?from=2020-01-01');
    for (const by of ['day', 'store', 'query']) expect((await call('GET', `/reports/funnel?by=${by}`)).total.asked.count).toBeGreaterThan(0);
    for (const by of ['store', 'referrer', 'day']) await call('GET', `/reports/revenue?by=${by}`);
  });

  it('settings: read, patched, put', async () => {
    await call('GET', '/settings');
    await call('PATCH', '/settings', { bot_name: '小美' });
    await call('PUT', '/settings', { voice: 'gentle' });
  });

  it('broadcasts: settings, create, list, read, preview (saved and not), send, the run in full, the replies, the calendar, edit, cancel', async () => {
    // Quiet hours away from now (Beijing time), so the run sends at once; a follower who wrote, inside the 48-hour window.
    const hhmm = (hoursFromNow: number) => new Date(Date.now() + (8 + hoursFromNow) * 3600_000).toISOString().slice(11, 16);
    await call('PUT', '/broadcasts/settings', { weekly_cap: 5, quiet_start: hhmm(6), quiet_end: hhmm(7) });
    await s.event('o_fan_2', 'subscribe');
    await s.say('o_fan_2', '你好');
    await call('GET', '/broadcasts/settings');
    const b = await call('POST', '/broadcasts', {
      name: '本周新品', message: { type: 'text', content: '本周女装上新' }, audience: { all: true }, channel: 'custom', replies: { keyword: '试用' },
    });
    await call('GET', '/broadcasts');
    await call('GET', `/broadcasts/${b.id}/preview`);
    const sent = await call('POST', `/broadcasts/${b.id}/send`);
    expect(sent.planned).toBeGreaterThan(0);
    await call('GET', `/broadcasts/${b.id}/runs/${sent.run}`);
    const read = await call('GET', `/broadcasts/${b.id}`);
    expect(read.runs.map((r: Json) => r.id)).toContain(sent.run);
    await call('GET', `/broadcasts/${b.id}/replies.csv`);
    await call('GET', `/broadcasts/${b.id}/replies`);
    const draft = await call('POST', '/broadcasts/preview', { name: '草稿', message: { type: 'text', content: '预览' }, audience: { all: true }, channel: 'custom', schedule: { cron: '0 10 * * 1', tz: 'Asia/Shanghai' } });
    expect(draft.next_runs).toHaveLength(5);
    const later = await call('POST', '/broadcasts', { name: '下周', message: { type: 'text', content: '下周见' }, audience: { tags: ['vip'] }, channel: 'custom', schedule: { at: '2099-01-01T10:00:00+08:00' } });
    const calendar = await call('GET', '/broadcasts/calendar?from=2098-12-28T00:00:00%2B08:00&to=2099-01-11T00:00:00%2B08:00');
    expect(calendar.weeks.flatMap((w: Json) => w.entries).map((e: Json) => e.name)).toContain('下周');
    const edited = await call('PUT', `/broadcasts/${later.id}`, { name: '下周二', message: { type: 'text', content: '下周二见' }, audience: { tags: ['vip'] }, channel: 'custom', schedule: { at: '2099-01-02T10:00:00+08:00' } });
    expect(edited).toMatchObject({ name: '下周二', status: 'scheduled' });
    expect((await call('POST', `/broadcasts/${later.id}/cancel`)).status).toBe('cancelled');
  });

  it('session, staff and audit: the demo owner signs in, reads the session, changes the password, signs out; staff users added, listed, changed; the audit log lists it', async () => {
    const owner = s.server.demoOwner!;
    const res = await fetch(`${s.server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: owner.username, password: owner.password }) });
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const { csrf } = (await res.json()) as { csrf: string };
    const withCookie = { authorization: '', cookie, 'x-csrf-token': csrf };
    // Through `call` again, to parse the answer with the documented schema.
    await call('POST', '/session', { username: owner.username, password: owner.password }, { authorization: '' });
    await call('GET', '/session', undefined, withCookie);
    await call('POST', '/session/password', { current: owner.password, next: owner.password }, withCookie);
    await call('DELETE', '/session', undefined, withCookie);
    await call('POST', '/staff', { username: 'lan', role: 'store_staff', store: 'sh-jingan', password: 'lan-password-1' });
    await call('GET', '/staff');
    await call('PATCH', '/staff/lan', { disabled: true });
    await call('POST', '/staff/lan/password', { password: 'lan-password-2' });
    const audit = await call('GET', '/audit?limit=5');
    expect(audit.items[0]).toMatchObject({ who: 'token', method: 'POST', route: 'resetStaffPassword', target: 'username=lan' });
    expect(audit.items[3]).toMatchObject({ who: owner.username, method: 'DELETE', route: 'signOut' });
  });

  it('accounts: an account added, listed (secrets masked), changed', async () => {
    const added = await call('POST', '/accounts', { id: 'shop2', name: '二号店', app_id: 'wx2c2769f8efd9abc2', token: 'shoptwotoken42' });
    expect(added.webhook_url).toMatch(/\/wechat\/shop2$/);
    await call('GET', '/accounts');
    expect((await call('PATCH', '/accounts/shop2', { name: '二号店（新）' })).secrets.token).toBe('••••en42');
  });

  it('orders: notice recipients added, listed, removed; notices listed; a failed notice queued again', async () => {
    const r = await call('POST', '/notice-recipients', { openid: 'o-staff-doc-1', name: '小王', store_id: null });
    await call('GET', '/notice-recipients');
    await call('DELETE', `/notice-recipients/${r.id}`);
    const { sql } = s.server;
    // A notice that has failed: what the worker leaves when it gives up (the worker's own tests deliver real ones).
    const { id: orderId } = (await sql.get<{ id: number }>(`INSERT INTO orders (account, user_id, channel, source, status, receiver, phone, address, items_fen, total_fen, created_at, updated_at)
      VALUES ('default', 'o_fan_1', 'wechat', 'chat', 'placed', '张三', '13800138000', '上海市静安区愚园路1号', 100, 100, 1, 1) RETURNING id`))!;
    await sql.run(`INSERT INTO order_notices (account, order_id, audience, via, target, payload, idempotency_key, status, attempts, next_attempt_at, last_error, created_at)
      VALUES ('default', ?, 'webhook', 'webhook', 'https://example.com/hook', '{"kind":"webhook","body":"{\\"event\\":\\"order.placed\\"}"}', 'doc-1', 'failed', 6, 1, 'HTTP 500', 1)`, [orderId]);
    const failed = await call('GET', `/notices?status=failed&order=${orderId}`);
    expect(failed.items).toHaveLength(1);
    expect((await call('POST', `/notices/${failed.items[0].id}/retry`)).status).toBe('pending');
  });

  it('orders: referrers, a group leader, an order placed, listed, read, moved, noted, exported; the order settings', async () => {
    await call('PUT', '/referrers/wangjie', { name: '王姐', kind: 'leader' });
    await call('GET', '/referrers');
    await call('PUT', '/group-leaders/123%40chatroom', { referrer: 'wangjie' });
    await call('GET', '/group-leaders');
    await call('DELETE', '/group-leaders/123%40chatroom');
    const [product] = (await call('GET', '/products?limit=1&status=on_sale')).items;
    const placed = await createOrderDesk(s.server.sql).place({
      account: accountId('default'), user: userId('o_buyer'), channel: 'wechat', source: 'page', ref: 'wangjie', remark: null,
      items: [{ sku: product.sku, variant: product.variants?.[0] ?? null, quantity: 1 }], contact: { receiver: '张三', phone: '13800138000', address: '上海市静安区愚园路1号' },
    });
    expect(placed.ok).toBe(true);
    const id = placed.ok ? placed.order.id : 0;
    expect((await call('GET', '/orders?limit=5')).items.map((o: Json) => o.id)).toContain(id);
    await call('GET', `/orders/${id}`);
    await call('POST', `/orders/${id}/confirm`);
    await call('POST', `/orders/${id}/ship`, { carrier: '顺丰', tracking_no: 'SF123456' });
    await call('POST', `/orders/${id}/deliver`);
    await call('POST', `/orders/${id}/notes`, { text: '已送达' });
    const other = await createOrderDesk(s.server.sql).place({
      account: accountId('default'), user: userId('o_buyer2'), channel: 'wechat', source: 'chat', remark: null,
      items: [{ sku: product.sku, variant: product.variants?.[0] ?? null, quantity: 1 }], contact: { receiver: '李四', phone: '13900139000', address: '北京市朝阳区1号' },
    });
    if (other.ok) await call('POST', `/orders/${other.order.id}/cancel`, { reason: '不要了' });
    await call('GET', '/orders/export');
    await call('GET', '/order-settings');
    await call('PATCH', '/order-settings', { shipping_fen: 800 });
    await call('GET', '/service-answers');
    await call('PATCH', '/service-answers', { answers: { coupons: '新人下单立减 10 元' }, human_transfer: true });
  });

  it('menu: a menu checked, published, read back, deleted', async () => {
    const menu = { button: [{ type: 'click', name: '今日推荐', key: 'TODAY' }, { name: '逛店', sub_button: [{ type: 'view', name: '我的订单', url: 'https://shop.example.com/m/default/orders' }] }] };
    expect((await call('POST', '/menu/validate', menu)).ok).toBe(true);
    expect((await call('PUT', '/menu', menu)).menu).toEqual(menu);
    expect((await call('GET', '/menu')).menu).toEqual(menu);
    await call('DELETE', '/menu');
  });

  it('covered every operation of the document above', () => {
    expect(routes.map((r) => r.id).filter((id) => !seen.has(id))).toEqual([]);
  });
});

describe('the reference page at /api/docs', () => {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${s.server.url}${path}`, { headers });

  it('is served without the token, from this server only, under a CSP that allows nothing else', async () => {
    const res = await get('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    for (const d of ['script-src', 'style-src', 'connect-src']) expect(csp).toMatch(new RegExp(`${d} 'self'(;|$)`));
    expect(csp).not.toMatch(/unsafe|https?:|\*/);
    const page = await res.text();
    expect(page).toBe(await (await get('/api/docs/')).text());
    expect(page).toContain('data-url="/api/openapi.json"');
    expect((await get('/api/openapi.json')).status).toBe(200);
  });

  it('loads every asset it references from this server, each with its type; the package\'s petstore initializer never loads', async () => {
    const page = await (await get('/api/docs')).text();
    const refs = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(expect.arrayContaining(['/api/docs/swagger-ui.css', '/api/docs/swagger-ui-bundle.js', '/api/docs/initializer.js']));
    const types: Record<string, RegExp> = { css: /^text\/css/, js: /^(text|application)\/javascript/, png: /^image\/png/ };
    for (const ref of refs) {
      expect(ref, 'same origin').toMatch(/^\/(?!\/)/);
      const res = await get(ref);
      expect(res.status, ref).toBe(200);
      expect(res.headers.get('content-type'), ref).toMatch(types[ref.split('.').at(-1)!]!);
      const body = await res.text();
      if (ref.endsWith('.js')) expect(body, ref).not.toMatch(/petstore/);
    }
    expect(refs.some((r) => r.includes('swagger-initializer'))).toBe(false);
    expect(await (await get('/api/docs/initializer.js')).text()).toContain("getAttribute('data-url')");
    for (const other of ['/api/docs/swagger-initializer.js', '/api/docs/index.html', '/api/docs/swagger-ui-bundle.js.map', '/api/docs/package.json']) {
      expect((await get(other)).status, other).toBe(404);
    }
  });

  it('is served like the document when the API is off (no token configured)', async () => {
    const off = await adminServer({ token: null });
    expect((await fetch(`${off.server.url}/api/docs`)).status).toBe(200);
    expect((await fetch(`${off.server.url}/api/openapi.json`)).status).toBe(200);
    expect((await fetch(`${off.server.url}/api/rules`)).status).toBe(503);
  });
});
