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
// `account.<key>` is done by the serializer below, not by a path: a path beginning with `account` makes pino
// run its redactor on every line with an `account` field, and the webhook's line per delivery has one (a plain
// id). That redactor re-parses all its paths on every call: ~15 small arrays and strings per line.
const REDACT = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `config.${k}`),
  ...SECRET_KEYS.map((k) => `config.wechat.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'body.password',
  'body.current',
  'body.next',
];

/**
 * Lines are written in batches: one `write(2)` per 4 KB of lines (about 25 webhook lines) instead of one per
 * line, which under load cost more than the line itself. A quiet server's lines go out within FLUSH_MS, and
 * whatever is buffered is written on exit (pino flushes on `exit`); a SIGKILL loses at most the last FLUSH_MS.
 * No answer ever waits for the log.
 */
const BATCH_BYTES = 4096;
const FLUSH_MS = 250;
const CENSOR = '[redacted]';

/** An `account` field: an id passes as it is; an account object is copied with its secrets censored. */
function account(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (!SECRET_KEYS.some((k) => Object.hasOwn(record, k))) return value;
  const copy = { ...record };
  for (const k of SECRET_KEYS) if (Object.hasOwn(copy, k)) copy[k] = CENSOR;
  return copy;
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: CENSOR }, serializers: { account }, base: undefined },
    destination ?? pino.destination({ fd: 2, sync: false, minLength: BATCH_BYTES, periodicFlush: FLUSH_MS }),
  );
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** An openid is personal data: keep enough to correlate, not enough to identify. */
export function maskId(id: string): string {
  return id.length <= 8 ? '***' : `${id.slice(0, 4)}…${id.slice(-4)}`;
}
