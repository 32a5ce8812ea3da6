/**
 * An imported file read from disk in chunks, so a 50 MB upload never sits in memory whole: its encoding is
 * decided the way `decodeText` decides it (a BOM; UTF-16 by its zero bytes; strict UTF-8 over the whole
 * file; otherwise GB18030), then its text is decoded chunk by chunk (a character split between two chunks
 * is carried over), with `\r\n` and lone `\r` turned into `\n`.
 */
import { open, type FileHandle } from 'node:fs/promises';
import iconv from 'iconv-lite';
import type { TextEncoding } from './encoding.ts';
import { sniffUtf16 } from './encoding.ts';
import { ImportError } from './source.ts';

/** Bytes read at a time: large enough to be cheap, small enough that decoding one never stalls the server. */
const DEFAULT_CHUNK_BYTES = 1 << 20;
/** The start of the file, decoded whole, for the format and the header rows. */
const HEAD_BYTES = 256 * 1024;

export interface FileText {
  readonly encoding: TextEncoding;
  /** The first lines of the text (up to 256 KB, cut after a line break unless that is the whole file). */
  readonly head: string;
  /** Line breaks in the file (an estimate of its rows, for progress). */
  readonly lines: number;
  /** The whole text in chunks, from the start each time it is called. */
  chunks(): AsyncGenerator<string>;
}

/**
 * Opens an imported file: decides its encoding (one pass over the bytes for UTF-8 validity, without keeping
 * them), reads its head, and counts its lines.
 * @example const f = await openFileText('products.csv'); detectFormat(f.head); for await (const s of f.chunks()) …
 */
export async function openFileText(file: string, chunkBytes = DEFAULT_CHUNK_BYTES): Promise<FileText> {
  const size = Math.max(4, chunkBytes);
  const { encoding, bom, lines } = await sniff(file, size);
  const chunks = () => decodedChunks(file, encoding, bom, size);
  let head = '';
  for await (const chunk of chunks()) {
    head += chunk;
    if (head.length >= HEAD_BYTES) break;
  }
  const cut = head.length >= HEAD_BYTES ? head.lastIndexOf('\n') : -1;
  return { encoding, head: cut > 0 ? head.slice(0, cut + 1) : head, lines, chunks };
}

async function openOrExplain(file: string): Promise<FileHandle> {
  try {
    return await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new ImportError('unreadable', `cannot read ${file}: ${why}`);
  }
}

async function* byteChunks(file: string, size: number): AsyncGenerator<Uint8Array> {
  const handle = await openOrExplain(file);
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(buffer, 0, size, null).catch((err: NodeJS.ErrnoException) => {
        throw new ImportError('unreadable', `cannot read ${file}: ${err.code === 'EISDIR' ? 'it is a directory' : err.message}`);
      });
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** The encoding and BOM length, as `decodeText` would decide them, and the number of `\n` (or `\r`) bytes. */
async function sniff(file: string, size: number): Promise<{ encoding: TextEncoding; bom: number; lines: number }> {
  let first: Uint8Array | null = null;
  let decided: { encoding: TextEncoding; bom: number } | null = null;
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let utf8 = true;
  let lf = 0;
  let cr = 0;
  let last = -1;
  for await (const bytes of byteChunks(file, size)) {
    if (first === null) {
      first = bytes;
      decided = fromStart(bytes);
    }
    if (decided === null && utf8) {
      try {
        strict.decode(bytes, { stream: true });
      } catch {
        utf8 = false;
      }
    }
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lf++;
    if (lf === 0) for (let i = bytes.indexOf(13); i !== -1; i = bytes.indexOf(13, i + 1)) cr++;
    last = bytes[bytes.length - 1]!;
  }
  if (decided === null && utf8) {
    try {
      strict.decode(); // a multi-byte character cut off by the end of the file
    } catch {
      utf8 = false;
    }
  }
  const breaks = lf > 0 ? lf : cr;
  const lines = breaks + (last === 10 || last === 13 || last === -1 ? 0 : 1);
  return { ...(decided ?? (utf8 ? { encoding: 'utf-8', bom: 0 } : { encoding: 'gbk', bom: 0 })), lines };
}

function fromStart(b: Uint8Array): { encoding: TextEncoding; bom: number } | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  const utf16 = sniffUtf16(b);
  return utf16 ? { encoding: utf16 === 'le' ? 'utf-16le' : 'utf-16be', bom: 0 } : null;
}

interface Decoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

function decoder(encoding: TextEncoding): Decoder {
  if (encoding === 'gbk') {
    const d = iconv.getDecoder('gb18030');
    return { write: (b) => d.write(Buffer.from(b.buffer, b.byteOffset, b.byteLength)), end: () => d.end() ?? '' };
  }
  // A BOM-less or BOM-dropped file: lenient like decodeText (a bad byte becomes U+FFFD).
  const d = new TextDecoder(encoding, { ignoreBOM: true });
  return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
}

async function* decodedChunks(file: string, encoding: TextEncoding, bom: number, size: number): AsyncGenerator<string> {
  const d = decoder(encoding);
  let skip = bom;
  let carry = ''; // a '\r' at the end of a chunk may be the first half of '\r\n'
  for await (let bytes of byteChunks(file, size)) {
    if (skip > 0) {
      const n = Math.min(skip, bytes.length);
      bytes = bytes.subarray(n);
      skip -= n;
    }
    let text = carry + d.write(bytes);
    carry = '';
    if (text.endsWith('\r')) {
      carry = '\r';
      text = text.slice(0, -1);
    }
    if (text !== '') yield unify(text);
  }
  const rest = carry + d.end();
  if (rest !== '') yield unify(rest);
}

const unify = (text: string): string => (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);
