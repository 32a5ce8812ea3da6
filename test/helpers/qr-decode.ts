/** Reads a QR code back out of a PNG (pngjs decodes the file, jsQR finds and reads the code), as a phone would. */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** The PNG's size and the text its code encodes (null: no readable code). */
export function decodeQrPng(file: Buffer): { width: number; height: number; text: string | null } {
  const png = PNG.sync.read(file);
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  return { width: png.width, height: png.height, text: code?.data ?? null };
}
