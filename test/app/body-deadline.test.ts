/**
 * The body deadline's bookkeeping (src/app/http-timeouts.ts) holds a request only while its body may still be
 * arriving: an answered request is let go when the next one comes, not kept alive until the next sweep; and a
 * body still trickling in is cut at its deadline however many requests come and go around it. Plain objects in
 * place of Node's request and response: what is tested is the map, not the sockets (test/security/http-timeouts
 * does those).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { bodyDeadline } from '../../src/app/http-timeouts.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

class FakeResponse {
  writableEnded = false;
  headersSent = false;
  status: number | null = null;
  readonly headers: Record<string, string> = {};
  constructor(readonly req: FakeRequest) {}
  setHeader(name: string, value: string): void {
    this.headers[name.toLowerCase()] = value;
  }
  writeHead(status: number): this {
    this.status = status;
    this.headersSent = true;
    return this;
  }
  end(_body?: string, done?: () => void): void {
    this.writableEnded = true;
    done?.();
  }
}

interface FakeRequest {
  complete: boolean;
  readonly headers: Record<string, string>;
  readonly socket: { destroyed: boolean; destroy(): void };
}

function request(): { req: FakeRequest; res: FakeResponse } {
  const req: FakeRequest = { complete: false, headers: { 'content-length': '300' }, socket: { destroyed: false, destroy() { this.destroyed = true; } } };
  return { req, res: new FakeResponse(req) };
}

const noop = () => {};
const take = (deadline: ReturnType<typeof bodyDeadline>, r: { req: FakeRequest; res: FakeResponse }) =>
  deadline(r.req as unknown as IncomingMessage, r.res as unknown as ServerResponse, noop);
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the body deadline', () => {
  it('lets go of an answered request when the next request arrives, before any sweep', async () => {
    // A sweep every second: the test is over long before the first one.
    const deadline = bodyDeadline(30_000, () => false);
    let answered: ReturnType<typeof request> | null = request();
    take(deadline, answered);
    answered.req.complete = true;
    answered.res.end();
    const gone = new WeakRef(answered.req);
    answered = null;
    take(deadline, request());
    await nextTurn(); // a WeakRef holds its target until the end of the job that made it
    gc();
    expect(gone.deref()).toBeUndefined();
  });

  it('still cuts a body trickling in while other requests come and go', async () => {
    const deadline = bodyDeadline(100, () => false); // swept every 10 ms
    const slow = request();
    take(deadline, slow);
    for (let i = 0; i < 20; i++) {
      const quick = request();
      take(deadline, quick);
      quick.req.complete = true;
      quick.res.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(slow.res.status).toBe(408);
    expect(slow.req.socket.destroyed).toBe(true);
  });
});
