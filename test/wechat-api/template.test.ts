/**
 * Template messages through the real client and the simulator over HTTP: the field rules applied before sending
 * (20 characters with 「…」, no line breaks), the platform's refusals (40037, 40003, 43004, 47003, the daily
 * quota), client_msg_id deduplication, and injected errors retried like the other sends.
 */
import { describe, expect, it } from 'vitest';
import { WechatApiError, WechatValidationError } from '../../src/wechat-api/errors.ts';
import { fitTemplateValue } from '../../src/wechat-api/template.ts';
import { harness } from './harness.ts';

const FAN = 'o-template-fan-1';
const TPL = 'tpl-order-1';

async function ready(options: Parameters<typeof harness>[0] = {}) {
  const h = await harness(options);
  h.sim.simulator.addTemplate(TPL, ['character_string1', 'thing2', 'thing3']);
  h.sim.simulator.addFollower(FAN);
  return h;
}

const codeOf = async (p: Promise<unknown>) => p.then(() => 0, (e: unknown) => (e instanceof WechatApiError ? e.code : -9999));

describe('fitting values to the platform\'s field rules', () => {
  it('keeps a short value, joins lines with a space, and cuts a long one to 20 characters ending in …', () => {
    expect(fitTemplateValue('订单 1234')).toBe('订单 1234');
    expect(fitTemplateValue('上海市静安区\n愚园路1号')).toBe('上海市静安区 愚园路1号');
    const cut = fitTemplateValue('法式复古碎花连衣裙（收腰显瘦款）M码 ×2，T恤 ×1');
    expect([...cut].length).toBeLessThanOrEqual(20);
    expect([...fitTemplateValue('一二三四五六七八九十一二三四五六七八九十一')]).toHaveLength(20);
    expect(cut.endsWith('…')).toBe(true);
    expect(fitTemplateValue('12345678901234567890')).toBe('12345678901234567890');
  });
});

describe('sending a template message', () => {
  it('reaches the follower with each field as sent, fitted before it left', async () => {
    const h = await ready();
    const r = await h.client().sendTemplateMessage({
      openid: FAN, templateId: TPL, url: 'https://shop.example.com/o/1',
      data: { character_string1: '1234', thing2: '法式复古碎花连衣裙（收腰显瘦款）M码 ×2', thing3: '上海市\r\n静安区' },
    });
    expect(r.msgId).toMatch(/^\d+$/);
    const [d] = h.sim.simulator.deliveries();
    expect(d).toMatchObject({ api: 'template', touser: FAN, templateId: TPL, url: 'https://shop.example.com/o/1', msgId: r.msgId });
    expect(d!.data!.character_string1).toBe('1234');
    expect(d!.data!.thing2).toBe(fitTemplateValue('法式复古碎花连衣裙（收腰显瘦款）M码 ×2'));
    expect(d!.data!.thing2!.endsWith('…')).toBe(true);
    expect(d!.data!.thing3).toBe('上海市 静安区');
  });

  it('is refused with the platform\'s codes: unknown template 40037, bad openid 40003, not a follower 43004, a field the template lacks 47003', async () => {
    const h = await ready();
    const c = h.client();
    expect(await codeOf(c.sendTemplateMessage({ openid: FAN, templateId: 'nope', data: { thing2: 'x' } }))).toBe(40037);
    expect(await codeOf(c.sendTemplateMessage({ openid: 'bad openid!', templateId: TPL, data: { thing2: 'x' } }))).toBe(40003);
    expect(await codeOf(c.sendTemplateMessage({ openid: 'o-stranger-42', templateId: TPL, data: { thing2: 'x' } }))).toBe(43004);
    expect(await codeOf(c.sendTemplateMessage({ openid: FAN, templateId: TPL, data: { amount9: '¥1' } }))).toBe(47003);
    expect(h.sim.simulator.deliveries()).toEqual([]);
    await expect(c.sendTemplateMessage({ openid: FAN, templateId: TPL, data: {} })).rejects.toBeInstanceOf(WechatValidationError);
  });

  it('stops at the daily quota with 45009', async () => {
    const h = await ready({ simulator: { templateQuotaPerDay: 2 } });
    const c = h.client();
    const send = () => c.sendTemplateMessage({ openid: FAN, templateId: TPL, data: { thing2: '新订单' } });
    await send();
    await send();
    expect(await codeOf(send())).toBe(45009);
    expect(h.sim.simulator.deliveries()).toHaveLength(2);
  });

  it('delivers once for one client_msg_id, even when the answer was lost and the client sent it again', async () => {
    const h = await ready();
    h.sim.simulator.injectTimeouts(1, 5_000);
    const c = h.client({ timeoutMs: 300 });
    const r = await c.sendTemplateMessage({ openid: FAN, templateId: TPL, data: { thing2: '新订单' }, clientMsgId: 'notice-7' });
    expect(h.sim.simulator.deliveries()).toHaveLength(1);
    expect(h.sim.simulator.deliveries()[0]!.msgId).toBe(r.msgId);
    expect(h.requests('/cgi-bin/message/template/send')).toBe(2);
  });

  it('retries an injected busy answer (-1) and delivers', async () => {
    const h = await ready();
    h.sim.simulator.injectErrors([-1]);
    await h.client().sendTemplateMessage({ openid: FAN, templateId: TPL, data: { thing2: '新订单' } });
    expect(h.sim.simulator.deliveries()).toHaveLength(1);
  });

  it('takes templates and followers through the control routes', async () => {
    const h = await harness();
    const post = (p: string, body: unknown) => fetch(`${h.sim.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/templates', { template_id: 'tpl-x', fields: ['thing1'] })).status).toBe(200);
    expect((await post('/templates', { template_id: 'bad id' })).status).toBe(400);
    expect((await post('/followers', { openid: FAN })).status).toBe(200);
    const listed = (await (await fetch(`${h.sim.url}/templates`)).json()) as { templates: unknown[] };
    expect(listed.templates).toEqual([{ template_id: 'tpl-x', fields: ['thing1'] }]);
    await h.client().sendTemplateMessage({ openid: FAN, templateId: 'tpl-x', data: { thing1: '你好' } });
    const got = (await (await fetch(`${h.sim.url}/deliveries`)).json()) as { deliveries: { api: string; data: unknown }[] };
    expect(got.deliveries).toMatchObject([{ api: 'template', data: { thing1: '你好' } }]);
  });
});
