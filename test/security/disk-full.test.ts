/**
 * Issue 10, item 4: a full disk dropped every message silently (the claim failed, the webhook answered
 * `success`, the platform never retried) while /healthz stayed 200. The disk fills for real here: the
 * server's own connection gets `PRAGMA max_page_count` at its current size and its claim table is filled,
 * so every write that needs a page fails with SQLITE_FULL, as on a full disk.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/agent/pipeline.ts';
import { createWechatPlayer, nextMsgId } from '../../src/channels/wechat/player.ts';
import { sleep } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { startServer, type RunningServer } from '../../src/app/server.ts';
import type { Db } from '../../src/db/db.ts';
import { openDb } from '../../src/db/db.ts';
import { sqliteSql } from '../../src/db/sql/sqlite.ts';
import { tempDbPath } from '../helpers/temp.ts';

const TOKEN = 'disktoken42';
let runs = 0;
let db: Db | null = null;
const steps: Step[] = [
  // Needs no disk: counts its runs (a side effect a retry must not repeat).
  async (ctx, next) => {
    if (ctx.command !== 'count') return next();
    runs++;
    ctx.answer({ type: 'text', text: `run ${runs}` }, 'custom:count');
  },
  // Cannot answer without writing.
  async (ctx, next) => {
    if (ctx.command !== 'save') return next();
    await sqliteSql(db!).run('INSERT INTO scratch (pad) VALUES (randomblob(6000))');
    ctx.answer({ type: 'text', text: 'saved' }, 'custom:save');
  },
];

async function server(): Promise<{ s: RunningServer; logs: () => Record<string, unknown>[] }> {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
  const config = loadConfig({ PORT: '0', GUANG_DB: tempDbPath(), WECHAT_TOKEN: TOKEN, GUANG_SIMULATOR: 'on', WECHAT_CUSTOMER_SERVICE: 'off' });
  const s = await startServer({ config, host: '127.0.0.1', logger: createLogger('warn', sink), skills: steps, readyWindowMs: 1_000 });
  db = s.db;
  s.db.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, pad BLOB)');
  return { s, logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** Fills the file to its new maximum: the claim table's last page included, so a new claim needs a page. */
function fillDisk(d: Db): void {
  d.pragma(`max_page_count = ${d.pragma('page_count', { simple: true }) as number}`);
  const insert = d.prepare(`INSERT INTO handled_messages (account, dedup_key, status, owner, created_at, updated_at) VALUES ('default', ?, 'answered', 'filler', ?, ?)`);
  // Keys sort before any MsgId, so the claims to come go to the (full) last page.
  for (let i = 0; ; i++) {
    try {
      insert.run(`0${String(i).padStart(8, '0')}`, Date.now(), Date.now());
    } catch (err) {
      expect((err as { code?: string }).code).toBe('SQLITE_FULL');
      return;
    }
  }
}

const readyz = async (s: RunningServer) => (await fetch(`${s.url}/readyz`)).status;

describe('a full disk', () => {
  it('still answers what needs no disk, once per message, says not ready, logs once, and recovers', async () => {
    const { s, logs } = await server();
    const player = createWechatPlayer({ url: `${s.url}/wechat`, token: TOKEN });
    expect(await readyz(s)).toBe(200);

    fillDisk(s.db);
    const before = runs;
    const msgIds = Array.from({ length: 8 }, () => nextMsgId());
    const answers = await Promise.all(msgIds.map((id, i) => player.text(`o_full_${i}`, 'count', id)));
    for (const a of answers) expect(a.reply?.Content).toMatch(/^run \d+$/);
    expect(runs).toBe(before + 8);
    // A retry while the disk is still full gets the same answer, without running the step again.
    const retry = await player.text('o_full_0', 'count', msgIds[0]);
    expect(retry.reply?.Content).toBe(answers[0]!.reply?.Content);
    expect(runs).toBe(before + 8);

    expect(await readyz(s)).toBe(503);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200); // alive, just not ready
    const errors = logs().filter((l) => (l.level as number) >= 50);
    expect(errors).toHaveLength(1); // once per burst, not once per message
    expect(errors[0]!.msg).toMatch(/DATABASE WRITES ARE FAILING/);

    // Space comes back: after a quiet second, ready again, and the recovery is logged.
    s.db.pragma('max_page_count = 1000000');
    expect((await player.text('o_full_after', 'count')).reply?.Content).toMatch(/^run/);
    await sleep(1_100);
    expect((await player.text('o_full_after', 'count')).reply?.Content).toMatch(/^run/);
    expect(await readyz(s)).toBe(200);
    expect(logs().some((l) => /database writes recovered/.test(String(l.msg)))).toBe(true);
    await s.close();
  });

  it('holds a delivery whose answer needs the disk, so the platform retries instead of being told `success`', async () => {
    const { s } = await server();
    const player = createWechatPlayer({ url: `${s.url}/wechat`, token: TOKEN });
    fillDisk(s.db);
    const msgId = nextMsgId();
    const started = Date.now();
    const held = await player.text('o_full_save', 'save', msgId);
    expect(held.body).not.toBe('success');
    expect(held.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000); // held until the platform would have dropped it
    // The platform's retry, once there is space again, gets the answer.
    s.db.pragma('max_page_count = 1000000');
    expect((await player.text('o_full_save', 'save', msgId)).reply?.Content).toBe('saved');
    await s.close();
  }, 20_000);
});

describe('the group commit on a full disk', () => {
  it('rejects every unit of a batch SQLite rolled back with SQLITE_FULL, and lands none of them', async () => {
    const d = openDb(tempDbPath());
    d.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, pad BLOB)');
    const sql = sqliteSql(d);
    fillDisk(d);
    const small = 'UPDATE accounts SET updated_at = updated_at WHERE 0'; // needs no page
    const big = 'INSERT INTO t (pad) VALUES (randomblob(6000))';
    const outcomes = await Promise.allSettled([sql.run(small), sql.run(big), sql.run(big)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const o of outcomes) expect(((o as PromiseRejectedResult).reason as { code?: string }).code).toBe('SQLITE_FULL');
    expect(d.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
    expect(d.inTransaction).toBe(false);
    d.close();
  });
});
