/**
 * Issue 10, item 9: with injected platform errors a run of 400 sent 393, failed 3 and left 4 `unknown`, yet
 * the API and `guang broadcast list` said "done, planned 400". Each run now reports sent / failed by errcode /
 * unknown / skipped by reason, lists the unknowns per follower (masked in lists, in full in the run's detail),
 * and `send --retry-unknown` — which the report points to — re-sends them.
 * Over real HTTP: the server's embedded simulator, faults injected through `/sim/errors`, real CLI processes.
 */
import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/core/clock.ts';
import { maskId } from '../../src/core/log.ts';
import { adminServer } from '../admin/harness.ts';
import { guang } from '../helpers/process.ts';
import { runDatabase } from '../helpers/run-database.ts';

// The run's kind of database, its env known: the CLI processes below open it too.
const database = await runDatabase();
const { server, api, player } = await adminServer({ dbPath: database.dbPath, env: database.env });
const followers = Array.from({ length: 8 }, (_, i) => `o_outcome_${String(i).padStart(2, '0')}`);
const optedOut = 'o_outcome_td';

async function until<T>(f: () => Promise<T>, ok: (t: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await f();
  while (!ok(v) && Date.now() < end) {
    await sleep(50);
    v = await f();
  }
  return v;
}
const deliveredTo = () => new Set(server.simulator!.deliveries().filter((d) => d.api === 'custom').map((d) => d.touser));
const cli = (args: string[]) => guang(['broadcast', ...args], { GUANG_DB: database.dbPath, ...database.env, PORT: String(server.port), GUANG_LOG_LEVEL: 'silent' });

describe('a broadcast run that met platform errors', () => {
  it('reports sent, failed by code, unknown per follower and skipped by reason, in the API and the CLI, and retries the unknowns', async () => {
    for (const f of [...followers, optedOut]) await player.text(f, '你好');
    await player.text(optedOut, 'TD');
    // Quiet hours off: the test runs at any hour.
    expect((await api('PUT', '/broadcasts/settings', { weekly_cap: 5, quiet_start: '00:00', quiet_end: '00:00' })).status).toBe(200);
    const created = await api('POST', '/broadcasts', { name: '上新', message: { type: 'text', content: '本周女装上新' }, audience: { all: true }, channel: 'custom' });
    const id = created.body.id as number;

    // The next four API calls: two refused for good (45015, 40003), two lost in transit (HTTP 504: outcome unknown).
    const injected = await fetch(`${server.url}/sim/errors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ codes: [45015, -504, 40003, -504] }) });
    expect(injected.status).toBe(200);
    expect((await api('POST', `/broadcasts/${id}/send`)).status).toBe(202);
    const done = await until(() => api('GET', `/broadcasts/${id}`), (r) => r.body.status === 'done');
    const run = done.body.runs[0];
    expect(run).toMatchObject({
      status: 'done', audience: 9, planned: 8, sent: 4, failed: 2, failed_by_code: { 45015: 1, 40003: 1 }, unknown: 2, pending: 0,
      skipped: { opted_out: 1 },
    });
    expect(run.next).toMatch(new RegExp(`guang broadcast send ${id} --retry-unknown`));

    // Who is unknown: the run's detail names them in full; the list masks them.
    const detail = await api('GET', `/broadcasts/${id}/runs/${run.id}`);
    expect(detail.status).toBe(200);
    const unknown = detail.body.unknown_followers as string[];
    const failed = detail.body.failed_followers as { openid: string; code: number }[];
    expect(unknown).toHaveLength(2);
    expect(failed.map((f) => f.code).sort()).toEqual([40003, 45015]);
    const delivered = deliveredTo();
    expect(delivered.size).toBe(4);
    // Everyone planned is accounted for exactly once: delivered, failed or unknown.
    expect([...delivered, ...failed.map((f) => f.openid), ...unknown].sort()).toEqual(followers);
    expect(run.unknown_followers).toEqual(unknown.map(maskId));
    expect(JSON.stringify(done.body)).not.toContain(unknown[0]);

    // The CLI says the same: `list` masked, `report` in full.
    const list = cli(['list']);
    expect(await list.exited()).toBe(0);
    const listed = (JSON.parse(list.stdout()) as { id: number; runs: Record<string, unknown>[] }[]).find((b) => b.id === id)!;
    expect(listed.runs[0]).toMatchObject({ sent: 4, failed: 2, failed_by_code: { 45015: 1, 40003: 1 }, unknown: 2, unknown_followers: unknown.map(maskId), skipped: { opted_out: 1 } });
    expect(list.stdout()).not.toContain(unknown[0]);
    const report = cli(['report', String(id)]);
    expect(await report.exited()).toBe(0);
    expect(JSON.parse(report.stdout())).toMatchObject({ run: run.id, sent: 4, failed: 2, unknown: 2, unknown_followers: unknown });

    // The operator decides to re-send to the unknowns: they receive it, nobody else does again.
    const before = server.simulator!.deliveries().filter((d) => d.api === 'custom').length;
    const retry = cli(['send', String(id), '--retry-unknown', '--rate', '0']);
    expect(await retry.exited()).toBe(0);
    const after = server.simulator!.deliveries().filter((d) => d.api === 'custom');
    expect(after.slice(before).map((d) => d.touser).sort()).toEqual([...unknown].sort());
    const final = await api('GET', `/broadcasts/${id}/runs/${run.id}`);
    expect(final.body).toMatchObject({ status: 'done', sent: 6, failed: 2, unknown: 0, unknown_followers: [] });
    expect(final.body).not.toHaveProperty('next');
    expect((await api('GET', `/broadcasts/${id}`)).body.status).toBe('done');
  }, 60_000);
});
