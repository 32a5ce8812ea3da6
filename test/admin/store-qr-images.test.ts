/**
 * A store's QR code as an image drawn by the server from the URL WeChat encodes: the PNG decodes back (pngjs +
 * jsQR) to the code's URL at each print size, the SVG is an SVG sized in millimetres, the poster carries the
 * store's name, welcome and code; unknown stores and codes are 404, and store staff get their own store's only.
 */
import { describe, expect, it } from 'vitest';
import { adminServer, ADMIN_TOKEN } from './harness.ts';
import { addUser, signIn } from './staff-client.ts';
import { decodeQrPng } from '../helpers/qr-decode.ts';

const s = await adminServer();
const base = s.server.url;
await s.api('POST', '/stores', { id: 'sh-jingan', name: '静安店', city: '上海', welcome: '欢迎光临<a href="https://shop.example.com">静安店</a>，到店出示本消息享 9 折' });
await s.api('POST', '/stores', { id: 'bj-chaoyang', name: '朝阳店' });
const jingan = (await s.api('POST', '/stores/sh-jingan/qrcodes', {})).body as { id: number; url: string };
const chaoyang = (await s.api('POST', '/stores/bj-chaoyang/qrcodes', { temporary: true, expire_seconds: 600 })).body as { id: number; url: string };
await addUser(s.server.sql, 'clerk', 'store_staff', 'long-enough-pw', 'sh-jingan');

/**
 * GET as bytes, with the token (or the given headers). Once more on a reset connection: decoding the 30 cm PNG
 * blocks this process (client and server) for seconds, after which the server's keep-alive timer and the client's
 * reuse of the idle socket race — the reset any HTTP client retries a GET after (RFC 9110 §9.2.2).
 */
async function get(path: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }) {
  const once = () => fetch(`${base}/api${path}`, { headers });
  const res = await once().catch((err: Error & { cause?: { code?: string } }) => {
    if (err.cause?.code === 'ECONNRESET' || err.cause?.code === 'UND_ERR_SOCKET') return once();
    throw err;
  });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body: Buffer.from(await res.arrayBuffer()) };
}
/** The pixel size a PNG's header declares, and its pHYs density in dots per inch (null: none). */
function pngHeader(b: Buffer): { width: number; height: number; dpi: number | null } {
  const at = b.indexOf('pHYs');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), dpi: at < 0 ? null : Math.round(b.readUInt32BE(at + 4) * 0.0254) };
}

describe('GET /stores/:id/qrcodes/:qr/image', () => {
  it('draws the PNG at 8 cm (the default) and 12 cm at 300 dpi, and it decodes back to the URL WeChat encodes', async () => {
    expect(jingan.url).toMatch(/^http:\/\/weixin\.qq\.com\/q\//);
    for (const [size, px] of [[undefined, 945], ['12cm', 1417]] as const) {
      const r = await get(`/stores/sh-jingan/qrcodes/${jingan.id}/image${size ? `?size=${size}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.type).toBe('image/png');
      const name = `sh-jingan-${jingan.id}-${size ?? '8cm'}.png`;
      expect(r.disposition).toBe(`attachment; filename=${name}`);
      expect(pngHeader(r.body)).toEqual({ width: px, height: px, dpi: 300 });
      expect(decodeQrPng(r.body)).toEqual({ width: px, height: px, text: jingan.url });
    }
    // Another store's code is another URL.
    expect(decodeQrPng((await get(`/stores/bj-chaoyang/qrcodes/${chaoyang.id}/image`)).body).text).toBe(chaoyang.url);
    expect(chaoyang.url).not.toBe(jingan.url);
  });

  it('draws the 30 cm size too (3543 px square, 300 dpi), and it decodes', async () => {
    const r = await get(`/stores/sh-jingan/qrcodes/${jingan.id}/image?size=30cm`);
    expect([r.status, r.type]).toEqual([200, 'image/png']);
    expect(pngHeader(r.body)).toEqual({ width: 3543, height: 3543, dpi: 300 });
    expect(decodeQrPng(r.body).text).toBe(jingan.url);
  });

  it('draws the SVG sized in millimetres', async () => {
    for (const [size, mm] of [['8cm', 80], ['30cm', 300]] as const) {
      const r = await get(`/stores/sh-jingan/qrcodes/${jingan.id}/image?format=svg&size=${size}`);
      expect([r.status, r.type]).toEqual([200, 'image/svg+xml; charset=utf-8']);
      expect(r.disposition).toBe(`attachment; filename=sh-jingan-${jingan.id}-${size}.svg`);
      const svg = r.body.toString('utf8');
      expect(svg).toMatch(new RegExp(`^<svg width="${mm}mm" height="${mm}mm" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 (\\d+) \\1"`));
      expect(svg).toContain('<path');
      expect(svg.trim().endsWith('</svg>')).toBe(true);
    }
  });

  it('refuses a wrong format or size (400), an unknown store or code, or another store\'s code (404)', async () => {
    const bad = await get(`/stores/sh-jingan/qrcodes/${jingan.id}/image?format=gif`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString()).error.message).toContain('format: png or svg');
    expect((await get(`/stores/sh-jingan/qrcodes/${jingan.id}/image?size=10cm`)).status).toBe(400);
    for (const path of ['/stores/nowhere/qrcodes/1/image', `/stores/sh-jingan/qrcodes/${chaoyang.id}/image`, '/stores/sh-jingan/qrcodes/999/image', '/stores/sh-jingan/qrcodes/abc/image', `/stores/sh-jingan/qrcodes/${chaoyang.id}/poster`]) {
      const r = await get(path);
      expect([path, r.status, JSON.parse(r.body.toString()).error.code]).toEqual([path, 404, 'not_found']);
    }
  });
});

