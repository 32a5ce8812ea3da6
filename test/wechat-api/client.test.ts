import { describe, expect, it } from 'vitest';
import { startStandaloneSimulator } from '../../src/wechat-api/simulator/simulator.ts';
import {
  CODE_TIMEOUT,
  WechatApiError,
  WechatTimeoutError,
  WechatValidationError,
  isPermanent,
  isTokenError,
  isTransient,
} from '../../src/wechat-api/errors.ts';
import { freePort, harness, onCleanup } from './harness.ts';

const CUSTOM = '/cgi-bin/message/custom/send';
const ALICE = 'oAlice-0000000000000000001';
const BOB = 'oBob-00000000000000000000002';

describe('customer-service messages', () => {
  it('sends text, one-article news and image in the platform\'s shapes', async () => {
    const h = await harness();
    const client = h.client();
    h.sim.simulator.recordInteraction(ALICE);
    await client.sendCustomerMessage(ALICE, { type: 'text', content: '您好' });
    await client.sendCustomerMessage(ALICE, {
      type: 'news',
      articles: [{ title: '连衣裙', description: '¥199', url: 'https://shop.example.com/p/1', imageUrl: 'https://img.example.com/1.jpg' }],
    });
    await client.sendCustomerMessage(ALICE, { type: 'image', mediaId: 'MEDIA_1' });
    expect(h.sim.simulator.deliveries()).toMatchObject([
      { touser: ALICE, msgtype: 'text', content: '您好', api: 'custom' },
      {
        msgtype: 'news',
        articles: [{ title: '连衣裙', description: '¥199', url: 'https://shop.example.com/p/1', picurl: 'https://img.example.com/1.jpg' }],
      },
      { msgtype: 'image', mediaId: 'MEDIA_1' },
    ]);
  });

  it('refuses news with more than one article before sending anything', async () => {
    const h = await harness();
    const article = { title: 't', url: 'https://a.example.com' };
    const error = await h
      .client()
      .sendCustomerMessage(ALICE, { type: 'news', articles: [article, article] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatValidationError);
    expect((error as Error).message).toMatch(/exactly 1 article/);
    expect(h.requests(CUSTOM)).toBe(0);
  });

  it('on 40001 refreshes the token once and retries once, successfully', async () => {
    const h = await harness();
    const client = h.client();
    h.sim.simulator.recordInteraction(ALICE);
    const before = await client.getAccessToken();
    h.sim.simulator.injectErrors([40001]);
    await client.sendCustomerMessage(ALICE, { type: 'text', content: 'hi' });
    expect(await client.getAccessToken()).not.toBe(before);
    expect(h.requests(CUSTOM)).toBe(2);
    expect(h.sim.simulator.deliveries()).toHaveLength(1);
    expect(h.errors).toEqual([['message/custom/send', 40001]]);
  });

  it('gives up with the token error when the refreshed token is rejected too', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    h.sim.simulator.injectErrors([42001, 40014]);
    const error = await h.client().sendCustomerMessage(ALICE, { type: 'text', content: 'hi' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'WechatApiError', code: 40014 });
    expect(h.requests(CUSTOM)).toBe(2);
    expect(h.sim.simulator.deliveries()).toHaveLength(0);
  });

  it('backs off and retries -1 (system busy), then succeeds', async () => {
    const h = await harness();
    const delays: number[] = [];
    const client = h.client({ sleep: async (ms) => void delays.push(ms), random: () => 0.5 });
    h.sim.simulator.recordInteraction(ALICE);
    h.sim.simulator.injectErrors([-1, -1]);
    await client.sendCustomerMessage(ALICE, { type: 'text', content: 'hi' });
    expect(h.requests(CUSTOM)).toBe(3);
    expect(h.sim.simulator.deliveries()).toHaveLength(1);
    expect(delays).toEqual([1, 2]); // base 1 ms, doubled, equal jitter at 0.5 → 75 % of each ceiling, rounded
    expect(h.errors).toEqual([
      ['message/custom/send', -1],
      ['message/custom/send', -1],
    ]);
  });

  it('retries HTTP 5xx like -1', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    h.sim.simulator.injectErrors([-503]);
    await h.client().sendCustomerMessage(ALICE, { type: 'text', content: 'hi' });
    expect(h.errors).toEqual([['message/custom/send', -503]]);
    expect(h.sim.simulator.deliveries()).toHaveLength(1);
  });

  it('stops after the configured number of attempts', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    h.sim.simulator.injectErrors([-1, -1, -1, -1]);
    const error = await h.client().sendCustomerMessage(ALICE, { type: 'text', content: 'hi' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: -1 });
    expect(h.requests(CUSTOM)).toBe(3);
  });

  it('surfaces 45015 as WechatApiError without retrying', async () => {
    const h = await harness();
    const error = await h.client().sendCustomerMessage(ALICE, { type: 'text', content: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatApiError);
    expect(error).toMatchObject({ code: 45015, api: 'message/custom/send' });
    expect(h.requests(CUSTOM)).toBe(1);
    expect(h.errors).toEqual([['message/custom/send', 45015]]);
  });

  it('never re-sends after a timeout: WechatTimeoutError, exactly one delivery', async () => {
    const h = await harness();
    const client = h.client({ timeoutMs: 250 });
    await client.getAccessToken();
    h.sim.simulator.recordInteraction(ALICE);
    h.sim.simulator.injectTimeouts(1, 5_000);
    const error = await client.sendCustomerMessage(ALICE, { type: 'text', content: 'once' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatTimeoutError);
    expect(error).toMatchObject({ reason: 'timeout', api: 'message/custom/send' });
    expect(h.requests(CUSTOM)).toBe(1);
    expect(h.sim.simulator.deliveries()).toMatchObject([{ touser: ALICE, content: 'once' }]);
    expect(h.errors).toEqual([['message/custom/send', CODE_TIMEOUT]]);
  });

  it('retries a connection refused before sending, and delivers once', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    const port = await freePort();
    let later: Awaited<ReturnType<typeof startStandaloneSimulator>> | null = null;
    // The API comes up during the first back-off.
    const client = h.client({
      apiBase: `http://127.0.0.1:${port}/sim`,
      sleep: async () => {
        if (later) return;
        later = await startStandaloneSimulator({ port, accountType: 'service', clock: h.clock });
        later.simulator.recordInteraction(ALICE);
        onCleanup(() => later!.close());
      },
    });
    await client.sendCustomerMessage(ALICE, { type: 'text', content: 'hi' });
    expect(later!.simulator.deliveries()).toHaveLength(1);
    expect(h.errors[0]).toEqual(['stable_token', -1002]);
  });
});

