/**
 * Three real `guang serve` processes on one PostgreSQL database (issue 18): a delivery reaching all three is
 * answered once with one answer for all, a rule added through one instance's API answers on the others within a
 * second, and products imported by `guang import` are found through every instance within a second.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guang, type Proc } from '../helpers/process.ts';
import { migratedDatabase, noPostgres } from '../helpers/postgres.ts';
import { APPID, TOKEN } from '../helpers/server.ts';
import { tempDir } from '../helpers/temp.ts';
import { send, signedQuery, textXml } from '../security/webhook-requests.ts';

const ADMIN = 'pg-admin-token-0123456789';
const content = (xml: string) => /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(xml)?.[1] ?? null;

describe.skipIf(noPostgres)('three guang serve processes on one PostgreSQL database', () => {
  let database: { url: string; drop: () => Promise<void> };
  const instances: { proc: Proc; url: string }[] = [];
  let client: pg.Client;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await migratedDatabase();
    env = {
      PORT: '0', GUANG_DB: database.url, GUANG_SECRET_KEY: randomBytes(32).toString('base64'), GUANG_LOG_LEVEL: 'silent',
      WECHAT_TOKEN: TOKEN, WECHAT_APPID: APPID, GUANG_ADMIN_TOKEN: ADMIN,
    };
    const start = async () => {
      // Demo mode: the first seeds the demo catalogue; the others find it there.
      const proc = guang(['serve', '--demo'], env);
      const [, port] = await proc.waitFor(/localhost:(\d+)\/wechat/, 60_000);
      return { proc, url: `http://127.0.0.1:${port}` };
    };
    instances.push(await start());
    instances.push(...(await Promise.all([start(), start()])));
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  }, 180_000);

  afterAll(async () => {
    for (const { proc } of instances) proc.child.kill('SIGTERM');
    const codes = await Promise.all(instances.map(({ proc }) => proc.exited()));
    await client?.end();
    await database?.drop();
    expect(codes).toEqual(instances.map(() => 0));
  }, 120_000);

  it('answers a delivery that reaches all three at once once, with the same answer on each', async () => {
    const query = signedQuery(TOKEN);
    const body = textXml('o_pg_race', '女装', '7766554433221100');
    const answers = await Promise.all(instances.map(({ url }) => send(`${url}/wechat`, query, body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const texts = answers.map((a) => content(a.body));
    expect(texts[0]).toContain('女装');
    expect(texts).toEqual([texts[0], texts[0], texts[0]]);
    const handled = await client.query<{ status: string; attempts: string }>("SELECT status, attempts FROM handled_messages WHERE dedup_key LIKE '%7766554433221100%'");
    expect(handled.rows.map((r) => [r.status, Number(r.attempts)])).toEqual([['answered', 3]]);
    const logged = await client.query<{ n: string }>("SELECT COUNT(*) AS n FROM answer_log WHERE user_id = 'o_pg_race'");
    expect(Number(logged.rows[0]!.n)).toBe(1);
  }, 60_000);

  it('answers with a rule added through one instance on the other two within a second', async () => {
    const [a, ...others] = instances;
    const created = await fetch(`${a!.url}/api/rules`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '双十二', match: 'contains', keywords: ['双十二'], replies: [{ type: 'text', content: '双十二全场满 199 减 20' }] }),
    });
    expect(created.status).toBe(201);
    const added = Date.now();
    const seenAfter = await Promise.all(
      others.map(async ({ url }, i) => {
        for (let n = 0; ; n++) {
          const r = await send(`${url}/wechat`, signedQuery(TOKEN), textXml(`o_pg_rule_${i}`, '双十二有活动吗', String(8_800_000_000_000_000 + i * 1000 + n)));
          if (content(r.body) === '双十二全场满 199 减 20') return Date.now() - added;
          if (Date.now() - added > 5_000) return Infinity;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }),
    );
    for (const ms of seenAfter) expect(ms).toBeLessThan(1_000);
  }, 60_000);

  it('finds products imported with guang import through every instance within a second', async () => {
    const file = path.join(tempDir(), 'boots.csv');
    writeFileSync(file, 'sku,title,category,price,original_price,brand,tags,stock,image_url,url\nMARS-1,火星牌 太空靴 加厚,女鞋/靴子,399,599,火星牌,太空|加厚,10,,\n');
    const imported = guang(['import', 'products', file], env);
    expect(await imported.exited()).toBe(0);
    expect(imported.stdout()).toContain('postgres://'); // where the rows went, its password (none here) hidden
    const done = Date.now();
    const seenAfter = await Promise.all(
      instances.map(async ({ url }, i) => {
        for (let n = 0; ; n++) {
          const r = await send(`${url}/wechat`, signedQuery(TOKEN), textXml(`o_pg_boots_${i}`, '太空靴', String(9_900_000_000_000_000 + i * 1000 + n)));
          if (content(r.body)?.includes('火星牌 太空靴')) return Date.now() - done;
          if (Date.now() - done > 5_000) return Infinity;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }),
    );
    for (const ms of seenAfter) expect(ms).toBeLessThan(1_000);
  }, 60_000);
});
