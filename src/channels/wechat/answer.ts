/** How the webhook writes its answers, and the few bodies it answers with. */
import type { ServerResponse } from 'node:http';

export const SUCCESS = 'success';
export const XML = 'application/xml; charset=utf-8';
export const PLAIN = 'text/plain; charset=utf-8';
/** The one answer to every refused request, whatever the reason (see webhook.ts). */
export const INVALID_REQUEST = 'invalid request';

/**
 * The answer to a delivery, written with Node's own response API: express's res.set/res.send parse and
 * re-format the content type and charset on every call, and a delivery's answer needs none of that.
 * `nosniff`: the GET echo is attacker-chosen text; no browser may read it as anything else.
 * @example answer(res, PLAIN, SUCCESS);
 */
export function answer(res: ServerResponse, type: string, body: string, status = 200): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}
