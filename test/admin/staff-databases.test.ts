/**
 * Staff users, their sessions and the audit log on both databases, and with two instances on one database
 * (issue 18): wrong passwords tried on two instances at once all count toward the lock-out, the last owner
 * stays when two instances demote owners at once, a session ended or expired on one instance is gone on the
 * other, and two demo instances starting together make one owner.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { MerchantError } from '../../src/core/errors.ts';
import { createAuditLog } from '../../src/db/audit-log.ts';
import type { Sql } from '../../src/db/sql/sql.ts';
import { createStaffSessions } from '../../src/db/staff-sessions.ts';
import { createStaffUsers, ensureDemoOwner } from '../../src/db/staff-users.ts';
import { DATABASES, openEach } from '../helpers/databases.ts';

const T0 = Date.UTC(2026, 11, 4, 2);
const PASSWORD = 'correct-horse-9';
const lockout = { failures: 3, lockMs: 15 * 60_000 };
const limits = { idleMs: 3_600_000, absoluteMs: 5 * 3_600_000 };

describe.each(DATABASES)('staff on $name', (database) => {
  const opened = openEach(database, { instances: 2 });
  let one: Sql;
  let two: Sql;
  beforeEach(() => {
    if (!database.skip) [one, two] = opened.instances as [Sql, Sql];
  });

  const failures = async (username: string) => (await one.get<{ failed_count: number }>('SELECT failed_count FROM staff_users WHERE username = ?', [username]))!.failed_count;

  it.skipIf(database.skip)('adds, lists, counts and changes users; a name is taken once; the last owner stays', async () => {
    const users = createStaffUsers(one);
    expect(await users.add({ username: 'mei', role: 'owner', password: PASSWORD }, T0)).toEqual({ username: 'mei', role: 'owner', store: null, disabled: false, createdAt: T0 });
    await users.add({ username: 'lan', role: 'store_staff', store: 'sh-1', password: PASSWORD }, T0);
    await expect(users.add({ username: 'mei', role: 'viewer', password: PASSWORD }, T0)).rejects.toMatchObject({ code: 'conflict' });
    expect((await users.list()).map((u) => u.username)).toEqual(['lan', 'mei']);
    expect(await users.activeCount()).toBe(2);
    await expect(users.change('mei', { role: 'viewer' }, T0)).rejects.toMatchObject({ code: 'conflict' });
    expect(await users.get('mei')).toMatchObject({ role: 'owner' });
    expect(await users.change('lan', { role: 'operator', store: null }, T0)).toMatchObject({ role: 'operator', store: null });
    await expect(users.change('nobody', { role: 'viewer' }, T0)).rejects.toMatchObject({ code: 'not_found' });
    await users.disable('lan', T0);
    expect(await users.activeCount()).toBe(1);
    await expect(users.disable('nobody', T0)).rejects.toMatchObject({ code: 'not_found' });
  });

  it.skipIf(database.skip)('counts wrong passwords tried on two instances at once, each of them, and locks at the threshold', async () => {
    const a = createStaffUsers(one, lockout);
    const b = createStaffUsers(two, lockout);
    await a.add({ username: 'mei', role: 'owner', password: PASSWORD }, T0);
    const both = await Promise.all([a.signIn('mei', 'wrong-1', T0), b.signIn('mei', 'wrong-2', T0)]);
    expect(both).toEqual([{ ok: false, reason: 'bad_credentials' }, { ok: false, reason: 'bad_credentials' }]);
    expect(await failures('mei')).toBe(2);
    expect(await b.signIn('mei', 'wrong-3', T0 + 1)).toEqual({ ok: false, reason: 'locked', retryAfterMs: lockout.lockMs });
    // Locked on every instance, even for the right password, until the lock ends.
    expect(await a.signIn('mei', PASSWORD, T0 + 2)).toEqual({ ok: false, reason: 'locked', retryAfterMs: lockout.lockMs - 1 });
    expect(await a.signIn('mei', PASSWORD, T0 + 1 + lockout.lockMs)).toMatchObject({ ok: true, user: { username: 'mei' } });
  });

  it.skipIf(database.skip)('locks once when more wrong passwords than the threshold arrive at once on two instances', async () => {
    const a = createStaffUsers(one, lockout);
    const b = createStaffUsers(two, lockout);
    await a.add({ username: 'mei', role: 'owner', password: PASSWORD }, T0);
    const tries = await Promise.all([1, 2, 3, 4].map((i) => (i % 2 ? a : b).signIn('mei', `wrong-${i}`, T0)));
    expect(tries.filter((t) => !t.ok && t.reason === 'locked')).toHaveLength(2);
    expect(await one.get('SELECT failed_count, locked_until FROM staff_users')).toEqual({ failed_count: 0, locked_until: T0 + lockout.lockMs });
    // A right password clears the count of failures below the threshold.
    await a.setPassword('mei', PASSWORD, T0);
    await b.signIn('mei', 'wrong-5', T0);
    await a.signIn('mei', PASSWORD, T0);
    expect(await failures('mei')).toBe(0);
  });

  it.skipIf(database.skip)('keeps an owner when two instances demote the two owners at once', async () => {
    const a = createStaffUsers(one);
    const b = createStaffUsers(two);
    await a.add({ username: 'mei', role: 'owner', password: PASSWORD }, T0);
    await a.add({ username: 'zhu', role: 'owner', password: PASSWORD }, T0);
    const outcomes = await Promise.allSettled([a.change('mei', { role: 'viewer' }, T0), b.change('zhu', { disabled: true }, T0)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(MerchantError);
    expect(await one.get("SELECT count(*) AS n FROM staff_users WHERE role = 'owner' AND disabled = 0")).toEqual({ n: 1 });
  });

  it.skipIf(database.skip)('sees a session started on one instance on the other, and its end, a password change and a disabled user everywhere', async () => {
    const users = createStaffUsers(one);
    const a = createStaffSessions(one, limits);
    const b = createStaffSessions(two, limits);
    await users.add({ username: 'mei', role: 'owner', password: PASSWORD }, T0);
    await users.add({ username: 'lan', role: 'operator', password: PASSWORD }, T0);
    const first = await a.start('mei', T0);
    const found = await b.find(first.cookie, T0 + 1000);
    expect(found).toMatchObject({ username: 'mei', role: 'owner', store: null, csrf: first.csrf, createdAt: T0 });
    await b.end(found!.id);
    expect(await a.find(first.cookie, T0 + 2000)).toBeNull();

    // A password change keeps the session that made it and ends the others, whichever instance holds them.
    const keep = await a.start('mei', T0);
    const other = await b.start('mei', T0);
    await users.setPassword('mei', 'another-password-1', T0, (await a.find(keep.cookie, T0))!.id);
    expect(await b.find(keep.cookie, T0)).not.toBeNull();
    expect(await a.find(other.cookie, T0)).toBeNull();

    const lan = await b.start('lan', T0);
    await createStaffUsers(two).disable('lan', T0);
    expect(await a.find(lan.cookie, T0)).toBeNull();
    expect(await one.get('SELECT count(*) AS n FROM staff_sessions WHERE username = ?', ['lan'])).toEqual({ n: 0 });
  });

  it.skipIf(database.skip)('ends a session idle on every instance, keeps one used on either, and ends any at the absolute limit', async () => {
    const a = createStaffSessions(one, limits);
    const b = createStaffSessions(two, limits);
    await createStaffUsers(one).add({ username: 'mei', role: 'owner', password: PASSWORD }, T0);
    const used = await a.start('mei', T0);
    const idle = await a.start('mei', T0);
    // Used through the other instance every 50 minutes: alive on both, as last_seen_at moves forward.
    for (let t = T0 + 50 * 60_000; t < T0 + limits.absoluteMs; t += 50 * 60_000) {
      expect(await (t % 2 ? a : b).find(used.cookie, t), String(t - T0)).not.toBeNull();
    }
    expect(await a.find(idle.cookie, T0 + limits.idleMs)).toBeNull();
    expect(await b.find(used.cookie, T0 + limits.absoluteMs)).toBeNull();
    const late = await b.start('mei', T0 + 1);
    expect(await a.prune(T0 + 1 + limits.idleMs)).toBe(1);
    expect(await b.find(late.cookie, T0 + 2)).toBeNull();
  });

  it.skipIf(database.skip)('makes one demo owner when two instances start at once, and prints the same password on both', async () => {
    const passwords = ['first-password-1', 'second-password-2'];
    const [x, y] = await Promise.all([
      ensureDemoOwner(one, createStaffUsers(one), T0, () => passwords[0]!),
      ensureDemoOwner(two, createStaffUsers(two), T0, () => passwords[1]!),
    ]);
    expect(x).toEqual(y);
    expect(x).toMatchObject({ username: 'admin', current: true });
    expect(passwords).toContain(x!.password);
    expect(await createStaffUsers(two).list()).toHaveLength(1);
    expect(await ensureDemoOwner(two, createStaffUsers(two), T0, () => 'third-password-3')).toEqual(x);
  });

  it.skipIf(database.skip)('records changes from two instances and pages them newest first, by who and route', async () => {
    const a = createAuditLog(one);
    const b = createAuditLog(two);
    const entry = (i: number, who: string, route: string) => ({ at: T0 + i, who, method: 'POST', route, target: i % 2 ? `id=${i}` : null, account: 'default' });
    await Promise.all([a.record(entry(1, 'mei', 'createRule')), b.record(entry(2, 'token', 'createRule'))]);
    await a.record(entry(3, 'mei', 'updateSettings'));
    const all = await b.list(10);
    expect(all.map((e) => e.at)).toEqual([T0 + 3, expect.any(Number), expect.any(Number)]);
    expect(new Set(all.map((e) => e.who))).toEqual(new Set(['mei', 'token']));
    expect(all[0]).toEqual({ id: expect.any(Number), ...entry(3, 'mei', 'updateSettings') });
    expect((await a.list(10, undefined, { who: 'mei' })).map((e) => e.route)).toEqual(['updateSettings', 'createRule']);
    expect((await a.list(10, undefined, { who: 'mei', route: 'createRule' })).map((e) => e.at)).toEqual([T0 + 1]);
    expect(await a.list(10, all[1]!.id)).toEqual([all[2]]);
    expect(await a.list(1)).toEqual([all[0]]);
  });
});
