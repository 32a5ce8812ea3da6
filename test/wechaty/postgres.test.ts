/**
 * The Wechaty bot on PostgreSQL (issue 18): the same shop agent answers the mock puppet's chats from a PostgreSQL
 * database, and what it writes (the answer log, the handled messages) lands there; `guang wechaty --demo` starts
 * on a GUANG_DB URL, seeds the demo catalogue there and stops cleanly.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { guang } from '../helpers/process.ts';
import { atFileEnd } from '../helpers/file-end.ts';
import { migratedDatabase, noPostgres } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/temp.ts';
import { mockBot } from './harness.ts';

// As for guang serve: a PostgreSQL database needs GUANG_SECRET_KEY.
process.env.GUANG_SECRET_KEY = randomBytes(32).toString('base64');
const database = noPostgres ? null : await migratedDatabase();
// Registered before the bot registers its own cleanup (atFileEnd runs the last first), so the database is
// dropped after the bot has stopped: dropped first, its open connections end under it (an uncaught error).
atFileEnd(() => database?.drop());
const bot = database ? await mockBot({ dbPath: database.url }) : null;

describe.skipIf(noPostgres)('the Wechaty bot on PostgreSQL', () => {
  it('answers a private chat from the PostgreSQL catalogue and records the turn there', async () => {
    const { running } = bot!;
    expect(() => running.db).toThrow(/PostgreSQL/);
    const alice = bot!.person('Alice');
    alice.say('连衣裙').to(bot!.me);
    const [list, ...cards] = await bot!.waitFor(alice.id, 4);
    expect(list!.kind === 'text' && list!.text).toMatch(/^1\. 测试连衣裙 D\d\d ¥\d+/m);
    expect(cards.map((c) => c.kind)).toEqual(['card', 'card', 'card']);
    await running.shop.agent.drain();
    const user = `wechaty:${alice.id}`;
    await expect.poll(() => running.sql.get('SELECT text, answered_by FROM answer_log WHERE user_id = ?', [user])).toEqual({ text: '连衣裙', answered_by: 'products' });
    expect(await running.sql.get("SELECT count(*) AS n FROM handled_messages WHERE status = 'answered'")).toEqual({ n: 1 });
  });

  it('runs as guang wechaty --demo on a GUANG_DB URL and stops cleanly', async () => {
    const empty = await migratedDatabase();
    const dir = tempDir();
    try {
      const proc = guang(['wechaty', '--demo'], {
        WECHATY_PUPPET: 'wechaty-puppet-mock', GUANG_DB: empty.url, GUANG_SECRET_KEY: process.env.GUANG_SECRET_KEY!, GUANG_LOG_LEVEL: 'silent',
      }, dir);
      await proc.waitFor(/Bot started/, 60_000);
      expect(proc.stdout()).toContain(`Database:       ${empty.url}`);
      // No file to put it beside: the working directory.
      expect(proc.stdout()).toContain(`Login session:  ${dir}/wechaty-session.memory-card.json`);
      const products = new pg.Client({ connectionString: empty.url });
      await products.connect();
      try {
        expect(Number((await products.query("SELECT count(*) AS n FROM products WHERE account = 'default'")).rows[0].n)).toBeGreaterThan(0);
      } finally {
        await products.end();
      }
      proc.child.kill('SIGTERM');
      expect(await proc.exited()).toBe(0);
    } finally {
      await empty.drop();
    }
  }, 90_000);
});