describe('GET /stores/:id/qrcodes/:qr/poster', () => {
  it('an A4 SVG page with the store\'s name, city, welcome words (no tags), the code and the call to scan', async () => {
    const r = await get(`/stores/sh-jingan/qrcodes/${jingan.id}/poster`);
    expect([r.status, r.type]).toEqual([200, 'image/svg+xml; charset=utf-8']);
    expect(r.disposition).toBe(`attachment; filename=sh-jingan-${jingan.id}-poster-a4.svg`);
    const svg = r.body.toString('utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="210mm" height="297mm"/);
    for (const text of ['静安店', '上海', '欢迎光临静安店，到店出示本消息享 9 折', '扫码关注 立享门店专属优惠']) expect(svg).toContain(`>${text}<`);
    expect(svg).not.toContain('href');
    // The code itself: a nested SVG with the quiet zone's white square and the modules' path.
    expect(svg).toMatch(/<svg x="40" y="108" width="130" height="130" viewBox="0 0 \d+ \d+"[^>]*><path fill="#ffffff"[^>]*\/><path stroke="#000000" d="M/);
  });

  it('A5 with the merchant\'s own call to scan (escaped); PNG is not offered', async () => {
    const r = await get(`/stores/sh-jingan/qrcodes/${jingan.id}/poster?paper=a5&text=${encodeURIComponent('扫码领 <10元> 券')}`);
    expect(r.status).toBe(200);
    expect(r.disposition).toBe(`attachment; filename=sh-jingan-${jingan.id}-poster-a5.svg`);
    const svg = r.body.toString('utf8');
    expect(svg).toMatch(/width="148mm" height="210mm" viewBox="0 0 210 297"/);
    expect(svg).toContain('>扫码领 &lt;10元&gt; 券<');
    expect((await get(`/stores/sh-jingan/qrcodes/${jingan.id}/poster?format=png`)).status).toBe(400);
    expect((await get(`/stores/sh-jingan/qrcodes/${jingan.id}/poster?text=${'长'.repeat(31)}`)).status).toBe(400);
  });
});

describe('store staff', () => {
  it('download their own store\'s code and poster, and nothing of another store', async () => {
    const clerk = await signIn(base, 'clerk', 'long-enough-pw');
    const as = { cookie: clerk.cookie };
    const own = await get(`/stores/sh-jingan/qrcodes/${jingan.id}/image`, as);
    expect(own.status).toBe(200);
    expect(decodeQrPng(own.body).text).toBe(jingan.url);
    expect((await get(`/stores/sh-jingan/qrcodes/${jingan.id}/poster`, as)).status).toBe(200);
    for (const path of [`/stores/bj-chaoyang/qrcodes/${chaoyang.id}/image`, `/stores/bj-chaoyang/qrcodes/${chaoyang.id}/poster`]) {
      expect((await get(path, as)).status, path).toBe(403);
    }
  });
});
