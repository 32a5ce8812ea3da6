/**
 * A store's QR code drawn here, from what WeChat encodes (the code's `url`), at print sizes: a PNG at 300 dpi
 * (the density written into the file, so a printer prints it at its size) or an SVG measured in millimetres.
 * Nothing is fetched from WeChat: the image is the same code the platform's `showqrcode` would show.
 */
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import QRCode from 'qrcode';

const deflateAsync = promisify(deflate);

/** The print sizes (the printed code's side), as the API names them. */
export const QR_SIZES = ['8cm', '12cm', '30cm'] as const;
export type QrSize = (typeof QR_SIZES)[number];
export const QR_FORMATS = ['png', 'svg'] as const;

const DPI = 300;
const CM_PER_INCH = 2.54;
/** White space around the code, in modules: the standard's quiet zone. */
const QUIET_ZONE = 4;

/** The side of a size's PNG in pixels at 300 dpi: 8 cm → 945, 12 cm → 1417, 30 cm → 3543. */
const pixelsOf = (size: QrSize): number => Math.round((Number.parseInt(size, 10) / CM_PER_INCH) * DPI);

/**
 * The code as SVG: `width`/`height` in millimetres when a size is given (print), or unsized (a poster places it).
 * @example await qrSvg(qr.url, '12cm') // '<svg width="120mm" height="120mm" xmlns=… viewBox="0 0 33 33" …'
 */
export async function qrSvg(url: string, size?: QrSize): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: QUIET_ZONE });
  if (!size) return svg;
  const mm = Number.parseInt(size, 10) * 10;
  return svg.replace('<svg ', `<svg width="${mm}mm" height="${mm}mm" `);
}

/**
 * The code as a PNG at 300 dpi, `pixelsOf(size)` pixels square: one bit per pixel (black or white), the
 * scanlines built from the code's modules and compressed on libuv's thread pool, so even the 30 cm image
 * (3543 px) keeps the event loop free for the webhook (qrcode's own PNG writer takes ~1.5 s of it).
 * @example await qrPng(qr.url, '8cm') // a 945 × 945 PNG
 */
export async function qrPng(url: string, size: QrSize): Promise<Buffer> {
  const px = pixelsOf(size);
  const modules = QRCode.create(url, { errorCorrectionLevel: 'M' }).modules;
  const side = modules.size + 2 * QUIET_ZONE;
  // The module under each pixel column and row (negative or past the end: the quiet zone).
  const moduleAt = (p: number) => Math.floor((p * side) / px) - QUIET_ZONE;
  const dark = (row: number, col: number) => row >= 0 && col >= 0 && row < modules.size && col < modules.size && modules.get(row, col) === 1;
  const stride = 1 + Math.ceil(px / 8); // the filter byte (0: none), then 8 pixels a byte, 1 = white
  const lines = new Map<number, Buffer>();
  const lineOf = (row: number): Buffer => {
    let line = lines.get(row);
    if (!line) {
      line = Buffer.alloc(stride, 0xff);
      line[0] = 0;
      for (let x = 0; x < px; x++) if (dark(row, moduleAt(x))) line[1 + (x >> 3)]! &= ~(0x80 >> (x & 7));
      lines.set(row, line);
    }
    return line;
  };
  const raw = Buffer.alloc(stride * px);
  for (let y = 0; y < px; y++) lineOf(moduleAt(y)).copy(raw, y * stride);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(px, 0);
  header.writeUInt32BE(px, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, not interlaced
  const density = Buffer.alloc(9);
  const perMetre = Math.round(DPI / 0.0254);
  density.writeUInt32BE(perMetre, 0);
  density.writeUInt32BE(perMetre, 4);
  density[8] = 1; // the unit is the metre
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('pHYs', density), chunk('IDAT', await deflateAsync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG chunk: length, type, data, and the CRC of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(4 + typed.length + 4);
  out.writeUInt32BE(data.length, 0);
  typed.copy(out, 4);
  out.writeUInt32BE(crc32(typed), 4 + typed.length);
  return out;
}
let table: Uint32Array | null = null;
/** PNG's CRC-32 (ISO 3309) over a chunk's type and data. */
function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = table[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
