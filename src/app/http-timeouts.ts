/**
 * How long a client may take to send a request. Node's defaults let a slow client hold a connection for 60 s
 * of headers and 300 s of body (and check only every 30 s), so a few hundred trickling sockets tie the
 * server up. The limits:
 * - headers: 10 s. Every legitimate client (WeChat, a browser, curl) sends its headers in one packet.
 * - body: 30 s from the end of the headers. A webhook delivery is a few KB and WeChat gives up after 5 s;
 *   API bodies are at most 4 MB of JSON.
 * - uploads (the `…/import` routes): 10 min, because a 50 MB catalogue on a 1 Mbit/s line takes ~7 min.
 *   Node has one request timeout per server, so the server's `requestTimeout` is the upload limit (the hard
 *   cap on everything) and `bodyDeadline` cuts every other request at the body limit.
 * - keep-alive: 5 s idle between requests (Node's default, stated here; a proxy in front should time out
 *   idle upstream connections sooner than that).
 * - a request answered before its body arrived (404, 401, 413…): the connection is closed after the answer,
 *   on every route, instead of reading the rest of the body (see `closeIfAnsweredEarly`).
 * The limits measure how long the request takes to arrive, not how long the answer takes.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';

export interface HttpTimeouts {
  /** From connection (or the previous response) to the end of the headers. */
  readonly headersMs: number;
  /** From the end of the headers to the end of the body, for every route but uploads. */
  readonly requestMs: number;
  /** The whole request, for uploads (and the hard cap on every request). */
  readonly uploadMs: number;
  /** Idle time allowed between two requests on a kept-alive connection. */
  readonly keepAliveMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, requestMs: 30_000, uploadMs: 600_000, keepAliveMs: 5_000 };

/**
 * An HTTP server with the limits applied. Node checks header and request timeouts on an interval
 * (default 30 s, which would let a 10 s limit run to 40 s); here it is a quarter of the header limit.
 * @example const server = createHttpServer(app, DEFAULT_HTTP_TIMEOUTS); server.listen(3000);
 */
export function createHttpServer(app: RequestListener, t: HttpTimeouts): Server {
  const server = createServer(
    {
      headersTimeout: t.headersMs,
      requestTimeout: Math.max(t.uploadMs, t.requestMs, t.headersMs),
      keepAliveTimeout: t.keepAliveMs,
      connectionsCheckingInterval: Math.max(10, Math.min(5_000, Math.floor(t.headersMs / 4))),
    },
    app,
  );
  return server;
}

const TIMED_OUT = JSON.stringify({ error: { code: 'request_timeout', message: 'the request body arrived too slowly; send it again' } });

/**
 * Express middleware: a request whose body is still arriving `requestMs` after its headers gets 408 and its
 * connection closed; requests for which `isLong` is true are left to the server's upload limit. Any request
 * answered before its body has arrived has its connection closed after the answer. Costs nothing for a
 * request without a body. (`req.complete` is false for every request when express first sees it, the body
 * being parsed after the 'request' event even when it came in the same packet, so it cannot tell alone.)
 * @example app.use(bodyDeadline(30_000, (req) => req.path.endsWith('/import')));
 */
export function bodyDeadline(requestMs: number, isLong: (req: IncomingMessage & { path?: string }) => boolean) {
  // One sweep for every body still arriving, not a timer and two listeners per request: under load those cost
  // more than the webhook's own checks. A body is cut between requestMs and requestMs + one sweep interval.
  const everyMs = Math.max(10, Math.min(1_000, Math.floor(requestMs / 10)));
  const reading = new Map<IncomingMessage, { res: ServerResponse; deadline: number }>();
  let sweeper: NodeJS.Timeout | null = null;
  /**
   * Each new request forgets the two oldest entries whose bodies are in (or moves one still arriving to the back).
   * Left to the sweep alone, an answered request and its response stayed in the map for up to a sweep interval
   * (a second): under load thousands of them, which every young-generation collection copied and then promoted
   * (a fifth of the server's CPU went to the collector's threads). This way an entry lives about as long as its
   * request; the sweep still cuts late bodies and empties the map when traffic stops.
   */
  const retireOldest = () => {
    let seen = 0;
    for (const [req, entry] of reading) {
      reading.delete(req);
      if (!(req.complete || entry.res.writableEnded || req.socket.destroyed)) reading.set(req, entry);
      if (++seen === 2) return;
    }
  };
  const sweep = () => {
    const now = performance.now();
    for (const [req, { res, deadline }] of reading) {
      if (req.complete || res.writableEnded || req.socket.destroyed) reading.delete(req);
      else if (now >= deadline) {
        reading.delete(req);
        timeOut(req, res);
      }
    }
    if (reading.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  };
  return (req: IncomingMessage & { path?: string }, res: ServerResponse, next: () => void): void => {
    if (req.complete || !hasBody(req)) return next();
    res.writeHead = closeIfAnsweredEarly;
    if (isLong(req)) return next();
    if (reading.size > 0) retireOldest();
    reading.set(req, { res, deadline: performance.now() + requestMs });
    sweeper ??= setInterval(sweep, everyMs).unref();
    next();
  };
}

function timeOut(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  res.writeHead(408, { 'content-type': 'application/json; charset=utf-8', connection: 'close', 'x-content-type-options': 'nosniff' });
  res.end(TIMED_OUT, () => req.socket.destroy());
}

/** Whether the request declares a body (a length above 0, or chunks). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * A request answered before its body has arrived (a 404, a 401, a 413 refused on its Content-Length) gets
 * `Connection: close`, so Node closes the socket once the answer is out. Otherwise Node keeps reading the rest
 * of the body to reuse the connection, and a client that declares 50 MB and drips a byte every few seconds
 * holds the socket until the server's hard limit (the upload limit, 10 min) whatever the route, uploads
 * included (their 401 comes before the body is read). Installed only for a request with a body; `writeHead`
 * is wrapped because it is the one call every answer goes through (express's `res.send` included), and the
 * last moment the header can still be set. Handlers that read the body answer after it has arrived, so this
 * closes only refusals (404, 401, 413, 429), including one to a small body not parsed yet: a refused client
 * loses nothing by opening a new connection.
 */
const closeIfAnsweredEarly = function (this: ServerResponse, ...args: unknown[]) {
  if (!this.req.complete && !this.headersSent) this.setHeader('Connection', 'close');
  // The response's own writeHead, as its prototype (express's, then Node's) has it: one function for every
  // request, where a closure per request cost more.
  const own = (Object.getPrototypeOf(this) as ServerResponse).writeHead as (...a: unknown[]) => ServerResponse;
  return own.apply(this, args);
} as ServerResponse['writeHead'];
