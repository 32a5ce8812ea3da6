/**
 * One line per HTTP request, at debug level: method, path, status, milliseconds, body bytes sent (and
 * `aborted` when the client left before the answer was out). Never the query string: the webhook's carries
 * signature, timestamp, nonce and msg_signature, and any URL may carry what a client put there.
 *
 * Debug, not info: the webhook is the hot path, and at info (the production level) the channel already logs each
 * delivery. Whether debug is on is read once, when the app is built; above debug no middleware is installed at
 * all, so a request pays nothing, not even a level check.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/log.ts';

/** Express middleware, and also called as such for the requests the server answers before express. */
type Middleware = (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void) => void;

/**
 * The access-log middleware, or null when the logger's level is above debug.
 * @example const log = accessLog(logger); if (log) app.use(log); // first, so the time covers every handler
 */
export function accessLog(logger: Logger): Middleware | null {
  if (!logger.isLevelEnabled('debug')) return null;
  const log = logger.child({ component: 'http' });
  return (req, res, next) => {
    const started = performance.now();
    const sent = countBytes(res);
    // 'close' comes once per response, after 'finish' or when the connection went first.
    res.once('close', () => {
      log.debug(
        {
          method: req.method,
          path: pathOnly(req.originalUrl ?? req.url ?? ''),
          status: res.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
          bytes: sent(),
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'request',
      );
    });
    next();
  };
}

/** The URL without its query string (and without a fragment, which no client should send). */
function pathOnly(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/**
 * Counts the body bytes written through `res.write` / `res.end`: exact for streamed answers too, where there is
 * no Content-Length to read. Only ever installed at debug level.
 */
function countBytes(res: ServerResponse): () => number {
  let bytes = 0;
  const add = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
  };
  const write = res.write as (...args: unknown[]) => boolean;
  const end = res.end as (...args: unknown[]) => ServerResponse;
  res.write = function (this: ServerResponse, ...args: unknown[]) {
    add(args[0], args[1]);
    return write.apply(this, args);
  } as typeof res.write;
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (typeof args[0] !== 'function') add(args[0], args[1]);
    return end.apply(this, args);
  } as typeof res.end;
  return () => bytes;
}
