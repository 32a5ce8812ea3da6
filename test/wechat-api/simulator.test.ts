import { describe, expect, it } from 'vitest';
import { APP_ID, APP_SECRET, HOUR, START, harness, type Harness } from './harness.ts';

const ALICE = 'oAlice-0000000000000000001';
const BOB = 'oBob-00000000000000000000002';
const CAROL = 'oCarol-000000000000000000003';
const MINUTE = 60_000;


async function post(h: Harness, route: string, body: unknown, raw = false): Promise<Record<string, unknown>> {
  const response = await fetch(`${h.sim.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ? (body as string) : JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function stableToken(h: Harness, force = false): Promise<Record<string, unknown>> {
  return post(h, '/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET, force_refresh: force });
}

async function legacyToken(h: Harness): Promise<Record<string, unknown>> {
  const url = `${h.sim.url}/cgi-bin/token?grant_type=client_credential&appid=${APP_ID}&secret=${APP_SECRET}`;
  return (await (await fetch(url)).json()) as Record<string, unknown>;
}

/** Sends a custom text message with `token` and answers the errcode. */
async function sendWith(h: Harness, token: unknown, to = ALICE): Promise<unknown> {
  const answer = await post(h, `/cgi-bin/message/custom/send?access_token=${String(token)}`, {
    touser: to,
    msgtype: 'text',
    text: { content: 'hi' },
  });
  return answer.errcode;
}

const text = (content: string) => ({ type: 'text', content }) as const;

describe('simulator: tokens', () => {
  it('stable_token hands back the same token while valid; force_refresh replaces and revokes it', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    const first = await stableToken(h);
    expect(first).toMatchObject({ access_token: expect.any(String), expires_in: 7200 });
    h.clock.advance(HOUR);
    expect(await stableToken(h)).toEqual({ access_token: first.access_token, expires_in: 3600 });
    const forced = await stableToken(h, true);
    expect(forced.access_token).not.toBe(first.access_token);
    expect(await sendWith(h, first.access_token)).toBe(40001);
    expect(await sendWith(h, forced.access_token)).toBe(0);
  });

  it('a new /cgi-bin/token leaves the previous one 5 minutes of overlap', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    const first = await legacyToken(h);
    const second = await legacyToken(h);
    expect(second.access_token).not.toBe(first.access_token);
    h.clock.advance(4 * MINUTE);
    expect(await sendWith(h, first.access_token)).toBe(0);
    h.clock.advance(2 * MINUTE);
    expect(await sendWith(h, first.access_token)).toBe(42001);
    expect(await sendWith(h, second.access_token)).toBe(0);
  });

  it('tokens expire with the TTL (42001); unknown ones are invalid (40001), missing ones 41001', async () => {
    const h = await harness({ simulator: { tokenTtlSeconds: 60 } });
    h.sim.simulator.recordInteraction(ALICE);
    const { access_token: token } = await stableToken(h);
    h.clock.advance(MINUTE);
    expect(await sendWith(h, token)).toBe(42001);
    expect(await sendWith(h, 'forged')).toBe(40001);
    expect((await post(h, '/cgi-bin/message/custom/send', {})).errcode).toBe(41001);
  });

  it('checks the credentials', async () => {
    const h = await harness();
    expect(await post(h, '/cgi-bin/stable_token', { grant_type: 'client_credential', appid: 'wxother', secret: APP_SECRET }))
      .toMatchObject({ errcode: 40013 });
    expect(await post(h, '/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APP_ID, secret: 'nope' }))
      .toMatchObject({ errcode: 40125 });
    expect(await post(h, '/cgi-bin/stable_token', { grant_type: 'password', appid: APP_ID, secret: APP_SECRET }))
      .toMatchObject({ errcode: 40002 });
  });
});

describe('simulator: customer-service window', () => {
  it('allows messages within 48 hours of the follower\'s last message, not after', async () => {
    const h = await harness();
    const client = h.client();
    await expect(client.sendCustomerMessage(ALICE, text('too early'))).rejects.toMatchObject({ code: 45015 });
    h.sim.simulator.recordInteraction(ALICE, 'message');
    h.clock.advance(48 * HOUR - 1);
    await client.sendCustomerMessage(ALICE, text('just in time'));
    h.clock.advance(1);
    await expect(client.sendCustomerMessage(ALICE, text('too late'))).rejects.toMatchObject({ code: 45015 });
    expect(h.sim.simulator.deliveries().map((d) => d.content)).toEqual(['just in time']);
  });

  it('allows 5 messages per follower message (45047 after), and a new message opens a fresh quota', async () => {
    const h = await harness();
    const client = h.client();
    h.sim.simulator.recordInteraction(ALICE);
    for (let i = 1; i <= 5; i++) await client.sendCustomerMessage(ALICE, text(`#${i}`));
    await expect(client.sendCustomerMessage(ALICE, text('#6'))).rejects.toMatchObject({ code: 45047 });
    h.clock.advance(HOUR);
    h.sim.simulator.recordInteraction(ALICE);
    await client.sendCustomerMessage(ALICE, text('#6 after a new message'));
    expect(h.sim.simulator.deliveries()).toHaveLength(6);
  });

  it('allows 3 messages within a minute of a follow, click or scan', async () => {
    const h = await harness();
    const client = h.client();
    h.sim.simulator.recordInteraction(BOB, 'follow');
    for (let i = 1; i <= 3; i++) await client.sendCustomerMessage(BOB, text(`#${i}`));
    await expect(client.sendCustomerMessage(BOB, text('#4'))).rejects.toMatchObject({ code: 45047 });
    h.sim.simulator.recordInteraction(CAROL, 'scan');
    h.clock.advance(MINUTE);
    await expect(client.sendCustomerMessage(CAROL, text('late'))).rejects.toMatchObject({ code: 45015 });
  });

  it('takes interactions over HTTP too', async () => {
    const h = await harness();
    expect(await post(h, '/interactions', { openid: ALICE, kind: 'click', at: new Date(START).toISOString() })).toEqual({ ok: true });
    await h.client().sendCustomerMessage(ALICE, text('hi'));
    const bad = await fetch(`${h.sim.url}/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: ALICE, kind: 'wave' }),
    });
    expect(bad.status).toBe(400);
  });

  it('answers malformed bodies with the platform\'s codes', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    const { access_token: token } = await stableToken(h);
    const route = `/cgi-bin/message/custom/send?access_token=${String(token)}`;
    expect((await post(h, route, {})).errcode).toBe(44002);
    expect((await post(h, route, { touser: ALICE, msgtype: 'hologram' })).errcode).toBe(40008);
    expect((await post(h, route, { touser: ALICE, msgtype: 'text', text: {} })).errcode).toBe(44004);
    expect((await post(h, route, { touser: ALICE, msgtype: 'image', image: {} })).errcode).toBe(40007);
    expect((await post(h, route, { touser: ALICE, msgtype: 'news', news: { articles: [] } })).errcode).toBe(44003);
    expect((await post(h, route, { msgtype: 'text', text: { content: 'x' } })).errcode).toBe(40003);
    expect((await post(h, route, '{not json', true)).errcode).toBe(47001);
    expect(h.sim.simulator.deliveries()).toHaveLength(0);
  });
});

describe('simulator: mass-send caps', () => {
  it('subscription accounts: one mass send per Shanghai day (45028), again the next day', async () => {
    const h = await harness({ accountType: 'subscription' });
    const client = h.client();
    h.sim.simulator.recordInteraction(ALICE);
    await client.massSendByTag({ toAll: true, message: text('mon'), clientMsgId: 'd1' });
    await expect(client.massSendByTag({ toAll: true, message: text('mon again'), clientMsgId: 'd1b' }))
      .rejects.toMatchObject({ code: 45028 });
    // 10:00 Shanghai + 13:59 is still Monday; midnight Shanghai is a new day.
    h.clock.advance(13 * HOUR + 59 * MINUTE);
    await expect(client.massSendByTag({ toAll: true, message: text('still mon'), clientMsgId: 'd1c' }))
      .rejects.toMatchObject({ code: 45028 });
    h.clock.advance(MINUTE);
    await client.massSendByTag({ toAll: true, message: text('tue'), clientMsgId: 'd2' });
    expect(h.sim.simulator.deliveries().map((d) => d.content)).toEqual(['mon', 'tue']);
  });

  it('subscription accounts cannot mass send by openid list (48001)', async () => {
    const h = await harness({ accountType: 'subscription' });
    await expect(h.client().massSendToOpenids({ openids: [ALICE, BOB], message: text('x'), clientMsgId: 'l1' }))
      .rejects.toMatchObject({ code: 48001 });
  });

  it('service accounts: a follower gets at most 4 mass messages a month; the others still get theirs', async () => {
    const h = await harness({ accountType: 'service' });
    const client = h.client();
    for (let i = 1; i <= 4; i++) {
      await client.massSendToOpenids({ openids: [ALICE, CAROL], message: text(`a${i}`), clientMsgId: `a${i}` });
    }
    await client.massSendToOpenids({ openids: [ALICE, BOB], message: text('fifth'), clientMsgId: 'a5' });
    const fifth = h.sim.simulator.deliveries().filter((d) => d.content === 'fifth');
    expect(fifth.map((d) => d.touser)).toEqual([BOB]);
    // February: a new month (START is 5 January).
    h.clock.set(Date.UTC(2026, 0, 31, 16, 0, 0));
    await client.massSendToOpenids({ openids: [ALICE, BOB], message: text('february'), clientMsgId: 'b1' });
    expect(h.sim.simulator.deliveries().filter((d) => d.content === 'february')).toHaveLength(2);
  });

  it('sendall by tag reaches only the followers under that tag', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    h.sim.simulator.recordInteraction(BOB);
    h.sim.simulator.tagFollower(BOB, 101);
    await h.client().massSendByTag({ tagId: 101, message: text('vip'), clientMsgId: 't1' });
    expect(h.sim.simulator.deliveries().map((d) => d.touser)).toEqual([BOB]);
  });

  it('a repeated clientmsgid answers 45065 with the original msg_id and delivers nothing', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    const { access_token: token } = await stableToken(h);
    const route = `/cgi-bin/message/mass/sendall?access_token=${String(token)}`;
    const body = { filter: { is_to_all: true }, msgtype: 'text', text: { content: 'x' }, clientmsgid: 'dup' };
    const first = await post(h, route, body);
    expect(first).toMatchObject({ errcode: 0, errmsg: 'send job submission success', msg_id: expect.any(Number), msg_data_id: expect.any(Number) });
    expect(await post(h, route, body)).toEqual({ errcode: 45065, errmsg: 'clientmsgid exist', msg_id: first.msg_id, msg_data_id: first.msg_data_id });
    expect(h.sim.simulator.deliveries()).toHaveLength(1);
  });

  it('limits the mass endpoints to 60 calls a minute (45009)', async () => {
    const h = await harness();
    const client = h.client();
    for (let i = 0; i < 60; i++) await client.massPreview({ openid: ALICE, message: text(`p${i}`) });
    await expect(client.massPreview({ openid: ALICE, message: text('p60') })).rejects.toMatchObject({ code: 45009 });
    h.clock.advance(MINUTE);
    await client.massPreview({ openid: ALICE, message: text('p60') });
    expect(h.sim.simulator.deliveries()).toHaveLength(61);
  });

  it('validates mass bodies', async () => {
    const h = await harness();
    const { access_token: token } = await stableToken(h);
    const send = (body: unknown) => post(h, `/cgi-bin/message/mass/send?access_token=${String(token)}`, body);
    expect((await send({ touser: [ALICE], msgtype: 'text', text: { content: 'x' } })).errcode).toBe(40130);
    expect((await send({ touser: [ALICE, BOB], msgtype: 'fax' })).errcode).toBe(40008);
    expect((await send({ touser: [ALICE, BOB], msgtype: 'mpnews', mpnews: {} })).errcode).toBe(40007);
    expect((await send({ touser: [ALICE, BOB], msgtype: 'text', text: { content: 'x' }, clientmsgid: 'c'.repeat(65) })).errcode).toBe(45067);
    const sendall = await post(h, `/cgi-bin/message/mass/sendall?access_token=${String(token)}`, { msgtype: 'text', text: { content: 'x' } });
    expect(sendall.errcode).toBe(40097);
  });
});

describe('simulator: QR codes', () => {
  it('validates like the platform and defaults a temporary code to 60 seconds', async () => {
    const h = await harness();
    const { access_token: token } = await stableToken(h);
    const create = (body: unknown) => post(h, `/cgi-bin/qrcode/create?access_token=${String(token)}`, body);
    const scene = (s: Record<string, unknown>) => ({ scene: s });
    expect(await create({ action_name: 'QR_SCENE', action_info: scene({ scene_id: 5 }) }))
      .toMatchObject({ ticket: expect.any(String), expire_seconds: 60, url: expect.any(String) });
    expect(await create({ action_name: 'QR_SCENE', expire_seconds: 99_999_999, action_info: scene({ scene_id: 5 }) }))
      .toMatchObject({ expire_seconds: 2_592_000 });
    const permanent = await create({ action_name: 'QR_LIMIT_STR_SCENE', action_info: scene({ scene_str: 'store-1' }) });
    expect(permanent).not.toHaveProperty('expire_seconds');
    expect((await create({ action_name: 'QR_LIMIT_SCENE', action_info: scene({ scene_id: 100_001 }) })).errcode).toBe(40053);
    expect((await create({ action_name: 'QR_STR_SCENE', action_info: scene({ scene_str: 'x'.repeat(65) }) })).errcode).toBe(40053);
    expect((await create({ action_name: 'QR_SOMETHING', action_info: scene({ scene_id: 1 }) })).errcode).toBe(40097);
    expect((await create({ action_name: 'QR_SCENE' })).errcode).toBe(40053);
  });
});

describe('simulator: deliveries and controls over HTTP', () => {
  it('GET /deliveries lists each delivery with an ISO time; DELETE clears them', async () => {
    const h = await harness();
    const client = h.client();
    h.sim.simulator.recordInteraction(ALICE);
    h.sim.simulator.recordInteraction(BOB);
    await client.sendCustomerMessage(ALICE, text('one'));
    await client.massSendByTag({ toAll: true, message: text('all'), clientMsgId: 'm' });
    const listed = (await (await fetch(`${h.sim.url}/deliveries`)).json()) as { deliveries: unknown[] };
    expect(listed).toEqual({
      deliveries: [
        { touser: ALICE, msgtype: 'text', content: 'one', api: 'custom', at: new Date(START).toISOString() },
        { touser: ALICE, msgtype: 'text', content: 'all', api: 'mass', msgId: expect.any(String), at: '2026-01-05T02:00:00.000Z' },
        { touser: BOB, msgtype: 'text', content: 'all', api: 'mass', msgId: expect.any(String), at: '2026-01-05T02:00:00.000Z' },
      ],
    });
    expect((await fetch(`${h.sim.url}/deliveries`, { method: 'DELETE' })).status).toBe(200);
    expect(h.sim.simulator.deliveries()).toEqual([]);
  });

  it('POST /errors queues errcodes for the next API calls, one each, in order', async () => {
    const h = await harness();
    const client = h.client({ retry: { attempts: 1 } });
    h.sim.simulator.recordInteraction(ALICE);
    await client.getAccessToken();
    expect(await post(h, '/errors', { codes: [45009, 48001] })).toEqual({ ok: true, queued: 2 });
    await expect(client.sendCustomerMessage(ALICE, text('a'))).rejects.toMatchObject({ code: 45009 });
    await expect(client.sendCustomerMessage(ALICE, text('b'))).rejects.toMatchObject({ code: 48001 });
    await client.sendCustomerMessage(ALICE, text('c'));
    expect(h.sim.simulator.deliveries().map((d) => d.content)).toEqual(['c']);
  });

  it('POST /timeouts delays the answer of the next calls, after doing the work', async () => {
    const h = await harness();
    const client = h.client({ timeoutMs: 250 });
    h.sim.simulator.recordInteraction(ALICE);
    await client.getAccessToken();
    expect(await post(h, '/timeouts', { count: 1, ms: 2_000 })).toEqual({ ok: true, queued: 1 });
    await expect(client.sendCustomerMessage(ALICE, text('lost answer'))).rejects.toMatchObject({ name: 'WechatTimeoutError' });
    expect(h.sim.simulator.deliveries()).toHaveLength(1);
  });

  it('POST /reset forgets tokens, followers and deliveries', async () => {
    const h = await harness();
    const client = h.client();
    h.sim.simulator.recordInteraction(ALICE);
    await client.sendCustomerMessage(ALICE, text('before'));
    expect(await post(h, '/reset', {})).toEqual({ ok: true });
    expect(h.sim.simulator.deliveries()).toEqual([]);
    await expect(client.sendCustomerMessage(ALICE, text('after'))).rejects.toMatchObject({ code: 45015 });
    // The stored token was forgotten by the simulator: 40001, one refresh, then the window check.
    expect(h.errors).toEqual([
      ['message/custom/send', 40001],
      ['message/custom/send', 45015],
    ]);
    expect((await (await fetch(`${h.sim.url}/stats`)).json()) as unknown).toMatchObject({
      requests: { '/cgi-bin/stable_token': 1, '/cgi-bin/message/custom/send': 2 },
    });
  });
});


