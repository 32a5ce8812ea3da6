/**
 * A delivery's body read straight off the request, for the webhook's own POST path (webhook.ts `serve`): what
 * `express.text()` does for a UTF-8 body that is not compressed, without the router, body-parser, raw-body and
 * iconv-lite around it. Bodies in another charset or with a Content-Encoding are not read here: they go
 * through express, which decodes them (see `readsPlainly`).
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** Why a body could not be read: over the limit (413), or the request broke off (400). */
export class BodyError extends Error {
  constructor(readonly status: 413 | 400) {
    super(status === 413 ? 'body too large' : 'request aborted');
  }
}

/** A `charset` parameter that is not UTF-8 (`charset=utf-8`, `charset="UTF-8"` and `utf8` are). */
const OTHER_CHARSET = /;\s*charset\s*=\s*(?!"?utf-?8"?\s*(?:;|$))/i;

/**
 * Whether `readBody` reads this request as `express.text()` would: no Content-Encoding (or `identity`) and no
 * charset but UTF-8. One or two header reads for a WeChat delivery, which has neither.
 */
export function readsPlainly(headers: IncomingHttpHeaders): boolean {
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const type = headers['content-type'];
  return type === undefined || !OTHER_CHARSET.test(type);
}

/**
 * The body as UTF-8 text (a leading byte-order mark dropped, as iconv-lite does for express), or a BodyError: 413
 * as soon as more than `limit` bytes have come (reading stops there), 400 when the request broke off first.
 * @example const xml = await readBody(req, 64 * 1024);
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let first: Buffer | null = null;
    let more: Buffer[] | null = null;
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        stop();
        req.pause();
        reject(new BodyError(413));
        return;
      }
      if (first === null) first = chunk;
      else (more ??= [first]).push(chunk);
    };
    const onEnd = () => {
      stop();
      const text = more ? Buffer.concat(more, received).toString('utf8') : first ? first.toString('utf8') : '';
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    };
    const onBroken = () => {
      stop();
      reject(new BodyError(400));
    };
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onBroken);
      req.off('close', onBroken);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onBroken);
    // 'close' before 'end': the connection went (or the body deadline cut it) while the body was arriving.
    req.on('close', onBroken);
  });
}
