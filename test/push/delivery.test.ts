/**
 * Broadcasts delivered through the simulator, with the push room's data in a SQLite file and, as the same suite, in
 * a PostgreSQL database: customer-service and mass sends, the caps and quotas, errors, two senders on one lease,
 * collected replies and cancelling.
 */
import { describe, expect, it } from 'vitest';
import { inbound } from '../helpers/inbound.ts';
import { massSendFinished } from '../../src/push/mass-finished.ts';
import { collectReply, repliesCsv } from '../../src/push/reply-collection.ts';
import { sendRun } from '../../src/push/sender.ts';
import { pushOutbox } from '../../src/push/outbox.ts';
import { DATABASES, openEach } from '../helpers/databases.ts';
import { HOUR, pushHarness, text } from './harness.ts';

describe.each(DATABASES)('push on $name', (database) => {
  const opened = openEach(database);

  describe('customer-service broadcasts', () => {
    it.skipIf(database.skip)('reach each follower in the window once; never the opted out, unfollowed, lapsed or Wechaty contacts', async () => {
      const h = await pushHarness('service', opened.sql);
      await h.follower('o_a');
      await h.follower('o_b', { hoursAgo: 47 });
      await h.follower('o_td', { optedOut: true });
      await h.follower('o_gone', { unfollowed: true });
      await h.follower('o_old', { hoursAgo: 50 });
      await h.follower('wxid_chat', { channel: 'wechaty' });
      const s = h.service();
      const b = await s.create('default', text('本周女装上新'));
      expect(await s.preview(b.id)).toMatchObject({ audience: 5, to_send: 2, skipped: { opted_out: 1, unfollowed: 1, outside_48h: 1, capped: 0 } });
      const r = await s.send(b.id);
      expect(r).toMatchObject({ status: 'done', sent: 2, failed: 0, unknown: 0 });
      expect(h.delivered('o_a')).toBe(1);
      expect(h.delivered('o_b')).toBe(1);
      expect(h.delivered()).toBe(2);
      expect((await s.get(b.id)).status).toBe('done');
    });

    it.skipIf(database.skip)('the weekly cap holds across broadcasts and channels, from one ledger', async () => {
      const h = await pushHarness('service', opened.sql);
      await h.follower('o_a');
      await h.follower('o_b');
      const s = h.service();
      await s.send((await s.create('default', text('第一条'))).id);
      const second = await s.create('default', text('第二条'));
      expect(await s.preview(second.id)).toMatchObject({ to_send: 0, skipped: { capped: 2 } });
      const mass = await s.create('default', { ...text('群发'), channel: 'mass' });
      expect(await s.preview(mass.id)).toMatchObject({ to_send: 0, skipped: { capped: 2 } });
      h.clock.advance(7 * 24 * HOUR + 1);
      expect(await s.preview(mass.id)).toMatchObject({ to_send: 2, skipped: { capped: 0 } });
      expect((await s.saveSettings('default', { ...await s.settings('default'), weeklyCap: 2 })).weeklyCap).toBe(2);
    });

    it.skipIf(database.skip)('quiet hours hold a due send until the window ends', async () => {
      const h = await pushHarness('service', opened.sql);
      await h.follower('o_a');
      const s = h.service();
      h.clock.set(Date.parse('2026-01-05T23:00:00+08:00'));
      await h.follower('o_b', { hoursAgo: 40 }); // its window lapses at 07:00, before quiet hours end
      const b = await s.create('default', text('晚安'));
      expect(await s.preview(b.id)).toMatchObject({ to_send: 1, skipped: { quiet_hours: 1 }, quiet_hours_until: '2026-01-06T00:00:00.000Z' });
      const r = await s.send(b.id);
      expect(r).toMatchObject({ status: 'waiting', detail: '2026-01-06T00:00:00.000Z', sent: 0 });
      expect(h.delivered()).toBe(0);
      h.clock.set(Date.parse('2026-01-06T08:00:00+08:00'));
      expect(await s.send(b.id)).toMatchObject({ status: 'done', sent: 1 });
    });

    it.skipIf(database.skip)('permanent errors fail the row at once; transient ones are retried', async () => {
      const h = await pushHarness('service', opened.sql);
      await h.follower('o_a');
      await h.follower('o_b');
      const s = h.service({ sender: { ratePerSecond: 0, concurrency: 1, retryDelayMs: 1, sleep: async (ms) => h.clock.advance(ms) } });
      // o_a: 45015 (permanent); o_b: -1 three times (the client's own 3 attempts) then success on the sender's retry
      h.sim.simulator.injectErrors([45015, -1, -1, -1]);
      const r = await s.send((await s.create('default', text('hi'))).id);
      expect(r).toMatchObject({ status: 'done', sent: 1, failed: 1 });
      expect(r.errors).toMatchObject({ '45015': 1, '-1': 1 });
      expect(h.requests('/cgi-bin/message/custom/send')).toBe(5);
      expect(h.delivered()).toBe(1);
    });

    it.skipIf(database.skip)('a timed-out customer-service call is unknown: counted, never re-sent', async () => {
      const h = await pushHarness('service', opened.sql);
      await h.follower('o_a');
      h.sim.simulator.injectTimeouts(1, 5_000);
      const s = h.service({ client: () => h.client({ timeoutMs: 200 }) });
      const r = await s.send((await s.create('default', text('hi'))).id);
      expect(r).toMatchObject({ status: 'done', sent: 0, unknown: 1 });
      expect(h.delivered('o_a')).toBe(1);
      expect(h.requests('/cgi-bin/message/custom/send')).toBe(1);
    });

    it.skipIf(database.skip)('the simulator\'s 5-per-window quota is respected from the ledger', async () => {
      const h = await pushHarness('service', opened.sql);
      await h.follower('o_a');
      const s = h.service();
      await s.saveSettings('default', { ...await s.settings('default'), weeklyCap: 10 });
      for (let i = 0; i < 5; i++) expect((await s.send((await s.create('default', text(`第${i}条`))).id)).sent).toBe(1);
      const sixth = await s.create('default', text('第六条'));
      expect(await s.preview(sixth.id)).toMatchObject({ to_send: 0, skipped: { platform_limit: 1 } });
      expect(h.delivered('o_a')).toBe(5);
    });
  });

  describe('mass broadcasts', () => {
    it.skipIf(database.skip)('go in batches with clientmsgid; a resumed batch is deduplicated by the platform', async () => {
      const h = await pushHarness('service', opened.sql);
      for (let i = 0; i < 5; i++) await h.follower(`o_${i}`, { hoursAgo: null });
      const s = h.service({ massBatchSize: 2 });
      const b = await s.create('default', { ...text('群发'), channel: 'mass' });
      const r = await s.send(b.id);
      expect(r).toMatchObject({ status: 'done', sent: 5 });
      expect(h.delivered()).toBe(5);
      // As if the process died after the platform accepted batch 0 but before the outcome was committed:
      const run = (await pushOutbox(h.sql).runs(b.id))[0]!;
      await h.sql.run("UPDATE push_outbox SET state = 'sending' WHERE run_id = ? AND batch = 0", [run.id]);
      await h.sql.run("UPDATE broadcast_runs SET status = 'sending' WHERE id = ?", [run.id]);
      const again = await sendRun({ sql: h.sql, client: h.client(), accountType: 'service', settings: await s.settings('default'), clock: h.clock, ratePerSecond: 0 }, run.id);
      expect(again.status).toBe('done');
      expect(h.delivered()).toBe(5); // 45065: nobody received it twice
      const job = (await h.sql.get<{ msg_id: string }>('SELECT msg_id FROM push_mass_jobs WHERE run_id = ? AND batch = 0', [run.id]))!;
      expect(await massSendFinished(h.sql, inbound({ kind: 'mass_send_finished', msgId: job.msg_id, status: 'send success', totalCount: 3, filterCount: 3, sentCount: 3, errorCount: 0 }))).toEqual({ run: run.id, batch: 0 });
      expect(await pushOutbox(h.sql).massJobTotals(run.id)).toMatchObject({ jobs: 2, finished: 1, sent: 3 });
    });

    it.skipIf(database.skip)('service accounts: at most 4 mass messages a follower a month', async () => {
      const h = await pushHarness('service', opened.sql);
      await h.follower('o_a', { hoursAgo: null });
      await h.follower('o_b', { hoursAgo: null });
      const s = h.service();
      await s.saveSettings('default', { ...await s.settings('default'), weeklyCap: 10 });
      for (let i = 0; i < 4; i++) expect((await s.send((await s.create('default', { ...text(`群发${i}`), channel: 'mass' })).id)).sent).toBe(2);
      expect(await s.preview((await s.create('default', { ...text('第五次'), channel: 'mass' })).id)).toMatchObject({ to_send: 0, skipped: { platform_limit: 2 } });
    });

    it.skipIf(database.skip)('subscription accounts: one sendall a day, refused when someone must be left out', async () => {
      const h = await pushHarness('subscription', opened.sql);
      await h.follower('o_a', { hoursAgo: null });
      await h.follower('o_b', { hoursAgo: null });
      const s = h.service();
      await s.saveSettings('default', { ...await s.settings('default'), weeklyCap: 10 });
      expect(await s.send((await s.create('default', { ...text('今日'), channel: 'mass' })).id)).toMatchObject({ status: 'done', sent: 2 });
      expect(await s.preview((await s.create('default', { ...text('再发'), channel: 'mass' })).id)).toMatchObject({ to_send: 0, skipped: { platform_limit: 2 } });
      h.clock.advance(24 * HOUR);
      await h.follower('o_td', { optedOut: true, hoursAgo: null });
      const p = await s.preview((await s.create('default', { ...text('明日'), channel: 'mass' })).id);
      expect(p.blocked).toMatch(/cannot leave anyone out/);
    });
  });

  describe('two senders, one lease', () => {
    it.skipIf(database.skip)('only one of two connections sends a run', async () => {
      const h = await pushHarness('service', opened.sql);
      for (let i = 0; i < 20; i++) await h.follower(`o_${i}`);
      const s1 = h.service({ sender: { ratePerSecond: 200, owner: 'server-1' } });
      const sql2 = await opened.another();
      const client2 = h.client({ db: sql2 });
      const b = await s1.create('default', text('hi'));
      const run = await s1.startRun(b, 'manual:1');
      const settings = await s1.settings('default');
      const [r1, r2] = await Promise.all([
        sendRun({ sql: h.sql, client: h.client(), accountType: 'service', settings, clock: h.clock, ratePerSecond: 200, owner: 'server-1' }, run.id),
        sendRun({ sql: sql2, client: client2, accountType: 'service', settings, clock: h.clock, ratePerSecond: 200, owner: 'server-2' }, run.id),
      ]);
      expect([r1.status, r2.status].sort()).toEqual(['busy', 'done']);
      expect(h.delivered()).toBe(20);
      expect(new Set(h.sim.simulator.deliveries().map((d) => d.touser)).size).toBe(20);
    });
  });

  describe('replies', () => {
    it.skipIf(database.skip)('a reply with the keyword inside the window is collected once, confirmed and exported', async () => {
      const h = await pushHarness('service', opened.sql);
      await h.follower('o_a');
      await h.follower('o_b');
      const s = h.service();
      const b = await s.create('default', { ...text('回复 试用+理由 申请试用'), replies: { keyword: '试用', window_hours: 24 } });
      await s.send(b.id);
      const now = h.clock.now();
      const got = await collectReply(h.sql, { account: 'default', user: 'o_a', text: '试用+想给女儿用, "好"', dedupKey: 'm1', now });
      expect(got).toMatchObject({ broadcast: b.id, confirm: expect.any(String) });
      await collectReply(h.sql, { account: 'default', user: 'o_a', text: '试用+想给女儿用, "好"', dedupKey: 'm1', now }); // a retry
      expect(await collectReply(h.sql, { account: 'default', user: 'o_b', text: '你好', dedupKey: 'm2', now })).toBeNull();
      expect(await collectReply(h.sql, { account: 'default', user: 'o_b', text: '试用 晚了', dedupKey: 'm3', now: now + 25 * HOUR })).toBeNull();
      const csv = await repliesCsv(h.sql, b.id);
      expect(csv.trimEnd().split('\r\n')).toEqual(['\uFEFFbroadcast,openid,reason,text,at', `${b.id},"o_a","想给女儿用, ""好""","试用+想给女儿用, ""好""",${new Date(now).toISOString()}`]);
    });
  });

  describe('cancel', () => {
    it.skipIf(database.skip)('cancels the broadcast and the rows not yet sent', async () => {
      const h = await pushHarness('service', opened.sql);
      await h.follower('o_a');
      const s = h.service();
      const b = await s.create('default', text('hi'));
      const run = await s.startRun(b, 'manual:1');
      await s.cancel(b.id);
      expect(await pushOutbox(h.sql).outboxCounts(run.id)).toMatchObject({ cancelled: 1, pending: 0 });
      expect(await s.send(b.id).catch((e: Error) => e.message)).toMatch(/cancelled/);
      expect(h.delivered()).toBe(0);
    });
  });
});