describe('mass sends', () => {
  it('sends text to all followers and returns the job ids as strings', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    h.sim.simulator.recordInteraction(BOB, 'follow');
    const result = await h.client().massSendByTag({ toAll: true, message: { type: 'text', content: '上新啦' }, clientMsgId: 'bc-1' });
    expect(result).toEqual({ msgId: expect.stringMatching(/^\d+$/), msgDataId: expect.stringMatching(/^\d+$/), duplicate: false });
    expect(h.sim.simulator.deliveries().map((d) => [d.touser, d.msgtype, d.content, d.api, d.msgId])).toEqual([
      [ALICE, 'text', '上新啦', 'mass', result.msgId],
      [BOB, 'text', '上新啦', 'mass', result.msgId],
    ]);
  });

  it('after a timeout re-sends with the same clientmsgid; the platform dedups: one delivery each', async () => {
    const h = await harness();
    const client = h.client({ timeoutMs: 250 });
    await client.getAccessToken();
    h.sim.simulator.recordInteraction(ALICE);
    h.sim.simulator.recordInteraction(BOB);
    h.sim.simulator.injectTimeouts(1, 5_000);
    const result = await client.massSendToOpenids({
      openids: [ALICE, BOB],
      message: { type: 'mpnews', mediaId: 'NEWS_1' },
      clientMsgId: 'broadcast-42',
    });
    expect(result.duplicate).toBe(true);
    expect(h.requests('/cgi-bin/message/mass/send')).toBe(2);
    const deliveries = h.sim.simulator.deliveries();
    expect(deliveries.map((d) => d.touser).sort()).toEqual([ALICE, BOB].sort());
    expect(deliveries.every((d) => d.msgId === result.msgId && d.mediaId === 'NEWS_1')).toBe(true);
    expect(h.errors).toEqual([['message/mass/send', CODE_TIMEOUT]]);
  });

  it('reports an already accepted clientMsgId as a duplicate with the original msg_id', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    const client = h.client();
    const first = await client.massSendByTag({ toAll: true, message: { type: 'text', content: 'x' }, clientMsgId: 'same' });
    const second = await client.massSendByTag({ toAll: true, message: { type: 'text', content: 'x' }, clientMsgId: 'same' });
    expect(second).toEqual({ ...first, duplicate: true });
    expect(h.sim.simulator.deliveries()).toHaveLength(1);
  });

  it('validates the openid list (2–10,000) and the clientMsgId before sending', async () => {
    const h = await harness();
    const client = h.client();
    const message = { type: 'text', content: 'x' } as const;
    await expect(client.massSendToOpenids({ openids: [ALICE], message, clientMsgId: 'a' })).rejects.toThrow(/2 to 10,000 openids, got 1/);
    const many = Array.from({ length: 10_001 }, (_, i) => `o${i}`);
    await expect(client.massSendToOpenids({ openids: many, message, clientMsgId: 'a' })).rejects.toBeInstanceOf(WechatValidationError);
    await expect(client.massSendToOpenids({ openids: [ALICE, BOB], message, clientMsgId: 'x'.repeat(65) })).rejects.toThrow(/clientMsgId/);
    expect(h.requests('/cgi-bin/message/mass/send')).toBe(0);
  });

  it('preview is not re-sent after a timeout', async () => {
    const h = await harness();
    const client = h.client({ timeoutMs: 250 });
    await client.getAccessToken();
    h.sim.simulator.injectTimeouts(1, 5_000);
    await expect(client.massPreview({ openid: ALICE, message: { type: 'text', content: 'p' } })).rejects.toBeInstanceOf(WechatTimeoutError);
    expect(h.sim.simulator.deliveries()).toMatchObject([{ touser: ALICE, api: 'preview' }]);
  });
});

