import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/core/clock.ts';
import { adminServer } from '../admin/harness.ts';

const { server, api, player } = await adminServer();

const broadcast = (name: string) => ({
  name, message: { type: 'text', content: `${name}：本周女装上新，回复「女装」看看` }, audience: { all: true }, channel: 'custom',
});

async function until<T>(f: () => Promise<T>, ok: (t: T) => boolean, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await f();
  while (!ok(v) && Date.now() < end) {
    await sleep(50);
    v = await f();
  }
  return v;
}

describe('/api/broadcasts over the running server', () => {
  it('needs the admin token', async () => {
    expect((await api('GET', '/broadcasts', undefined, { token: null })).status).toBe(401);
  });

  it('creates, previews and sends a broadcast to followers inside their 48-hour window, once, then caps the next one', async () => {
    // Quiet hours off (the weekly cap stays at its default, 1): the test runs at any hour, 22:00–08:00 Beijing too.
    expect((await api('PUT', '/broadcasts/settings', { weekly_cap: 1, quiet_start: '00:00', quiet_end: '00:00' })).status).toBe(200);
    for (const user of ['o_push_a', 'o_push_b', 'o_push_c']) await player.text(user, '你好');
    const created = await api('POST', '/broadcasts', broadcast('本周新品'));
    expect(created.status).toBe(201);
    const id = created.body.id as number;

    const preview = await api('GET', `/broadcasts/${id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ audience: 3, to_send: 3 });

    expect((await api('POST', `/broadcasts/${id}/send`)).status).toBe(202);
    const done = await until(() => api('GET', `/broadcasts/${id}`), (r) => r.body.status === 'done');
    expect(done.body.status).toBe('done');
    const deliveries = server.simulator!.deliveries().filter((d) => d.touser.startsWith('o_push_'));
    expect(deliveries.map((d) => d.touser).sort()).toEqual(['o_push_a', 'o_push_b', 'o_push_c']);

    // The weekly cap (1 by default) counts every broadcast: a second one this week reaches nobody.
    const second = await api('POST', '/broadcasts', broadcast('再推一次'));
    const again = await api('GET', `/broadcasts/${second.body.id}/preview`);
    expect(again.body).toMatchObject({ audience: 3, to_send: 0, skipped: { capped: 3 } });
  });
});
