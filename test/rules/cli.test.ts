/**
 * `guang import rules`, `guang rules test` and `guang rules list` as real processes over a database of the run's kind
 * (a SQLite file; PostgreSQL in the PostgreSQL pass), and over PostgreSQL in any run.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminServer, within } from '../admin/harness.ts';
import { guang } from '../helpers/process.ts';
import { migratedDatabase, noPostgres } from '../helpers/postgres.ts';
import { everyTable } from '../helpers/tables.ts';
import { openDatabase } from '../../src/db/open.ts';
import { openRunDatabase, runDatabase, type RunDatabase } from '../helpers/run-database.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();
const write = (name: string, content: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};
async function run(args: string[], db: string | RunDatabase, env: Record<string, string> = {}) {
  const p = typeof db === 'string' ? guang(args, { GUANG_DB: db, ...env }) : guang(args, { GUANG_DB: db.dbPath, ...db.env, ...env });
  const code = await p.exited();
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

const text = (content: string) => ({ type: 'text', content });
const RULES = [
  { name: '优惠', match: 'contains', keywords: ['优惠', '折扣'], replies: [text('本周满100减20'), text('再送一张券')], priority: 5 },
  { name: '夜间客服', match: 'contains', keywords: ['客服'], replies: [text('夜里客服休息啦')], active_hours: { from: '22:00', to: '08:00' } },
  { name: '白天客服', match: 'contains', keywords: ['客服'], replies: [text('客服在线')], active_hours: { from: '08:00', to: '22:00' } },
  { name: '坏规则', match: 'regex', keywords: ['(\\d)\\1'], replies: [text('x')] },
  { name: '太长', match: 'exact', keywords: ['长'], replies: [text('优'.repeat(700))] },
];

describe('guang import rules', () => {
  it('imports the good rules, reports each bad one with its position, name and reason, and exits 0', async () => {
    const db = await runDatabase();
    const { code, stdout } = await run(['import', 'rules', write('rules.json', RULES)], db);
    expect(code).toBe(0);
    expect(stdout).toMatch(/imported: 3 \(3 new, 0 updated\)/);
    expect(stdout).toMatch(/failed: {3}2/);
    expect(stdout).toContain('rule [3] 「坏规则」: keywords: pattern `(\\d)\\1`: backreferences');
    expect(stdout).toContain('rule [4] 「太长」: replies[0].content: reply over 2048 bytes: this text is 2100 bytes');
    const names = await (await openRunDatabase(db)).sql.all('SELECT name FROM rules WHERE deleted = 0 ORDER BY id');
    expect(names).toEqual([{ name: '优惠' }, { name: '夜间客服' }, { name: '白天客服' }]);

    // Importing again replaces by name.
    const again = await run(['import', 'rules', write('again.json', [{ ...RULES[0], priority: 9 }])], db);
    expect(again.stdout).toMatch(/imported: 1 \(0 new, 1 updated\)/);
  });

  it('refuses with the same words as the API, for the same rule', async () => {
    const s = await adminServer();
    const bad = { name: '十一个', match: 'contains', keywords: Array.from({ length: 11 }, (_, i) => `k${i}`), replies: [{ type: 'music' }] };
    const viaApi = await s.api('POST', '/rules', bad);
    expect(viaApi.status).toBe(400);
    const viaCli = await run(['import', 'rules', write('bad.json', [bad])], await runDatabase());
    expect(viaCli.code).toBe(1);
    expect(viaCli.stdout).toContain('Nothing imported: all 1 rules failed.');
    const reason = /rule \[0\] 「十一个」: (.*)/.exec(viaCli.stdout)![1];
    expect(`body: ${reason}`).toBe(viaApi.body.error.message);
  });

  it('says what is wrong with a file that is not a JSON array', async () => {
    const { code, stderr } = await run(['import', 'rules', write('broken.json', '{"name": ')], await runDatabase());
    expect(code).toBe(1);
    expect(stderr).toMatch(/broken\.json: not valid JSON/);
  });

  it('takes effect in a running server within 1 s', async () => {
    const db = await runDatabase();
    const s = await adminServer({ dbPath: db.dbPath, env: db.env });
    expect(await s.say('o_cli_reload', '有折扣吗')).not.toBe('本周满100减20');
    const imported = await run(['import', 'rules', write('live.json', RULES.slice(0, 1))], db);
    expect(imported.code).toBe(0);
    const ms = await within(1000, async () => (await s.say('o_cli_reload', '有折扣吗')) === '本周满100减20');
    expect(ms).toBeLessThan(1000);
  });
});

describe('guang rules test', () => {
  let db: RunDatabase;
  beforeAll(async () => {
    db = await runDatabase();
  });

  it('says which rule answers and why, the replies it sends, and what else matched', async () => {
    await run(['import', 'rules', write('t.json', RULES.slice(0, 3))], db);
    const { code, stdout } = await run(['rules', 'test', '有优惠吗', '--at', '2026-11-02T10:00+08:00'], db);
    expect(code).toBe(0);
    expect(stdout).toContain('「有优惠吗」 from o_rules_test (account default):');
    expect(stdout).toMatch(/Answered by rule #1 「优惠」 \(contains 「优惠」, priority 5, 2 replies, all\)\./);
    expect(stdout).toContain('Reply: (text)\n  本周满100减20');
    expect(stdout).toContain('Then, through the customer-service API: (text)\n  再送一张券');
    expect(stdout).toContain('nothing was saved or sent');
  });

  it('follows active hours at the time given', async () => {
    const night = await run(['rules', 'test', '找客服', '--at', '2026-11-02T23:00+08:00'], db);
    expect(night.stdout).toMatch(/Answered by rule #2 「夜间客服」/);
    expect(night.stdout).toMatch(/rule #3 「白天客服」 .*: matches, but is outside its active hours now\./);
    const day = await run(['rules', 'test', '找客服', '--at', '2026-11-02T09:00+08:00'], db);
    expect(day.stdout).toMatch(/Answered by rule #3 「白天客服」/);
  });

  it('explains the built-ins, and leaves the database as it was (a dry run)', async () => {
    const { stdout } = await run(['rules', 'test', 'TD', '--as', 'o_dry'], db);
    expect(stdout).toContain('Answered by the built-in opt-out (TD/退订): it always runs before any rule');
    const help = await run(['rules', 'test', '帮助'], db);
    expect(help.stdout).toContain('Answered by the built-in help');
    const follow = await run(['rules', 'test', '--follow'], db);
    expect(follow.stdout).toContain('Answered by the built-in welcome');
    const { sql } = await openRunDatabase(db);
    for (const table of ['subscribers', 'answer_log', 'handled_messages', 'rule_hits']) {
      expect(await sql.get(`SELECT count(*) AS n FROM ${table}`), table).toEqual({ n: 0 });
    }
  });

  it('lists the rules in the order they are tried', async () => {
    const { stdout } = await run(['rules', 'list'], db);
    expect(stdout.indexOf('#1 「优惠」')).toBeLessThan(stdout.indexOf('#2 「夜间客服」'));
    expect(stdout).toContain('active 22:00–08:00 (Beijing time)');
  });
});

describe.skipIf(noPostgres)('guang rules on PostgreSQL', () => {
  let database: { url: string; drop: () => Promise<void> };
  const env = { GUANG_SECRET_KEY: randomBytes(32).toString('base64') };
  beforeAll(async () => {
    database = await migratedDatabase();
  });
  afterAll(() => database?.drop());

  it('tests and lists the rules of a GUANG_DB URL, and leaves every table as it was', async () => {
    expect((await run(['import', 'rules', write('pg.json', RULES.slice(0, 3))], database.url, env)).code).toBe(0);
    const opened = await openDatabase(database.url, { secretKey: env.GUANG_SECRET_KEY });
    try {
      const before = await everyTable(opened.sql);
      const t = await run(['rules', 'test', '有优惠吗', '--at', '2026-11-02T10:00+08:00'], database.url, env);
      expect(t.stderr).toBe('');
      expect(t.code).toBe(0);
      expect(t.stdout).toMatch(/Answered by rule #\d+ 「优惠」 \(contains 「优惠」, priority 5, 2 replies, all\)\./);
      expect(t.stdout).toContain('Reply: (text)\n  本周满100减20');
      expect(t.stdout).toContain('Then, through the customer-service API: (text)\n  再送一张券');
      const td = await run(['rules', 'test', 'TD', '--as', 'o_dry', '--json'], database.url, env);
      expect(JSON.parse(td.stdout)).toMatchObject({ answered_by: 'opt_out', user: 'o_dry' });
      expect(await everyTable(opened.sql)).toEqual(before);
    } finally {
      await opened.sql.close();
    }
    const list = await run(['rules', 'list'], database.url, env);
    expect(list.code).toBe(0);
    expect(list.stdout.indexOf('「优惠」')).toBeLessThan(list.stdout.indexOf('「夜间客服」'));
    expect(list.stdout).toContain('active 22:00–08:00 (Beijing time)');
  }, 120_000);
});