describe('QR codes', () => {
  it('creates a temporary code with a numeric scene, and the show URL encodes the ticket', async () => {
    const h = await harness();
    const qr = await h.client().createQrCode({ permanent: false, scene: 42, expireSeconds: 3600 });
    expect(qr.expireSeconds).toBe(3600);
    expect(qr.url).toMatch(/^http:\/\/weixin\.qq\.com\/q\//);
    expect(qr.showUrl).toBe(`https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=${encodeURIComponent(qr.ticket)}`);
  });

  it('creates permanent codes by number and by string; the same scene keeps its ticket', async () => {
    const h = await harness();
    const client = h.client();
    const byId = await client.createQrCode({ permanent: true, scene: 100_000 });
    const byStr = await client.createQrCode({ permanent: true, scene: 'store-上海-001' });
    expect(byId.expireSeconds).toBeNull();
    expect(byStr.ticket).not.toBe(byId.ticket);
    expect((await client.createQrCode({ permanent: true, scene: 100_000 })).ticket).toBe(byId.ticket);
  });

  it.each([
    [{ permanent: true, scene: 0 }, /1 to 100000/],
    [{ permanent: true, scene: 100_001 }, /1 to 100000/],
    [{ permanent: false, scene: 2 ** 32 }, /32-bit/],
    [{ permanent: false, scene: 1.5 }, /32-bit/],
    [{ permanent: false, scene: '' }, /1 to 64 characters/],
    [{ permanent: true, scene: 's'.repeat(65) }, /1 to 64 characters/],
    [{ permanent: false, scene: 7, expireSeconds: 30 * 24 * 3600 + 1 }, /30 days/],
    [{ permanent: true, scene: 7, expireSeconds: 60 }, /do not expire/],
  ])('refuses %j before calling the API', async (input, message) => {
    const h = await harness();
    await expect(h.client().createQrCode(input)).rejects.toThrow(message);
    expect(h.requests('/cgi-bin/qrcode/create')).toBe(0);
  });

  it('is not re-sent after a timeout', async () => {
    const h = await harness();
    const client = h.client({ timeoutMs: 250 });
    await client.getAccessToken();
    h.sim.simulator.injectTimeouts(1, 5_000);
    await expect(client.createQrCode({ permanent: false, scene: 1 })).rejects.toBeInstanceOf(WechatTimeoutError);
    expect(h.requests('/cgi-bin/qrcode/create')).toBe(1);
  });
});

describe('error classification', () => {
  it('sorts codes into token, transient and permanent', () => {
    expect([40001, 40014, 42001].every(isTokenError)).toBe(true);
    expect(isTokenError(45015)).toBe(false);
    expect([-1, -500, -502, -503].every(isTransient)).toBe(true);
    expect(isTransient(45009)).toBe(false);
    expect([45015, 45047, 40003, 40125, 40164, 48001].every(isPermanent)).toBe(true);
    expect([-1, 40001, 45009, 45011, 45028, CODE_TIMEOUT].some(isPermanent)).toBe(false);
  });

  it('names the code and what it means in the message', () => {
    const error = new WechatApiError('message/custom/send', 45047, 'out of response count limit');
    expect(error.message).toContain('45047');
    expect(error.message).toContain('客服接口下行条数超过上限');
  });
});

