import { describe, expect, it } from 'vitest';
import { recordCustomerServiceSend } from '../../src/push/ledger.ts';
import { collectReply } from '../../src/push/reply-collection.ts';
import { HOUR, runPushHarness, text } from './harness.ts';

describe('customer-service answers in the send ledger', () => {
  it('count toward the 5-per-48h quota but not toward the weekly push cap', async () => {
    const h = await runPushHarness();
    await h.follower('o_busy', { hoursAgo: 2 }); // 5 answers since their last message: quota used up
    await h.follower('o_some', { hoursAgo: 2 }); // 4 answers: one customer-service message left
    await h.follower('o_old', { hoursAgo: 2 }); // 5 answers, but before their last message: a fresh allowance
    const now = h.clock.now();
    for (let i = 0; i < 5; i++) await recordCustomerServiceSend(h.sql, { account: 'default', user: 'o_busy', at: now - HOUR + i, source: i % 2 ? 'rule_reply' : 'late_answer' });
    for (let i = 0; i < 3; i++) await recordCustomerServiceSend(h.sql, { account: 'default', user: 'o_some', at: now - HOUR + i, source: 'late_answer' });
    await recordCustomerServiceSend(h.sql, { account: 'default', user: 'o_some', at: now - HOUR + 9, source: 'late_answer', outcome: 'unknown' });
    for (let i = 0; i < 5; i++) await recordCustomerServiceSend(h.sql, { account: 'default', user: 'o_old', at: now - 3 * HOUR + i, source: 'late_answer' });
    const s = h.service();
    const b = await s.create('default', text('本周新品'));
    // Weekly cap 1: none of the 14 answers counts as a push, so only o_busy is held back (platform limit).
    expect(await s.preview(b.id)).toMatchObject({ audience: 3, to_send: 2, skipped: { platform_limit: 1, capped: 0 } });
    const r = await s.send(b.id);
    expect(r).toMatchObject({ status: 'done', sent: 2, failed: 0 });
    expect(h.delivered('o_busy')).toBe(0);
    // o_some has now had 5 customer-service messages (4 answers + this push): a second broadcast is over quota
    // even with a higher weekly cap, while o_old is only capped by the push it just received.
    await s.saveSettings('default', { ...await s.settings('default'), weeklyCap: 5 });
    const again = await s.create('default', text('再来一条'));
    expect(await s.preview(again.id)).toMatchObject({ to_send: 1, skipped: { platform_limit: 2 } });
  });

  it('mass sends and reply collection ignore answers', async () => {
    const h = await runPushHarness();
    await h.follower('o_a', { hoursAgo: 1 });
    await h.follower('o_b', { hoursAgo: 1 });
    await recordCustomerServiceSend(h.sql, { account: 'default', user: 'o_a', at: h.clock.now(), source: 'late_answer' });
    const s = h.service();
    const mass = await s.create('default', { ...text('群发'), channel: 'mass' });
    expect(await s.preview(mass.id)).toMatchObject({ to_send: 2, skipped: { capped: 0, platform_limit: 0 } });
    expect(await collectReply(h.sql, { account: 'default', user: 'o_a', text: '试用 想试试', dedupKey: 'k1', now: h.clock.now() })).toBeNull();
    const row = await h.sql.get("SELECT channel, kind, source, broadcast_id, outcome FROM push_ledger WHERE user_id = 'o_a'");
    expect(row).toEqual({ channel: 'custom', kind: 'answer', source: 'late_answer', broadcast_id: null, outcome: 'sent' });
  });

  it('refuses a missing openid or time', async () => {
    const h = await runPushHarness();
    await expect(recordCustomerServiceSend(h.sql, { account: 'default', user: '', at: 1, source: 'late_answer' })).rejects.toThrow(/openid/);
    await expect(recordCustomerServiceSend(h.sql, { account: 'default', user: 'o_a', at: Number.NaN, source: 'late_answer' })).rejects.toThrow(/epoch/);
  });
});
