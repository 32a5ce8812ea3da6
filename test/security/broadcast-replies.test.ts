/**
 * Issue 10, item 10 (the reply cache): whether any broadcast invites replies was cached for 10 s, so a reply
 * within 10 s of a reply-inviting broadcast was treated as chat. Now the step re-reads it the moment broadcasts
 * change — in this process, or in another one on the same file (`guang broadcast create/send`).
 * The server runs on a clock the test moves, so "one second later" is exact and the old 10-s cache cannot
 * expire by accident: without the fix these replies are answered as chat.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manualClock, sleep } from '../../src/core/clock.ts';
import type { RunningServer } from '../../src/app/server.ts';
import { adminServer } from '../admin/harness.ts';
import { guang } from '../helpers/process.ts';
import { runDatabase } from '../helpers/run-database.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();

/** A server of its own per test (so no broadcast of another test invites replies), on a clock the test moves. */
async function shop() {
  const clock = manualClock(Date.now());
  // The run's kind of database, its env known: the CLI processes below open it too.
  const database = await runDatabase();
  const s = await adminServer({ clock, dbPath: database.dbPath, env: database.env });
  // Quiet hours off: the test runs at any hour.
  expect((await s.api('PUT', '/broadcasts/settings', { weekly_cap: 5, quiet_start: '00:00', quiet_end: '00:00' })).status).toBe(200);
  return { ...s, clock, database };
}

const inviting = (name: string, keyword: string) => ({
  name, message: { type: 'text', content: `${name}：回复「${keyword}+理由」申请试用` }, audience: { all: true }, channel: 'custom',
  replies: { keyword, confirm: `收到${keyword}申请` },
});
async function deliveredTo(server: RunningServer, user: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!server.simulator!.deliveries().some((d) => d.touser === user && d.api === 'custom')) {
    if (Date.now() > end) throw new Error(`no broadcast reached ${user}`);
    await sleep(50);
  }
}
const viaApi = await shop();
const viaCli = await shop();
const collected = (server: RunningServer, broadcast: number) => server.sql.all('SELECT user_id, reason FROM broadcast_replies WHERE broadcast_id = ?', [broadcast]);

describe('a reply one second after a reply-inviting broadcast went out', () => {
  it('is collected when the broadcast was created and sent through this server\'s API', async () => {
    const { server, api, say, clock } = viaApi;
    // Chat first: the step now knows no broadcast invites replies.
    expect(await say('o_reply_api_1', '你好')).not.toContain('收到');
    const created = await api('POST', '/broadcasts', inviting('试用招募', '试用'));
    expect((await api('POST', `/broadcasts/${created.body.id}/send`)).status).toBe(202);
    await deliveredTo(server, 'o_reply_api_1');
    clock.advance(1_000);
    expect(await say('o_reply_api_1', '试用+想给女儿用')).toBe('收到试用申请');
    expect(await collected(server, created.body.id)).toEqual([{ user_id: 'o_reply_api_1', reason: '想给女儿用' }]);
  });

  it('is collected when another process created and sent it (guang broadcast create / send on the same file)', async () => {
    const { server, say, clock, database } = viaCli;
    // Chat first: the step now knows no broadcast invites replies.
    expect(await say('o_reply_cli_1', '你好')).not.toContain('收到');
    const file = path.join(dir, 'b.json');
    writeFileSync(file, JSON.stringify(inviting('报名活动', '报名')));
    const env = { GUANG_DB: database.dbPath, ...database.env, PORT: String(server.port), GUANG_LOG_LEVEL: 'silent' };
    const create = guang(['broadcast', 'create', file], env);
    expect(await create.exited()).toBe(0);
    const id = (JSON.parse(create.stdout()) as { id: number }).id;
    const send = guang(['broadcast', 'send', String(id), '--rate', '0'], env);
    expect(await send.exited()).toBe(0);
    await deliveredTo(server, 'o_reply_cli_1');
    clock.advance(1_000);
    expect(await say('o_reply_cli_1', '报名 周六有空')).toBe('收到报名申请');
    expect(await collected(server, id)).toEqual([{ user_id: 'o_reply_cli_1', reason: '周六有空' }]);
  }, 60_000);
});
