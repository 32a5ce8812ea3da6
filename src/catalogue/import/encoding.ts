/**
 * Bytes → text for imported files. Merchant files come as UTF-8 (with or without a BOM), UTF-16LE (what
 * 淘宝助理 and Excel's "Unicode text" write, with or without a BOM) or GBK (Excel and 淘宝助理 on a Chinese
 * Windows). Decided in that order: a BOM; UTF-16 by its zero bytes; strict UTF-8; otherwise GB18030
 * (a superset of GBK).
 */
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gbk';

export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncoding;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes an imported file, detecting its encoding; a BOM is dropped.
 * @example decodeText(readFileSync('taobao.csv')) // → { text: 'version 1.00\n…', encoding: 'gbk' }
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  const b = bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { text: lenientUtf8(b.subarray(3)), encoding: 'utf-8' };
  if (b[0] === 0xff && b[1] === 0xfe) return { text: decodeUtf16(b.subarray(2), 'le'), encoding: 'utf-16le' };
  if (b[0] === 0xfe && b[1] === 0xff) return { text: decodeUtf16(b.subarray(2), 'be'), encoding: 'utf-16be' };
  const utf16 = sniffUtf16(b);
  if (utf16) return { text: decodeUtf16(b, utf16), encoding: utf16 === 'le' ? 'utf-16le' : 'utf-16be' };
  try {
    return { text: utf8.decode(b), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength), 'gb18030'), encoding: 'gbk' };
  }
}

const lenientUtf8 = (b: Uint8Array): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);

function decodeUtf16(b: Uint8Array, order: 'le' | 'be'): string {
  return new TextDecoder(order === 'le' ? 'utf-16le' : 'utf-16be', { ignoreBOM: true }).decode(b);
}

/**
 * UTF-16 without a BOM: text files start with ASCII (a header row, `version 1.00`), whose UTF-16 form has a
 * zero in every other byte. UTF-8 and GBK text never contains zero bytes.
 */
export function sniffUtf16(b: Uint8Array): 'le' | 'be' | null {
  const n = Math.min(b.length - (b.length % 2), 512);
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= pairs * 0.3 && evenZeros < pairs * 0.05) return 'le';
  if (evenZeros >= pairs * 0.3 && oddZeros < pairs * 0.05) return 'be';
  return null;
}
