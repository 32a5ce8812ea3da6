/**
 * Issue 10, item 6: dedup was keyed on MsgId alone, so a follower who sent a victim's MsgId was handed the
 * victim's stored answer (their location label and nearby hotels). The key is account + openid + MsgId. On a
 * server over a SQLite file and, as the same suite, one over a PostgreSQL database.
 */
import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/agent/pipeline.ts';
import { createWechatPlayer, nextMsgId } from '../../src/channels/wechat/player.ts';
import { serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { TOKEN, testServer } from '../helpers/server.ts';

async function setUp(database: ServerDatabase) {
  /** Answers with what only the asker should see: who they are, and how many times this ran for them. */
  let runs = 0;
  const skills: Step[] = [
    (ctx, next) => {
      if (ctx.command !== 'whoami') return next();
      runs++;
      ctx.answer({ type: 'text', text: `私人信息 ${ctx.inbound.user}` }, 'custom:whoami');
    },
  ];
  const server = await testServer({ skills, dbPath: database.dbPath, env: database.env });
  return { database, server, player: createWechatPlayer({ url: server.webhook, token: TOKEN }), runs: () => runs };
}

const suites = await Promise.all((await serverDatabases()).map(setUp));
const victim = 'o_dedup_victim_00000001';
const attacker = 'o_dedup_attacker_000002';

for (const { database, server, player, runs } of suites) {
  describe(`dedup key: account + openid + MsgId (${database.name})`, () => {
    it("gives a follower who sends a victim's MsgId their own handling, never the victim's stored answer", async () => {
      const msgId = nextMsgId();
      const mine = await player.text(victim, 'whoami', msgId);
      expect(mine.reply!.Content).toBe(`私人信息 ${victim}`);
      const before = runs();

      const theirs = await player.text(attacker, 'whoami', msgId);
      expect(theirs.status).toBe(200);
      expect(theirs.reply!.Content).toBe(`私人信息 ${attacker}`);
      expect(theirs.body).not.toContain(victim);
      expect(runs()).toBe(before + 1);
    });

    it("gives a victim's own retry the stored answer, running nothing again", async () => {
      const msgId = nextMsgId();
      const first = await player.text(victim, 'whoami', msgId);
      const before = runs();
      const retry = await player.text(victim, 'whoami', msgId);
      expect(retry.reply!.Content).toBe(first.reply!.Content);
      expect(runs()).toBe(before);
    });

    it('keeps events apart by openid too (same CreateTime, same menu key)', async () => {
      const at = Math.floor(Date.now() / 1000);
      await player.event(victim, 'CLICK', { EventKey: 'MENU_X', CreateTime: at });
      const count = async () => Number((await server.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM handled_messages WHERE dedup_key LIKE ?', [`${at}:%:CLICK:MENU_X`]))!.n);
      expect(await count()).toBe(1);
      await player.event(attacker, 'CLICK', { EventKey: 'MENU_X', CreateTime: at });
      expect(await count()).toBe(2);
    });
  });
}
