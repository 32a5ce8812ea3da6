/** `--json` on the commands scripts read: the same facts as the text output, as one JSON document on stdout. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guang } from '../helpers/process.ts';
import { runDatabase } from '../helpers/run-database.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();
const database = await runDatabase();
const db = { GUANG_DB: database.dbPath, ...database.env };
const write = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

async function json(args: string[]): Promise<{ code: number | null; body: unknown }> {
  const p = guang([...args, '--json'], db);
  const code = await p.exited();
  expect(p.stderr()).toBe('');
  return { code, body: JSON.parse(p.stdout()) };
}

const text = (content: string) => ({ type: 'text', content });

describe('--json', () => {
  it('import: the summary, failures by line', async () => {
    const r = await json(['import', 'products', write('p.csv', 'sku,title,category,price\nA1,连衣裙,女装/连衣裙,199\nB1,坏价格,女装/连衣裙,abc\n')]);
    expect(r.code).toBe(0);
    expect(r.body).toMatchObject({ kind: 'products', format: 'csv', account: 'default', rows: 2, imported: 1, new: 1, updated: 0, failed: 1, failures: [{ line: 3 }] });
  }, 30_000);

  it('import rules, rules list and rules test: the rules in the order tried, and which one answers', async () => {
    const rules = [
      { name: '优惠', match: 'contains', keywords: ['优惠'], replies: [text('本周满100减20')], priority: 5 },
      { name: '欢迎', event: 'follow', replies: [text('欢迎光临')] },
    ];
    const imported = await json(['import', 'rules', write('rules.json', JSON.stringify(rules))]);
    expect(imported).toMatchObject({ code: 0, body: { kind: 'rules', rules: 2, imported: 2, new: 2, failed: 0 } });

    const listed = await json(['rules', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.body).toMatchObject({ account: 'default', keyword: [{ name: '优惠', priority: 5 }], follow: [{ name: '欢迎' }], broken: [] });

    const tested = await json(['rules', 'test', '有优惠吗']);
    expect(tested.code).toBe(0);
    const ruleId = (listed.body as { keyword: { id: number }[] }).keyword[0]!.id;
    expect(tested.body).toMatchObject({ input: { kind: 'text', text: '有优惠吗' }, answered_by: `rule:${ruleId}`, reply: { type: 'text', text: '本周满100减20' } });
  }, 60_000);

  it('stores list: each store with its counts', async () => {
    expect(await guang(['stores', 'add', 'gz-01', '--name', '天河店', '--city', '广州'], db).exited()).toBe(0);
    const r = await json(['stores', 'list']);
    expect(r).toEqual({ code: 0, body: [{ store: 'gz-01', name: '天河店', city: '广州', follows: 0, scans: 0, followers: 0, active_followers: 0 }] });
  }, 30_000);
});
