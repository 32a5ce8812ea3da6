/**
 * A follower's conversation (the list shown, for 「更多」 and numbers) is remembered for 30 minutes after their
 * last message, in the `sessions` table; the server deletes expired rows at start and every hour, so the table
 * holds the followers of the last half hour, not everyone who ever wrote.
 */
import { sqliteSql } from '../../src/db/sql/sqlite.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { accountId, userId } from '../../src/core/messages.ts';
import { seedDemoData } from '../../src/catalogue/demo.ts';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { manualClock } from '../../src/core/clock.ts';
import type { RunningServer } from '../../src/app/server.ts';
import { openDb } from '../../src/db/db.ts';
import { createSessionStore } from '../../src/db/sessions.ts';
import { TOKEN, testServer } from '../helpers/server.ts';
import { tempDbPath, tempDir } from '../helpers/temp.ts';

const dir = tempDir();
const account = accountId('default');
const MINUTE = 60_000;

/** A database with the demo catalogue, so that 「连衣裙」 lists a first page of five and 「更多」 has a second. */
async function demoDb(): Promise<string> {
  const dbPath = tempDbPath(dir);
  const db = openDb(dbPath);
  await seedDemoData(db, accountId('default'));
  db.close();
  return dbPath;
}

/**
 * A server whose clock the test moves. The player signs deliveries with the real time, so the accepted clock
 * skew is widened to a day: the server's clock runs up to two hours ahead here.
 */
async function serverAt(dbPath: string, start: number) {
  const clock = manualClock(start);
  const server = await testServer({ dbPath, clock, env: { WECHAT_MAX_CLOCK_SKEW_SECONDS: '86400' } });
  const player = createWechatPlayer({ url: server.webhook, token: TOKEN });
  const say = async (user: string, text: string) => (await player.text(user, text)).reply?.Content ?? '';
  return { server, clock, say };
}

const sessionUsers = (server: RunningServer): string[] =>
  server.db.prepare<[], { user_id: string }>('SELECT user_id FROM sessions ORDER BY user_id').all().map((r) => r.user_id);

const NEXT_PAGE = '「连衣裙」第 6–10 件';
const NOTHING_TO_PAGE = '还没有可以翻页的结果';

describe('sessions', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers 「更多」 with the next page within 30 minutes of the last message, and not after', async () => {
    const { clock, say } = await serverAt(await demoDb(), Date.now());
    expect(await say('o_sess_a', '连衣裙')).toContain('共 27 件');
    clock.advance(29 * MINUTE);
    expect(await say('o_sess_a', '更多')).toContain(NEXT_PAGE);
    clock.advance(31 * MINUTE); // from the 「更多」: each message starts the 30 minutes again
    const late = await say('o_sess_a', '更多');
    expect(late).toContain(NOTHING_TO_PAGE);
    expect(late).not.toContain('第 11–15 件');
  });

  it('deletes expired sessions at start and keeps the live ones', async () => {
    const dbPath = await demoDb();
    const start = Date.now();
    const first = await serverAt(dbPath, start);
    await first.say('o_sess_old', '连衣裙');
    first.clock.advance(20 * MINUTE);
    await first.say('o_sess_live', '连衣裙');
    expect(sessionUsers(first.server)).toEqual(['o_sess_live', 'o_sess_old']);
    await first.server.close();

    // 35 minutes after o_sess_old's last message, 15 after o_sess_live's.
    const second = await serverAt(dbPath, start + 35 * MINUTE);
    expect(sessionUsers(second.server)).toEqual(['o_sess_live']);
    expect(await second.say('o_sess_live', '更多')).toContain(NEXT_PAGE);
    expect(await second.say('o_sess_old', '更多')).toContain(NOTHING_TO_PAGE);
  });

  it('deletes expired sessions every hour while it runs', async () => {
    // Only the intervals are faked, so the hourly prune can be brought forward; HTTP and I/O run for real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const start = Date.now();
    const { server, clock, say } = await serverAt(await demoDb(), start);
    await say('o_sess_gone', '连衣裙');
    clock.advance(40 * MINUTE);
    await say('o_sess_here', '连衣裙');
    expect(sessionUsers(server)).toEqual(['o_sess_gone', 'o_sess_here']);

    clock.advance(20 * MINUTE); // an hour after o_sess_gone's message, 20 minutes after o_sess_here's
    vi.advanceTimersByTime(60 * MINUTE);
    // The prune's statements commit in the following turns of the event loop.
    await vi.waitFor(() => expect(sessionUsers(server)).toEqual(['o_sess_here']));
    await server.close();
  });

  it('leaves an unchanged conversation unwritten for a minute, and keeps it 29–30 minutes after the last message', async () => {
    const db = openDb(tempDbPath(dir));
    const store = createSessionStore<{ shown: string }>(sqliteSql(db), 30 * MINUTE);
    const user = userId('o_sess_same');
    const updatedAt = () => db.prepare<[], { updated_at: number }>('SELECT updated_at FROM sessions').get()!.updated_at;
    const t0 = Date.parse('2026-11-22T10:00:00+08:00');
    await store.save(account, user, { shown: '女装' }, t0);
    await store.save(account, user, { shown: '女装' }, t0 + 30_000); // the same list again: nothing to write
    expect(updatedAt()).toBe(t0);
    await store.save(account, user, { shown: '连衣裙' }, t0 + 40_000); // a change is written at once
    expect(updatedAt()).toBe(t0 + 40_000);
    await store.save(account, user, { shown: '连衣裙' }, t0 + 40_000 + MINUTE); // unchanged, but a minute on: the expiry moves
    expect(updatedAt()).toBe(t0 + 40_000 + MINUTE);
    await store.save(account, user, { shown: '连衣裙' }, t0 + 40_000 + MINUTE + 59_000);
    expect(await store.get(account, user, t0 + 40_000 + 30 * MINUTE + 59_000)).toEqual({ shown: '连衣裙' });
    expect(await store.get(account, user, t0 + 40_000 + 31 * MINUTE)).toBeNull();
    await sqliteSql(db).close();
  });
});
