/**
 * QA finding 8: a path parameter that is not valid percent-encoding (`GET /api/rules/%ff`) answered 500
 * `internal` and logged an error-level URIError stack. Over real HTTP: every admin resource (the API's and
 * the broadcasts') answers 400 `bad_request` with JSON and no stack, and logs nothing at error level.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import { adminServer, ADMIN_TOKEN } from '../admin/harness.ts';

const errors: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString('utf8').split('\n')) if (line && JSON.parse(line).level >= 50) errors.push(line);
    done();
  },
});
const h = await adminServer({ logger: createLogger('debug', sink) });

describe('a path that cannot be decoded', () => {
  it.each(['rules', 'broadcasts', 'products', 'hotels', 'deals', 'stores', 'subscribers'])('GET /api/%s/%%ff answers 400 bad_request', async (resource) => {
    const res = await fetch(`${h.server.url}/api/${resource}/%ff`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(text).error.code).toBe('bad_request');
    expect(text).not.toMatch(/URIError|\bat .*\(|\.ts:\d|node_modules/);
  });

  it('is not logged as a server error', () => {
    expect(errors).toEqual([]);
  });

  it('also on writes: PATCH /api/stores/%E0%A4%A', async () => {
    const res = await fetch(`${h.server.url}/api/stores/%E0%A4%A`, {
      method: 'PATCH', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{"name":"x"}',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('bad_request');
  });
});
