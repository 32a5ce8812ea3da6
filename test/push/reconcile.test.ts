import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { adminApi } from '../../src/admin/api.ts';
import { silentLogger } from '../../src/core/log.ts';
import { massSendFinished } from '../../src/push/mass-finished.ts';
import type { Account } from '../../src/db/accounts.ts';
import { inbound } from '../helpers/inbound.ts';
import { onCleanup } from '../wechat-api/harness.ts';
import { runPushHarness, text } from './harness.ts';

describe('MASSSENDJOBFINISH reconciliation in the broadcast JSON', () => {
  it('shows the platform\'s total/filter/sent/error of a mass run\'s batches in list and GET /api/broadcasts/:id', async () => {
    const h = await runPushHarness();
    for (let i = 0; i < 5; i++) await h.follower(`o_${i}`, { hoursAgo: null });
    const s = h.service({ massBatchSize: 2 });
    const b = await s.create('default', { ...text('群发'), channel: 'mass' });
    expect(await s.send(b.id)).toMatchObject({ status: 'done', sent: 5 });
    const custom = await s.create('default', text('客服'));
    const token = 'reconcile-admin-token-0123456789';
    const api = adminApi({
      sql: h.sql, clock: h.clock, logger: silentLogger, accounts: { get: (id) => (id === 'default' ? ({ id } as Account) : null) }, qrClient: () => null,
      token, demo: false, baseUrl: () => '', broadcasts: { service: s },
    });
    const app = express().use('/api', api.router);
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const get = async (id: number) => (await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/broadcasts/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { runs: Record<string, unknown>[] };

    // Sent, nothing reported yet: 2 batches (5 followers by 2), none reconciled.
    expect((await get(b.id)).runs[0]!.reconciled).toEqual({ batches: 2, reported: 0, total: null, filter: null, sent: null, error: null });

    const jobs = await h.sql.all<{ batch: number; msg_id: string }>('SELECT batch, msg_id FROM push_mass_jobs ORDER BY batch');
    expect(jobs).toHaveLength(2);
    const report = (msgId: string, total: number, filter: number, sent: number, error: number) =>
      massSendFinished(h.sql, inbound({ kind: 'mass_send_finished', msgId, status: 'send success', totalCount: total, filterCount: filter, sentCount: sent, errorCount: error }));
    await report(jobs[0]!.msg_id, 3, 3, 2, 1);
    expect((await get(b.id)).runs[0]!.reconciled).toEqual({ batches: 2, reported: 1, total: 3, filter: 3, sent: 2, error: 1 });
    await report(jobs[1]!.msg_id, 2, 1, 1, 0);
    await report(jobs[1]!.msg_id, 2, 1, 1, 0); // a retried event changes nothing
    const expected = { batches: 2, reported: 2, total: 5, filter: 4, sent: 3, error: 1 };
    expect((await get(b.id)).runs[0]!.reconciled).toEqual(expected);

    // `guang broadcast list` prints service.json of each broadcast: the same counts; a custom run has none.
    const listed = await Promise.all((await s.list('default')).map((x) => s.json(x)));
    expect(listed.find((x) => x.id === b.id)!.runs[0]).toMatchObject({ status: 'done', planned: 5, reconciled: expected });
    // (nobody is inside a 48-hour window: a draft with nobody to send to still ends done, not in a conflict)
    expect(await s.send(custom.id)).toMatchObject({ status: 'done', planned: 0 });
    expect((await s.get(custom.id)).status).toBe('done');
    expect((await s.json(await s.get(custom.id))).runs[0]).not.toHaveProperty('reconciled');
  });
});
