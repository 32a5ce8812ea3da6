/**
 * The session step (agent/steps/session.ts): `ctx.session` is read from the store once, by that step (the store
 * may be a database server, so no skill's synchronous use can wait for it), and saved once after the rest of the
 * turn — only when a step assigned a new value, never when a step threw.
 */
import { describe, expect, it, vi } from 'vitest';
import { createAgent } from '../../src/agent/agent.ts';
import type { Step } from '../../src/agent/pipeline.ts';
import { SESSION_TTL_MS, type ConversationState } from '../../src/agent/skills/conversation.ts';
import { manualClock } from '../../src/core/clock.ts';
import { accountId, userId, type Reply } from '../../src/core/messages.ts';
import { createSessionStore } from '../../src/db/sessions.ts';
import { inbound } from '../helpers/inbound.ts';
import { openRunDatabase, runDatabase, type RunDatabase } from '../helpers/run-database.ts';

const textOf = (r: Reply) => (r.type === 'text' ? r.text : `<${r.type}>`);
const account = accountId('default');

/** The file's database, of the run's kind; a new PostgreSQL database per test would take most of the file's time. */
let shared: Promise<RunDatabase> | undefined;
let followers = 0;

/** `remember <city>` stores a city; `city` says it; `city city` reads it twice; `same` assigns it unchanged; `boom <city>` changes it and throws. */
const steps: Step[] = [
  (ctx, next) => {
    const [word, arg] = ctx.command.split(' ');
    switch (word) {
      case 'remember':
        ctx.session = { ...ctx.session, city: arg ?? null };
        return ctx.answer({ type: 'text', text: 'ok' }, 'custom:remember');
      case 'city':
        return ctx.answer({ type: 'text', text: arg ? `${ctx.session.city} ${ctx.session.city}` : String(ctx.session.city) }, 'custom:city');
      case 'same':
        ctx.session = ctx.session;
        return ctx.answer({ type: 'text', text: 'same' }, 'custom:same');
      case 'boom':
        ctx.session = { ...ctx.session, city: arg ?? null };
        throw new Error('boom');
      default:
        return next();
    }
  },
];

/** An agent on its own connection to the file's database (whose statements the test counts), for a follower of its own. */
async function setup(options: { merchantMessages?: Step[] } = {}) {
  const { sql } = await openRunDatabase(await (shared ??= runDatabase()));
  const user = userId(`o_session_${++followers}`);
  const sessions = createSessionStore<ConversationState>(sql, SESSION_TTL_MS);
  const statements = vi.spyOn(sql, 'run');
  const reads = vi.spyOn(sessions, 'get');
  const saves = vi.spyOn(sessions, 'save');
  const clock = manualClock(Date.UTC(2026, 10, 1, 2));
  // A generous turn budget: the first turn of a fresh agent on a loaded machine may take longer than the default.
  const agent = createAgent({ db: sql, clock, sessions, skills: steps, merchant: { messages: options.merchantMessages ?? [] }, budget: { ms: 60_000 } });
  const turn = async (t: string) => (await agent.receive(inbound({ kind: 'text', text: t }, { user }))).answer;
  const say = async (t: string) => textOf(await turn(t));
  const stored = () => sessions.get(account, user, clock.now());
  const counts = () => ({ reads: reads.mock.calls.length, saves: saves.mock.calls.length });
  /** The statements that wrote the sessions table. */
  const writes = () => statements.mock.calls.filter(([text]) => text.includes('INTO sessions')).length;
  const updatedAt = async () => (await sql.get<{ updated_at: number }>('SELECT updated_at FROM sessions WHERE user_id = ?', [user]))?.updated_at;
  const reset = () => {
    reads.mockClear();
    saves.mockClear();
    statements.mockClear();
  };
  return { say, turn, stored, counts, reset, writes, updatedAt, clock };
}

/** An agent whose follower has 上海 remembered, with the counts from then on. */
async function rememberingShanghai() {
  const s = await setup();
  await s.say('remember 上海');
  s.reset();
  return s;
}

describe('the session step', () => {
  it('saves a session a step assigned, once, after the turn', async () => {
    const { say, stored, counts } = await setup();
    expect(await say('remember 上海')).toBe('ok');
    expect(counts()).toEqual({ reads: 1, saves: 1 });
    expect(await stored()).toEqual({ shown: null, city: '上海' });
    expect(await say('city')).toBe('上海');
  });

  it('leaves the stored session unchanged when a step throws after changing it', async () => {
    const { turn, stored, counts } = await rememberingShanghai();
    await expect(turn('boom 北京')).rejects.toThrow('boom');
    expect(counts().saves).toBe(0);
    expect(await stored()).toEqual({ shown: null, city: '上海' });
  });

  it('does not write in a turn that reads the session without changing it', async () => {
    const { say, counts } = await rememberingShanghai();
    expect(await say('city')).toBe('上海');
    expect(counts()).toEqual({ reads: 1, saves: 0 });
    expect(await say('same')).toBe('same');
    expect(counts()).toEqual({ reads: 2, saves: 0 });
  });

  it('runs no statement for a session assigned equal to the one read, until its row is a minute old', async () => {
    const { say, writes, updatedAt, clock } = await rememberingShanghai();
    const first = await updatedAt();
    clock.advance(59_000);
    expect(await say('remember 上海')).toBe('ok'); // a new object, the same state
    expect(writes()).toBe(0);
    clock.advance(1_000);
    expect(await say('remember 上海')).toBe('ok');
    expect(writes()).toBe(1);
    expect(await updatedAt()).toBe(first! + 60_000); // written again: its expiry moves on
    expect(await say('remember 北京')).toBe('ok');
    expect(writes()).toBe(2);
  });

  it('reads the store once per turn however often steps use the session', async () => {
    const { say, counts } = await rememberingShanghai();
    expect(await say('city twice')).toBe('上海 上海');
    expect(counts()).toEqual({ reads: 1, saves: 0 });
  });

  it('reads nothing for a message answered before the session step, once for one that reaches it', async () => {
    const { say, counts } = await setup();
    await say('帮助'); // the help step answers before the session step
    expect(counts()).toEqual({ reads: 0, saves: 0 });
    await say('你好');
    await say('asdfgh');
    expect(counts()).toEqual({ reads: 2, saves: 0 });
  });

  it('refuses the session to a step before the session step, saying where to put it', async () => {
    const early: Step = (ctx, next) => (ctx.command === 'early' ? ctx.answer({ type: 'text', text: String(ctx.session.city) }, 'custom:early') : next());
    const { turn } = await setup({ merchantMessages: [early] });
    await expect(turn('early')).rejects.toThrow(/before the session step/);
  });
});
