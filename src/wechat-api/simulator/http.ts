/**
 * The simulator's HTTP side for the platform's endpoints: the route table, one pipeline for every API call
 * (request count, injected faults, token check, handler), the express routes, the no-express fast path for
 * a plain node:http server, and the platform's answer (47001) to a body that is not JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response, Router } from 'express';
import { describeWechatError } from '../errors.ts';
import { customSend } from './customer-service.ts';
import { menuCreate, menuDelete, menuGet } from './menu.ts';
import { massPreview, massSend, massSendAll } from './mass.ts';
import { authorize, exchangeCode } from './oauth.ts';
import { qrCreate } from './qr.ts';
import { templateSend } from './template.ts';
import type { SimState } from './state.ts';
import { checkToken, legacyToken, stableToken } from './tokens.ts';
import { fail, isObject, type Answer, type ApiRequest } from './wire.ts';

type ApiHandler = (s: SimState, req: ApiRequest, now: number) => Answer;

/** The endpoints that need a token and take injected faults (the token endpoints take neither). */
const API_ROUTES: Readonly<Record<string, ApiHandler>> = {
  '/cgi-bin/message/custom/send': customSend,
  '/cgi-bin/message/mass/sendall': massSendAll,
  '/cgi-bin/message/mass/send': massSend,
  '/cgi-bin/message/mass/preview': massPreview,
  '/cgi-bin/qrcode/create': qrCreate,
  '/cgi-bin/message/template/send': templateSend,
  '/cgi-bin/menu/create': menuCreate,
};

/** The same, called with GET (through express only: the fast path serves POSTs). */
const API_GET_ROUTES: Readonly<Record<string, ApiHandler>> = {
  '/cgi-bin/menu/get': menuGet,
  '/cgi-bin/menu/delete': menuDelete,
};

const BODY_LIMIT = 2 * 1024 * 1024;

function count(s: SimState, route: string): void {
  s.requests[route] = (s.requests[route] ?? 0) + 1;
}

/** Waits `ms`, or less if the caller hangs up or the simulator is reset. */
function hang(s: SimState, ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      s.hanging.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
    s.hanging.add(done);
  });
}

/**
 * An API call: token check, injected faults, then the handler. null when the caller hung up meanwhile;
 * else the answer (JSON) or, for injected HTTP errors, the status to answer with an HTML page.
 */
async function apiCall(
  s: SimState,
  route: string,
  handler: ApiHandler,
  req: ApiRequest,
  res: ServerResponse,
  checksToken = true,
): Promise<{ status: number; answer: Answer } | null> {
  count(s, route);
  const now = s.config.clock.now();
  const delayMs = s.forcedTimeouts.shift() ?? 0;
  const forced = s.forcedErrors.shift();
  let status = 200;
  let answer: Answer;
  if (forced !== undefined) {
    if (forced <= -500 && forced >= -599) status = -forced;
    answer = fail(forced, `injected: ${describeWechatError(forced).en}`);
  } else {
    answer = (checksToken ? checkToken(s, req, now) : null) ?? handler(s, req, now);
  }
  if (s.config.debug) s.config.logger.debug({ route, errcode: answer.errcode ?? 0, delayMs }, 'simulator: API call');
  // The work is done (and recorded) before the delay: a lost answer, not a lost request.
  if (delayMs > 0) await hang(s, delayMs, res);
  if (res.writableEnded || res.destroyed) return null;
  return { status, answer };
}

/** An API route for the express router; the answer is always JSON, HTTP 200 (but injected HTTP errors). */
function apiRoute(s: SimState, route: string, handler: ApiHandler, checksToken = true) {
  return async (req: Request, res: Response): Promise<void> => {
    const r = await apiCall(s, route, handler, req, res, checksToken);
    if (r === null) return;
    if (r.status !== 200) res.status(r.status).type('text/html').send(`<html><body>${r.status}</body></html>`);
    else res.json(r.answer);
  };
}

