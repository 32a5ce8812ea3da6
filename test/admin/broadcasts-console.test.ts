/**
 * The broadcasts API the console's 群发 screen needs, over a running server on a SQLite file and, as the same
 * suite, on a PostgreSQL database: the preview of a definition not
 * saved (validated as create validates it, writing nothing), its warning when it would reach nobody (the API
 * warns; create still accepts: a recurring broadcast may reach followers as their windows open), the next run
 * times of a schedule, the calendar by week with the weekly cap, and the collected replies as JSON.
 */
import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/core/clock.ts';
import { serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { adminServer } from './harness.ts';
import { addUser, signIn } from './staff-client.ts';

const text = (name: string, extra: Record<string, unknown> = {}) => ({
  name, message: { type: 'text', content: `${name}：本周女装上新` }, audience: { stores: ['sh-jingan'] }, channel: 'custom', ...extra,
});
const beijing = (iso: string) => new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso)).replace(',', '');

async function setUp(database: ServerDatabase) {
  const s = await adminServer({ dbPath: database.dbPath, env: database.env });
  const { api } = s;
  await api('PUT', '/broadcasts/settings', { weekly_cap: 2, quiet_start: '00:00', quiet_end: '00:00' });
  await api('POST', '/stores', { id: 'sh-jingan', name: '静安店', city: '上海' });
  await api('POST', '/stores', { id: 'bj-chaoyang', name: '朝阳店', city: '北京' });
  // Two of 静安店's followers wrote (inside the 48-hour window); 朝阳店's only follower never did.
  for (const [user, store] of [['o_cb_a', 'sh-jingan'], ['o_cb_b', 'sh-jingan'], ['o_cb_c', 'bj-chaoyang']] as const) {
    await s.event(user, 'subscribe', { EventKey: `qrscene_${store}`, Ticket: 't' });
  }
  await s.say('o_cb_a', '你好');
  await s.say('o_cb_b', '在吗');
  return { database, s, api };
}

const suites = await Promise.all((await serverDatabases()).map(setUp));

