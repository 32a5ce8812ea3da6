/**
 * Structured logs (pino, JSON lines). Secrets never reach them: tokens, keys and secrets are redacted by
 * path, openids are shortened at info level, and message bodies are logged only at debug.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

// Exact paths, not wildcards: a wildcard makes pino walk every logged object, on every line.
const SECRET_KEYS = ['token', 'appSecret', 'app_secret', 'aesKey', 'aes_key', 'previousAesKey', 'secret', 'access_token', 'accessToken', 'authorization',
  // staff accounts: nothing logs these today; redacted in case a body or a user row is ever logged whole
  'password', 'password_hash', 'passwordHash', 'csrf', 'cookie'];
const REDACT = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `account.${k}`),
  ...SECRET_KEYS.map((k) => `config.${k}`),
  ...SECRET_KEYS.map((k) => `config.wechat.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'body.password',
  'body.current',
  'body.next',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined },
    destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** An openid is personal data: keep enough to correlate, not enough to identify. */
export function maskId(id: string): string {
  return id.length <= 8 ? '***' : `${id.slice(0, 4)}…${id.slice(-4)}`;
}
