/**
 * Whether the database can be written right now, as the writes themselves find out (a full disk, a file
 * turned read-only, an I/O error). It drives /readyz and logs a failing burst loudly, once: at error level
 * when writes start failing and once more when they have recovered, not once per message.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';

/** SQLite result codes that mean "the database cannot be written", as opposed to a bad statement or a constraint. */
const STORAGE_CODES = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|BUSY|LOCKED|PERM)/;

/** True for an error that says the database cannot take writes (rather than that one write was wrong). */
export function isStorageFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && STORAGE_CODES.test(code)) return true;
  // better-sqlite3 after the connection was closed
  return err instanceof TypeError && /database connection is not open/.test(err.message);
}

/**
 * Logs a failed background write: at error level for a bad write, at debug level for a storage failure,
 * which the group commit has already reported to the health (once per burst, not once per message).
 */
export function logWriteError(log: Logger, err: unknown, msg: string): void {
  if (isStorageFailure(err)) log.debug({ err }, msg);
  else log.error({ err }, msg);
}

export interface WriteHealth {
  /** Reports a failed write; returns true when it is a storage failure (counted and logged per burst). */
  failed(err: unknown): boolean;
  /** Reports a committed write (ends a failing burst once quiet for the window). */
  succeeded(): void;
  /** False while writes are failing: a storage failure within the last `windowMs`. */
  ready(): boolean;
  /** When the last storage failure happened (ms), or null. */
  lastFailure(): number | null;
}

export function createWriteHealth(options: { readonly clock: Clock; readonly logger: Logger; readonly windowMs?: number }): WriteHealth {
  const { clock, logger, windowMs = 10_000 } = options;
  // A failing burst: from its first failure until a write succeeds with no failure for `windowMs`.
  // Some writes may still succeed during a burst (a full disk still takes a write that fits a free page),
  // so a single success does not end it.
  let burst: { since: number; failures: number } | null = null;
  let last: number | null = null;

  const quiet = (now: number) => last === null || now - last >= windowMs;

  return {
    failed(err) {
      if (!isStorageFailure(err)) return false;
      const now = clock.now();
      if (!burst || quiet(now)) {
        if (burst) logger.warn({ failures: burst.failures, since: new Date(burst.since).toISOString() }, 'database writes had recovered');
        burst = { since: now, failures: 0 };
        logger.error(
          { err, code: (err as { code?: string }).code },
          'DATABASE WRITES ARE FAILING: answering from memory where possible, holding deliveries for the platform to retry otherwise; /readyz answers 503. Free disk space or fix the file (GUANG_DB).',
        );
      }
      burst.failures++;
      last = now;
      return true;
    },
    succeeded() {
      if (!burst) return;
      const now = clock.now();
      if (!quiet(now)) return;
      logger.warn({ failures: burst.failures, since: new Date(burst.since).toISOString() }, 'database writes recovered');
      burst = null;
    },
    ready: () => quiet(clock.now()),
    lastFailure: () => last,
  };
}

/** For code that has no health to report to (tests, the CLI). */
export const ignoredHealth: WriteHealth = {
  failed: isStorageFailure,
  succeeded: () => undefined,
  ready: () => true,
  lastFailure: () => null,
};