for (const { database, s, api } of suites) {
  describe(`POST /broadcasts/preview (a definition not saved) (${database.name})`, () => {
    it('counts who would receive it and who is skipped, writing nothing', async () => {
      const before = (await api('GET', '/broadcasts')).body.items.length;
      const r = await api('POST', '/broadcasts/preview', text('静安店上新'));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ channel: 'custom', audience: 2, to_send: 2, message: { type: 'text', content: '静安店上新：本周女装上新' }, next_runs: [] });
      expect(r.body.warning).toBeUndefined();
      const everyone = await api('POST', '/broadcasts/preview', text('全部', { audience: { all: true } }));
      expect(everyone.body).toMatchObject({ audience: 3, to_send: 2, skipped: { outside_48h: 1 } });
      expect((await api('GET', '/broadcasts')).body.items.length).toBe(before);
    });

    it('validates as create does, naming each field', async () => {
      const r = await api('POST', '/broadcasts/preview', { ...text('x'), message: { type: 'text', content: '' }, audience: {} });
      expect(r.status).toBe(400);
      const paths = (r.body.error.details as { path: string }[]).map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['message.content', 'audience']));
      const created = await api('POST', '/broadcasts', { ...text('x'), message: { type: 'text', content: '' }, audience: {} });
      expect(created.status).toBe(400);
      expect(created.body.error.details).toEqual(r.body.error.details);
    });

    it('warns why a broadcast would reach nobody; create still accepts it', async () => {
      const nobody = text('朝阳店', { audience: { stores: ['bj-chaoyang'] } });
      const r = await api('POST', '/broadcasts/preview', nobody);
      expect(r.body).toMatchObject({ audience: 1, to_send: 0, skipped: { outside_48h: 1 } });
      expect(r.body.warning).toMatch(/reaches nobody now: of 1 follower\(s\), 1 outside the 48-hour window/);
      const empty = await api('POST', '/broadcasts/preview', text('无人', { audience: { cities: ['广州'] } }));
      expect(empty.body.warning).toBe('reaches nobody: the audience matches no follower');
      expect((await api('POST', '/broadcasts', nobody)).status).toBe(201);
    });

    it('shows a product pick as the follower receives it, or why it matches nothing', async () => {
      expect((await api('PUT', '/products/CB1', { title: '碎花连衣裙', category: '女装/连衣裙', price: '199.00' })).status).toBeLessThan(300);
      const pick = { ...text('新品'), message: { type: 'product_pick', title: '本周女装新品', category: '女装', limit: 3 } };
      const r = await api('POST', '/broadcasts/preview', pick);
      expect(r.body.message.type).toBe('text');
      expect(r.body.message.content).toContain('本周女装新品\n1. 碎花连衣裙 ¥199');
      const none = await api('POST', '/broadcasts/preview', { ...pick, message: { ...pick.message, category: '男装' } });
      expect(none.body.message).toBeNull();
      expect(none.body.warning).toMatch(/no products match category 男装/);
    });

    it('is open to a viewer (a dry run), who still may not create; store staff may not preview', async () => {
      await addUser(s.server.sql, 'viewer1', 'viewer', 'viewer-password-123');
      await addUser(s.server.sql, 'clerk1', 'store_staff', 'clerk-password-123', 'sh-jingan');
      const viewer = await signIn(s.server.url, 'viewer1', 'viewer-password-123');
      const seen = await viewer.call('POST', '/broadcasts/preview', text('只读预览'));
      expect(seen.status).toBe(200);
      expect(seen.body.to_send).toBe(2);
      expect((await viewer.call('POST', '/broadcasts', text('只读预览'))).status).toBe(403);
      const clerk = await signIn(s.server.url, 'clerk1', 'clerk-password-123');
      expect((await clerk.call('POST', '/broadcasts/preview', text('店员'))).status).toBe(403);
    });

    it('lists the next run times of a weekly schedule', async () => {
      const r = await api('POST', '/broadcasts/preview', text('周一', { schedule: { cron: '0 10 * * 1', tz: 'Asia/Shanghai' } }));
      expect(r.body.next_runs).toHaveLength(5);
      for (const t of r.body.next_runs) expect(beijing(t)).toBe('Mon 10:00');
      const gaps = r.body.next_runs.slice(1).map((t: string, i: number) => Date.parse(t) - Date.parse(r.body.next_runs[i]));
      expect(new Set(gaps)).toEqual(new Set([7 * 24 * 3600_000]));
    });
  });

  describe(`GET /broadcasts/calendar (${database.name})`, () => {
    it('lists the coming occurrences week by week with the weekly cap', async () => {
      const made = await api('POST', '/broadcasts', text('每周三', { schedule: { cron: '0 12 * * 3', tz: 'Asia/Shanghai' } }));
      expect(made.body.status).toBe('scheduled');
      const from = '2030-01-07T00:00:00+08:00'; // a Monday
      const r = await api('GET', `/broadcasts/calendar?from=${encodeURIComponent(from)}&to=${encodeURIComponent('2030-02-04T00:00:00+08:00')}`);
      expect(r.status).toBe(200);
      expect(r.body.weekly_cap).toBe(2);
      expect(r.body.weeks).toHaveLength(4);
      for (const w of r.body.weeks) {
        expect(beijing(w.start)).toBe('Mon 00:00');
        const mine = w.entries.filter((e: { broadcast: number }) => e.broadcast === made.body.id);
        expect(mine).toHaveLength(1);
        expect(mine[0]).toMatchObject({ name: '每周三', kind: 'scheduled' });
        expect(beijing(mine[0].at)).toBe('Wed 12:00');
        expect(w.pushes).toBe(w.entries.length);
      }
      // Cancelled: gone from the calendar.
      await api('POST', `/broadcasts/${made.body.id}/cancel`);
      const after = await api('GET', `/broadcasts/calendar?from=${encodeURIComponent(from)}`);
      expect(after.body.weeks.flatMap((w: { entries: { broadcast: number }[] }) => w.entries).filter((e: { broadcast: number }) => e.broadcast === made.body.id)).toEqual([]);
    });

    it('refuses a period the wrong way round or too long', async () => {
      const back = await api('GET', '/broadcasts/calendar?from=2030-01-07T00:00:00%2B08:00&to=2030-01-01T00:00:00%2B08:00');
      expect(back.status).toBe(400);
      expect(back.body.error.details[0].path).toBe('to');
      expect((await api('GET', '/broadcasts/calendar?from=2030-01-01T00:00:00%2B08:00&to=2030-06-01T00:00:00%2B08:00')).status).toBe(400);
    });
  });

  describe(`GET /broadcasts/:id/replies (${database.name})`, () => {
    it('lists the replies a broadcast collected', async () => {
      const b = await api('POST', '/broadcasts', text('试用', { replies: { keyword: '试用' } }));
      expect((await api('POST', `/broadcasts/${b.body.id}/send`)).status).toBe(202);
      for (let i = 0; i < 100 && (await api('GET', `/broadcasts/${b.body.id}`)).body.status !== 'done'; i++) await sleep(50);
      expect(await s.say('o_cb_a', '试用 想给女儿用')).toBe('收到～你的申请已登记，我们会尽快联系你');
      const r = await api('GET', `/broadcasts/${b.body.id}/replies`);
      expect(r.status).toBe(200);
      expect(r.body.items).toEqual([{ openid: 'o_cb_a', reason: '想给女儿用', text: '试用 想给女儿用', at: expect.any(String) }]);
      expect((await api('GET', '/broadcasts/999/replies')).status).toBe(404);
    });
  });

  describe(`PUT /broadcasts/:id (editing one not sent yet) (${database.name})`, () => {
    const weekly = (name: string, cron: string) => text(name, { schedule: { cron, tz: 'Asia/Shanghai' } });

    it('replaces a scheduled broadcast: its calendar, its next runs and its audience follow the new definition', async () => {
      const b = (await api('POST', '/broadcasts', weekly('周一上新', '0 10 * * 1'))).body;
      const r = await api('PUT', `/broadcasts/${b.id}`, { ...weekly('周四上新', '30 20 * * 4'), audience: { all: true } });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: b.id, name: '周四上新', status: 'scheduled', audience: { all: true }, schedule: { cron: '30 20 * * 4' } });
      expect((await api('GET', `/broadcasts/${b.id}`)).body).toMatchObject({ name: '周四上新', message: { content: '周四上新：本周女装上新' } });
      expect((await api('GET', `/broadcasts/${b.id}/preview`)).body).toMatchObject({ audience: 3 });
      const weeks = (await api('GET', '/broadcasts/calendar')).body.weeks as { entries: { broadcast: number; at: string }[] }[];
      const times = weeks.flatMap((w) => w.entries).filter((e) => e.broadcast === b.id).map((e) => beijing(e.at));
      expect(times.length).toBeGreaterThan(0);
      expect(new Set(times)).toEqual(new Set(['Thu 20:30']));
    });

    it('turns a scheduled broadcast into a draft when the schedule is taken away, and a draft into a scheduled one', async () => {
      const b = (await api('POST', '/broadcasts', weekly('可改', '0 9 * * *'))).body;
      expect((await api('PUT', `/broadcasts/${b.id}`, text('可改'))).body.status).toBe('draft');
      expect((await api('PUT', `/broadcasts/${b.id}`, weekly('可改', '0 9 * * *'))).body.status).toBe('scheduled');
    });

    it('validates as create does and changes nothing on a refusal', async () => {
      const b = (await api('POST', '/broadcasts', text('原样'))).body;
      const r = await api('PUT', `/broadcasts/${b.id}`, { ...text('原样'), message: { type: 'text', content: '' } });
      expect(r.status).toBe(400);
      expect((r.body.error.details as { path: string }[]).map((d) => d.path)).toContain('message.content');
      expect((await api('GET', `/broadcasts/${b.id}`)).body.message.content).toBe('原样：本周女装上新');
    });

    it('refuses one already sent or cancelled (409), and one of another account or none (404)', async () => {
      const sent = (await api('POST', '/broadcasts', text('已发'))).body;
      expect((await api('POST', `/broadcasts/${sent.id}/send`)).status).toBe(202);
      const done = await (async () => {
        for (let i = 0; i < 100; i++) {
          const got = (await api('GET', `/broadcasts/${sent.id}`)).body;
          if (got.status === 'done') return got;
          await sleep(50);
        }
        throw new Error('the broadcast did not finish');
      })();
      expect(done.status).toBe('done');
      const late = await api('PUT', `/broadcasts/${sent.id}`, text('已发，改了'));
      expect(late.status).toBe(409);
      expect((await api('GET', `/broadcasts/${sent.id}`)).body.name).toBe('已发');

      const gone = (await api('POST', '/broadcasts', text('取消了'))).body;
      await api('POST', `/broadcasts/${gone.id}/cancel`);
      expect((await api('PUT', `/broadcasts/${gone.id}`, text('取消了'))).status).toBe(409);
      expect((await api('PUT', '/broadcasts/999999', text('没有'))).status).toBe(404);
    });

    it('is for those who may write broadcasts: a viewer may not edit', async () => {
      const b = (await api('POST', '/broadcasts', text('只读'))).body;
      const viewer = await signIn(s.server.url, 'viewer1', 'viewer-password-123'); // added above
      expect((await viewer.call('PUT', `/broadcasts/${b.id}`, text('改了'))).status).toBe(403);
      expect((await api('GET', `/broadcasts/${b.id}`)).body.name).toBe('只读');
    });
  });
}
