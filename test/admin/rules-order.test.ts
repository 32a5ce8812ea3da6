/**
 * `POST /api/rules/order` (reorderRules) over real HTTP: the keyword rules tried in the order given, one
 * atomic change (a bad list changes nothing), who may do it, the audit row; and rule validation answered in
 * Chinese when the request asks for it (the console), in English otherwise (scripts), with the same paths. On a
 * SQLite file and, as the same suite, a PostgreSQL database.
 */
import { describe, expect, it } from 'vitest';
import { serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { adminServer } from './harness.ts';
import { addUser, signIn } from './staff-client.ts';

async function setUp(database: ServerDatabase) {
  return { database, s: await adminServer({ dbPath: database.dbPath, env: database.env }) };
}

const text = (content: string) => ({ type: 'text', content });
const zh = { headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } };

const suites = await Promise.all((await serverDatabases()).map(setUp));

for (const { database, s } of suites) {
  /** Ids of the keyword rules in the order the API says they are tried. */
  const tried = async (): Promise<number[]> =>
    (await s.api('GET', '/rules?order=tried')).body.items.filter((r: { match?: string }) => r.match).map((r: { id: number }) => r.id);

  describe(`reorderRules (${database.name})`, async () => {
    // Three rules that all answer 「优惠券」: exact first by default, then contains, then regex.
    const exact = (await s.api('POST', '/rules', { name: '全匹配', match: 'exact', keywords: ['优惠券'], replies: [text('来自全匹配')] })).body;
    const contains = (await s.api('POST', '/rules', { name: '半匹配', match: 'contains', keywords: ['优惠'], replies: [text('来自半匹配')] })).body;
    const regex = (await s.api('POST', '/rules', { name: '正则', match: 'regex', keywords: ['优惠.?'], replies: [text('来自正则')] })).body;
    const follow = (await s.api('POST', '/rules', { name: '关注', event: 'follow', replies: [text('欢迎')] })).body;

    it('lists keyword rules in the order they are tried, then the event rules', async () => {
      const all = (await s.api('GET', '/rules?order=tried')).body;
      expect(all.items.map((r: { id: number }) => r.id)).toEqual([exact.id, contains.id, regex.id, follow.id]);
      expect(all.next_cursor).toBeNull();
      expect(await s.say('u1', '优惠券')).toBe('来自全匹配');
    });

    it('puts the rules in the order given, and the follower gets the new first rule', async () => {
      const r = await s.api('POST', '/rules/order', { ids: [regex.id, exact.id, contains.id] });
      expect(r.status).toBe(200);
      expect(r.body.items.map((x: { id: number }) => x.id)).toEqual([regex.id, exact.id, contains.id]);
      expect(await tried()).toEqual([regex.id, exact.id, contains.id]);
      expect(await s.say('u2', '优惠券')).toBe('来自正则');
      // Priorities are only the means: a later rule still goes where it is put next time.
      await s.api('POST', '/rules/order', { ids: [contains.id, regex.id, exact.id] });
      expect(await tried()).toEqual([contains.id, regex.id, exact.id]);
      expect(await s.say('u3', '优惠券')).toBe('来自半匹配');
    });

    it('refuses a list that is not every keyword rule exactly once, and changes nothing', async () => {
      const before = await tried();
      const cases: [unknown, RegExp][] = [
        [{ ids: [contains.id, regex.id] }, new RegExp(`missing #${exact.id}`)],
        [{ ids: [contains.id, regex.id, exact.id, regex.id] }, new RegExp(`given twice #${regex.id}`)],
        [{ ids: [contains.id, regex.id, exact.id, follow.id] }, new RegExp(`#${follow.id} not keyword rules of this account`)],
        [{ ids: [contains.id, regex.id, exact.id, 99999] }, /#99999 not keyword rules/],
        [{ ids: 'all' }, /ids: the keyword rules' ids in the order to try them/],
        [{ ids: [1.5] }, /ids/],
        [{}, /ids/],
      ];
      for (const [body, message] of cases) {
        const r = await s.api('POST', '/rules/order', body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.error.code).toBe('validation');
        expect(r.body.error.message).toMatch(message);
        expect(r.body.error.details[0].path).toMatch(/^ids/);
      }
      // Another account's rules are not this account's.
      expect((await s.api('POST', '/rules/order?account=nobody', { ids: before })).status).toBe(404);
      expect(await tried()).toEqual(before);
    });

    it('answers in Chinese when asked', async () => {
      const r = await s.api('POST', '/rules/order', { ids: [exact.id] }, zh);
      expect(r.status).toBe(400);
      expect(r.body.error.details).toEqual([{ path: 'ids', message: expect.stringMatching(/^每条关键词规则都要出现且只出现一次；缺少 #/) }]);
    });

    it('is for owners and operators; a viewer is refused; each reorder is in the audit log', async () => {
      await addUser(s.server.sql, 'ops', 'operator', 'long-enough-pw');
      await addUser(s.server.sql, 'guest', 'viewer', 'long-enough-pw');
      const ops = await signIn(s.server.url, 'ops', 'long-enough-pw');
      const guest = await signIn(s.server.url, 'guest', 'long-enough-pw');
      const order = [exact.id, contains.id, regex.id];
      expect((await guest.call('POST', '/rules/order', { ids: order })).status).toBe(403);
      expect((await ops.call('POST', '/rules/order', { ids: order })).status).toBe(200);
      expect(await tried()).toEqual(order);
      const audit = (await s.api('GET', '/audit?limit=5')).body.items;
      expect(audit[0]).toMatchObject({ who: 'ops', method: 'POST', route: 'reorderRules' });
    });
  });

  describe(`rule validation in two languages (${database.name})`, () => {
    const bad = { name: '', match: 'regex', keywords: ['(a'], replies: [text(''), { type: 'image' }], reply_mode: 'some', active_hours: { from: '9点', to: '21:00' } };

    it('answers in English by default, in Chinese for Accept-Language: zh, at the same paths', async () => {
      const en = await s.api('POST', '/rules', bad);
      const cn = await s.api('POST', '/rules', bad, zh);
      expect([en.status, cn.status]).toEqual([400, 400]);
      const paths = (r: typeof en) => r.body.error.details.map((d: { path: string }) => d.path);
      expect(paths(cn)).toEqual(paths(en));
      const by = (r: typeof en) => Object.fromEntries(r.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]));
      expect(by(en)).toMatchObject({ name: 'give the rule a name', 'replies[0].content': expect.stringMatching(/^empty reply/), reply_mode: expect.stringMatching(/^all \(send every reply\)/), 'active_hours.from': expect.stringMatching(/^a time such as 09:00/) });
      expect(by(cn)).toMatchObject({ name: '请给规则起个名字', 'replies[0].content': '回复为空：文字回复需要填写内容', 'replies[1].media_id': '请填写已上传到公众平台的图片 media_id', reply_mode: 'all（全部回复）或 random（随机回复一条）', 'active_hours.from': expect.stringMatching(/^请填写时间/) });
    });

    it('a bad pattern, an unknown field, a taken name, a patch and the import also speak Chinese', async () => {
      const pattern = await s.api('POST', '/rules', { name: '坏正则', match: 'regex', keywords: ['(a'], replies: [text('x')] }, zh);
      expect(pattern.body.error.details).toEqual([{ path: 'keywords', message: expect.stringMatching(/^正则 `\(a` 写法有误：/) }]);
      const english = await s.api('POST', '/rules', { name: '坏正则', match: 'regex', keywords: ['(a'], replies: [text('x')] });
      expect(english.body.error.details[0].message).toMatch(/^bad pattern `\(a`: missing closing \)/);
      const unknown = await s.api('POST', '/rules', { name: '多余', match: 'exact', keywords: ['x'], replies: [text('x')], colour: 'red' }, zh);
      expect(unknown.body.error.details[0].message).toBe('未知字段 "colour"（请检查拼写）');
      const rule = (await s.api('POST', '/rules', { name: '改', match: 'exact', keywords: ['改'], replies: [text('x')] })).body;
      const twice = await s.api('POST', '/rules', { name: '改', match: 'exact', keywords: ['改二'], replies: [text('x')] }, zh);
      expect(twice.status).toBe(409);
      expect(twice.body.error.details).toEqual([{ path: 'name', message: `已有名为「改」的规则（#${rule.id}）；请换个名称，或编辑那条规则` }]);
      expect((await s.api('POST', '/rules', { name: '改', match: 'exact', keywords: ['改二'], replies: [text('x')] })).body.error.message).toMatch(/^a rule named 「改」 already exists/);
      const patch = await s.api('PATCH', `/rules/${rule.id}`, { keywords: [] }, zh);
      expect(patch.body.error.details).toEqual([{ path: 'keywords', message: '至少填一个关键词' }]);
      const imported = await s.api('POST', '/rules/import', [{ name: '导入', match: 'exact', keywords: ['导入'], replies: [] }], zh);
      expect(imported.body.failed[0].reason).toBe('replies: 回复为空：规则至少需要一条回复');
    });
  });
}
