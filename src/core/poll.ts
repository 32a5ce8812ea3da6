/**
 * A poll: what is held in memory (the merchant book, the account directory, the catalogue search) kept in step
 * with the database by looking again every so often. One look at a time; the next is timed from the end of the
 * last, so a slow look is never stacked on.
 */

export interface Poll {
  /** Looks now (after the look under way, if any), and times the next look from then. */
  wake(): void;
  /** No more looks; one under way finishes. */
  stop(): void;
}

/**
 * Calls `refresh` every `ms` (read before each wait, so the pace may change); 0 or less: only on `wake()`. A
 * failure goes to `onError` and the poll carries on.
 * @example
 * const poll = pollEvery(250, () => book.refresh(), (err) => logger.error({ err }, 'could not reload'));
 * poll.stop();
 */
export function pollEvery(ms: number | (() => number), refresh: () => Promise<unknown>, onError: (err: unknown) => void): Poll {
  const pace = typeof ms === 'function' ? ms : () => ms;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let again = false;
  let stopped = false;

  const schedule = (): void => {
    const wait = pace();
    if (!stopped && wait > 0) timer = setTimeout(look, wait).unref();
  };
  function look(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    // A refresh that throws rather than rejects is a failure like any other.
    void Promise.resolve()
      .then(refresh)
      .catch(onError)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          look();
        } else schedule();
      });
  }

  schedule();
  return {
    wake: look,
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
