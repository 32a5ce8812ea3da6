/**
 * QA finding 6: a store's welcome took any link, so `POST /api/stores {"welcome": "<a href=\"javascript:…\">"}`
 * answered 201 and a SCAN through the store's code sent the link to the follower verbatim (rule replies and
 * broadcasts already refused such links). Over real HTTP, signed WeChat XML and a real SQLite file: the
 * welcome is checked on write like a rule's text reply (create and change), and a welcome already stored
 * with such a link (before the check, or by hand) reaches the follower without it.
 */
import { describe, expect, it } from 'vitest';
import { adminServer } from '../admin/harness.ts';

const h = await adminServer();

describe('a store welcome with a link that is not http(s)', () => {
  it.each([
    ['javascript:', '<a href="javascript:alert(1)">x</a>'],
    ['an entity-encoded javascript:', '欢迎！<a href="&#106;avascript&colon;alert(1)">领券</a>'],
    ['data:', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">领券</a>'],
  ])('is refused on create: %s', async (_what, welcome) => {
    const r = await h.api('POST', '/stores', { id: 'st-js', name: '坏链接店', welcome });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation');
    expect(r.body.error.details).toEqual([{ path: 'welcome', message: expect.stringContaining('only http:// or https:// links') }]);
    expect((await h.api('GET', '/stores/st-js')).status).toBe(404);
    expect(await h.event('o_js', 'SCAN', { EventKey: 'st-js', Ticket: 't' })).not.toContain('javascript');
  });

  it('is refused on change, and the old welcome stays', async () => {
    expect((await h.api('POST', '/stores', { id: 'st-ok', name: '好店', welcome: '欢迎 <a href="https://shop.example.com/coupon">领券</a>' })).status).toBe(201);
    const r = await h.api('PATCH', '/stores/st-ok', { welcome: '<a href="javascript:alert(1)">x</a>' });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'welcome' })]);
    expect(await h.event('o_ok', 'SCAN', { EventKey: 'st-ok', Ticket: 't' })).toBe('欢迎 <a href="https://shop.example.com/coupon">领券</a>');
  });

  it('already stored, reaches the follower without the link (its words stay)', async () => {
    expect((await h.api('POST', '/stores', { id: 'st-old', name: '老店', welcome: 'placeholder' })).status).toBe(201);
    // As an older version (or a hand edit) could have stored it; then a change that keeps it, so the server reloads.
    await h.server.sql.run("UPDATE stores SET welcome = ? WHERE id = 'st-old'", ['欢迎光临 <a href="javascript:alert(1)">领券</a>']);
    expect((await h.api('PATCH', '/stores/st-old', { name: '老店二' })).status).toBe(200);
    const shown = await h.event('o_old', 'SCAN', { EventKey: 'st-old', Ticket: 't' });
    expect(shown).toBe('欢迎光临 领券');
  });
});