/** A token route: counted, never faulted; a null answer is a 404 page (the endpoint is switched off). */
function tokenRoute(s: SimState, route: string, handler: (req: Request) => Answer | null) {
  return (req: Request, res: Response): void => {
    count(s, route);
    const answer = handler(req);
    if (answer === null) {
      res.status(404).type('text/html').send('<html><body>404 Not Found</body></html>');
      return;
    }
    s.config.logger.debug({ route, errcode: answer.errcode ?? 0 }, 'simulator: token call');
    res.json(answer);
  };
}

/** Mounts the platform's endpoints (tokens first, then the API routes) on the simulator's router. */
export function mountApi(router: Router, s: SimState): void {
  router.get('/cgi-bin/token', tokenRoute(s, '/cgi-bin/token', (req) => legacyToken(s, req.query)));
  router.post(
    '/cgi-bin/stable_token',
    tokenRoute(s, '/cgi-bin/stable_token', (req) => (s.config.stableTokenEnabled ? stableToken(s, req.body) : null)),
  );
  for (const [route, handler] of Object.entries(API_ROUTES)) router.post(route, apiRoute(s, route, handler));
  for (const [route, handler] of Object.entries(API_GET_ROUTES)) router.get(route, apiRoute(s, route, handler));
  // Web authorisation: the browser's redirect, and the code exchange (no access token; takes injected faults).
  router.get('/connect/oauth2/authorize', (req, res) => authorize(s, req, res));
  router.get('/sns/oauth2/access_token', apiRoute(s, '/sns/oauth2/access_token', exchangeCode, false));
}

/**
 * A body that is not JSON gets the platform's answer (47001), not an HTML error page. The router uses it
 * for the bodies it parses; an app that parses JSON before the router needs it after the router too.
 */
export function malformedJson(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (isObject(error) && error.type === 'entity.parse.failed') {
    res.json(fail(47001, 'data format error'));
    return;
  }
  next(error);
}

/** The fast path's parse of a query string: repeated keys become arrays, as express's parser does. */
function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const had = query[k];
    query[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return query;
}

/** As express.json (strict): empty → {}, only an object or array is JSON here; undefined for anything else. */
function parseBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return /^\s*[[{]/.test(text) ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The fast path (see `Simulator.serveApi`): answers a POST to an API endpoint under `prefix` without
 * express, with the same rules and answers; false for any other request.
 */
export function serveApi(s: SimState, req: IncomingMessage, res: ServerResponse, prefix: string): boolean {
  const url = req.url ?? '';
  if (req.method !== 'POST' || !url.startsWith(prefix)) return false;
  const q = url.indexOf('?');
  const route = url.slice(prefix.length, q < 0 ? undefined : q);
  const handler = Object.hasOwn(API_ROUTES, route) ? API_ROUTES[route]! : null;
  if (!handler) return false;
  const query = q >= 0 ? parseQuery(url.slice(q + 1)) : {};
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= BODY_LIMIT) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > BODY_LIMIT) return writeRaw(res, 413, null);
    const body = parseBody(Buffer.concat(chunks).toString('utf8'));
    if (body === undefined) return writeRaw(res, 200, fail(47001, 'data format error'));
    apiCall(s, route, handler, { query, body }, res).then(
      (r) => r !== null && writeRaw(res, r.status, r.answer),
      (error: unknown) => {
        s.config.logger.error({ err: error, route }, 'simulator: API call failed');
        if (!res.headersSent) writeRaw(res, 500, null);
      },
    );
  });
  return true;
}

/** Answers JSON (or, for a non-200 status without an answer, the HTML page express would send). */
function writeRaw(res: ServerResponse, status: number, answer: Answer | null): void {
  if (res.writableEnded || res.destroyed) return;
  const text = answer === null || status !== 200 ? `<html><body>${status}</body></html>` : JSON.stringify(answer);
  res.writeHead(status, {
    'content-type': answer === null || status !== 200 ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
