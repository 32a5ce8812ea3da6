/**
 * A store's QR code drawn here, from what WeChat encodes (the code's `url`), at print sizes: a PNG at 300 dpi
 * (the density written into the file, so a printer prints it at its size) or an SVG measured in millimetres.
 * Nothing is fetched from WeChat: the image is the same code the platform's `showqrcode` would show.
 */
import QRCode from 'qrcode';

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
 * The code as a PNG at 300 dpi, `pixelsOf(size)` pixels square.
 * @example await qrPng(qr.url, '8cm') // a 945 × 945 PNG
 */
export async function qrPng(url: string, size: QrSize): Promise<Buffer> {
  // qrcode draws floor(modules × (width / modules)) pixels, which floating point can make one short: half a pixel more keeps it whole.
  const png = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: QUIET_ZONE, width: pixelsOf(size) + 0.5 });
  return withDensity(png, DPI);
}

/** The PNG with a pHYs chunk (pixels per metre) right after IHDR, so print dialogs take it at its size. */
function withDensity(png: Buffer, dpi: number): Buffer {
  const ihdrEnd = 8 + 4 + 4 + 13 + 4; // signature, then IHDR: length, type, 13 bytes of data, CRC
  const perMetre = Math.round(dpi / 0.0254);
  const data = Buffer.alloc(9);
  data.writeUInt32BE(perMetre, 0);
  data.writeUInt32BE(perMetre, 4);
  data.writeUInt8(1, 8); // the unit is the metre
  const typed = Buffer.concat([Buffer.from('pHYs', 'ascii'), data]);
  const chunk = Buffer.alloc(4 + typed.length + 4);
  chunk.writeUInt32BE(data.length, 0);
  typed.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typed), 4 + typed.length);
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
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
