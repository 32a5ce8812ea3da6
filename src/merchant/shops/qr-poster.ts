/**
 * The poster template for a store's QR code: an SVG page (A4, or A5 at the same proportions) with the store's
 * name and city, its welcome line, the code and a call to scan (「扫码关注 立享…」). Drawn in millimetres on an
 * A4 page; A5 is the same drawing scaled (the two papers have the same shape). The text is set in the
 * viewer's Chinese sans-serif font; SVG only (no rasteriser is bundled: print the SVG, or open it and export).
 */
import { qrSvg } from './qr-image.ts';

export const POSTER_PAPERS = ['a4', 'a5'] as const;
type PosterPaper = (typeof POSTER_PAPERS)[number];
/** The call to scan when the merchant gives none. */
export const DEFAULT_POSTER_TEXT = '扫码关注 立享门店专属优惠';

const PAPER_MM: Record<PosterPaper, readonly [number, number]> = { a4: [210, 297], a5: [148, 210] };
const FONT = "'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei',sans-serif";
const GREEN = '#07c160';

export interface PosterInput {
  readonly url: string;
  readonly storeName: string;
  readonly city: string | null;
  /** The store's welcome (its links and tags are dropped: the poster shows the words). */
  readonly welcome: string | null;
  readonly text?: string | undefined;
  readonly paper: PosterPaper;
}

/** @example await posterSvg({ url: qr.url, storeName: '静安店', city: '上海', welcome: store.welcome, paper: 'a4' }) */
export async function posterSvg(p: PosterInput): Promise<string> {
  const [w, h] = PAPER_MM[p.paper];
  const qr = await qrSvg(p.url);
  // The code, re-placed: its own viewBox kept, sized 130 mm and centred.
  const side = 130;
  const code = qr.trim().replace(/^<svg [^>]*?(viewBox="[^"]+")[^>]*>/, `<svg x="${(210 - side) / 2}" y="108" width="${side}" height="${side}" $1 shape-rendering="crispEdges">`);
  const welcome = wrap(plain(p.welcome ?? ''), 30, 3);
  const lines = welcome.map((line, i) => `<text x="105" y="${82 + i * 8}" font-size="6" fill="#333" text-anchor="middle">${xml(line)}</text>`).join('');
  const title = fit(p.storeName, 14);
  const cta = fit(p.text ?? DEFAULT_POSTER_TEXT, 12);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}mm" height="${h}mm" viewBox="0 0 210 297" font-family="${FONT}">`,
    `<title>${xml(p.storeName)}</title>`,
    '<rect width="210" height="297" fill="#ffffff"/>',
    `<rect width="210" height="62" fill="${GREEN}"/>`,
    `<text x="105" y="34" font-size="${title.size}" font-weight="bold" fill="#ffffff" text-anchor="middle">${xml(title.text)}</text>`,
    p.city ? `<text x="105" y="50" font-size="7" fill="#ffffff" fill-opacity="0.85" text-anchor="middle">${xml(p.city)}</text>` : '',
    lines,
    `<rect x="${(210 - side) / 2 - 3}" y="105" width="${side + 6}" height="${side + 6}" rx="4" fill="none" stroke="${GREEN}" stroke-width="0.8"/>`,
    code,
    `<text x="105" y="260" font-size="${cta.size}" font-weight="bold" fill="${GREEN}" text-anchor="middle">${xml(cta.text)}</text>`,
    '<text x="105" y="278" font-size="5" fill="#888" text-anchor="middle">打开微信 · 扫一扫 · 关注公众号</text>',
    '</svg>\n',
  ].join('');
}

/** Welcome text as words: tags dropped, entities and whitespace as one space. */
function plain(s: string): string {
  return s.replace(/<[^>]*>/g, '').replace(/&(lt|gt|amp|quot|#39);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'" })[e]!).replace(/\s+/g, ' ').trim();
}

/** The text's width in ems: a Chinese (or other wide) character is one, a Latin one about half. */
const width = (s: string): number => [...s].reduce((n, c) => n + (c.codePointAt(0)! > 0x2e80 ? 1 : 0.55), 0);

/** Lines of at most `ems` wide, at most `max` of them (the last one ends with … when text is left over). */
function wrap(s: string, ems: number, max: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const c of s) {
    if (width(line + c) > ems) {
      out.push(line);
      line = '';
      if (out.length === max) break;
    }
    line += c;
  }
  if (out.length < max && line) out.push(line);
  else if (out.length === max && width(out.join('')) < width(s)) out[max - 1] = out[max - 1]!.slice(0, -1) + '…';
  return out;
}

/** A line at a font size (mm) that keeps it within the page's 180 mm, at most `size`. */
function fit(text: string, size: number): { text: string; size: number } {
  const w = width(text);
  return { text, size: w * size <= 180 ? size : Math.max(4, Math.floor((180 / w) * 10) / 10) };
}

const xml = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
