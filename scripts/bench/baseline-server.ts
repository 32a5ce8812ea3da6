/**
 * The webhook benchmark's baseline: bare express + xml2js that checks the signature, parses the XML and
 * returns a fixed text reply. No dedup record, no logging, no agent: the floor Guang is compared with.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express from 'express';
import xml2js from 'xml2js';

const token = process.env.WECHAT_TOKEN ?? 'bench';
const app = express();
app.post('/wechat', express.text({ type: () => true, limit: '64kb' }), async (req, res) => {
  const { signature = '', timestamp = '', nonce = '' } = req.query as Record<string, string>;
  const expected = createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    res.status(401).send('bad signature');
    return;
  }
  const { xml } = (await xml2js.parseStringPromise(req.body, { explicitArray: false })) as { xml: Record<string, string> };
  res.type('application/xml').send(
    `<xml><ToUserName><![CDATA[${xml.FromUserName}]]></ToUserName><FromUserName><![CDATA[${xml.ToUserName}]]></FromUserName>` +
      `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
      `<Content><![CDATA[收到]]></Content></xml>`,
  );
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
