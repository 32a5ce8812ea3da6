/**
 * Secrets never reach the logs (src/core/log.ts): a logged account object has its token and keys censored,
 * whether in a line or in a child logger's bindings; an account id, the webhook line's `account`, passes as it is.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

const account = { id: 'shop2', name: '小店', token: 'tok-secret', appSecret: 'app-secret', aesKey: 'aes-secret', previousAesKey: 'old-secret' };
const censored = { id: 'shop2', name: '小店', token: '[redacted]', appSecret: '[redacted]', aesKey: '[redacted]', previousAesKey: '[redacted]' };

describe('log redaction', () => {
  it('censors the secrets of an account logged whole', async () => {
    const { logger, lines } = capture();
    logger.info({ account }, 'saved');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]!.account).toEqual(censored);
    expect(account.token).toBe('tok-secret'); // the caller's object is left alone
  });

  it('censors them in a child logger\'s bindings too', async () => {
    const { logger, lines } = capture();
    logger.child({ account }).info('bound');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]!.account).toEqual(censored);
  });

  it('writes an account id as it is', async () => {
    const { logger, lines } = capture();
    logger.info({ account: 'shop2', user: 'oyOR…f0rs', outcome: 'answered' }, 'webhook');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).toMatchObject({ account: 'shop2', user: 'oyOR…f0rs', outcome: 'answered' });
  });

  it('censors a top-level token and the configuration\'s secrets', async () => {
    const { logger, lines } = capture();
    logger.info({ token: 't', config: { wechat: { appSecret: 's', aesKey: 'k', appId: 'wx1' } } }, 'config');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).toMatchObject({ token: '[redacted]', config: { wechat: { appSecret: '[redacted]', aesKey: '[redacted]', appId: 'wx1' } } });
  });
});
