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
 * whatever is buffered is written on exit; a SIGKILL loses at most the last FLUSH_MS. No answer ever waits for
 * the log.
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

type SonicBoom = ReturnType<typeof pino.destination>;

/**
 * The batches are gathered here, not in sonic-boom (pino's destination, which writes them): sonic-boom measures
 * the UTF-8 length of its whole pending buffer on every line it is given, a rescan of up to 4 KB per line (~2 µs
 * of a webhook delivery's line under load), where an array push costs ~0.2 µs. sonic-boom is handed one batch at
 * a time (it then writes at once, or after the write in flight). Counted in UTF-16 units, not bytes: a batch of
 * Chinese text is up to three times BATCH_BYTES, which only makes its write rarer.
 */
class LineBatches {
  #lines: string[] = [];
  #units = 0;
  /** Ended by pino's beforeExit handler (the event loop had nothing left): nothing can be written any more. */
  #closed = false;

  constructor(private readonly out: SonicBoom) {
    setInterval(() => this.handOver(), FLUSH_MS).unref();
    out.once('close', () => {
      this.#closed = true;
      live.delete(this);
    });
    live.add(this);
  }

  write(line: string): boolean {
    this.#lines.push(line);
    this.#units += line.length;
    if (this.#units >= BATCH_BYTES) this.handOver();
    return true;
  }

  /** What `logger.flush(cb)` calls: the lines gathered so far go out, then `cb`. */
  flush(cb?: (err?: Error) => void): void {
    this.handOver();
    if (this.#closed) cb?.();
    else this.out.flush(cb);
  }

  /** On exit: written before the process ends (pino flushes sonic-boom itself on exit, not this). */
  flushSync(): void {
    this.handOver();
    if (!this.#closed) this.out.flushSync();
  }

  /** Gives sonic-boom the lines gathered so far (it writes them at once, or after the write in flight). */
  handOver(): void {
    if (this.#lines.length === 0) return;
    const batch = this.#lines.length === 1 ? this.#lines[0]! : this.#lines.join('');
    this.#lines = [];
    this.#units = 0;
    if (!this.#closed) this.out.write(batch);
  }
}

/** Every batching destination made, for the exit handlers (one pair for all of them). */
const live = new Set<LineBatches>();
let exitHandlers = false;

function batchedStderr(): LineBatches {
  if (!exitHandlers) {
    exitHandlers = true;
    // beforeExit (the event loop ran out): the lines gathered here are handed over, which is more work for the
    // loop; sonic-boom itself is flushed and ended by pino's own handler. Nothing gathered: no work, so the
    // process can end. exit: everything is written synchronously.
    process.on('beforeExit', () => {
      for (const b of live) b.handOver();
    });
    process.on('exit', () => {
      for (const b of live) b.flushSync();
    });
  }
  return new LineBatches(pino.destination({ fd: 2, sync: false, minLength: 1 }));
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: CENSOR }, serializers: { account }, base: undefined }, destination ?? batchedStderr());
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** An openid is personal data: keep enough to correlate, not enough to identify. */
export function maskId(id: string): string {
  return id.length <= 8 ? '***' : `${id.slice(0, 4)}…${id.slice(-4)}`;
}
