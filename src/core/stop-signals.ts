/**
 * How a long-running command (`guang serve`, `guang sim`, `guang wechaty`) stops: gracefully and once, on
 * SIGTERM, SIGINT, or when the process that started it exits.
 *
 * The last is for wrappers that do not pass a signal on. `npm start` runs `sh -c "node bin/guang.js serve"`;
 * npm forwards SIGTERM to sh, and sh (dash, which does not exec the command) dies of it without telling node,
 * which went on serving as an orphan and never shut down gracefully. Node cannot see that signal, but it can
 * see its parent change. A change, not "the parent is PID 1": under systemd, or as a container's first
 * process, that is the normal parent from the start.
 */

/** What `onStopping` is told when the stop was not a signal. */
const PARENT_EXITED = 'the process that started guang exited';

/**
 * The parent as it was when this module was first loaded. src/cli.ts imports it before anything else, so a
 * wrapper that dies while the command's modules still load (the serve graph takes 0.3 s, seconds on a busy
 * machine) is noticed too, once the handlers are installed.
 */
const PARENT_AT_START = process.ppid;

export interface StopOptions {
  /** Also stop when the parent process exits (GUANG_STOP_WITH_PARENT; default true). */
  readonly withParent?: boolean;
  /** Called once, first, with what started the stop: 'SIGTERM', 'SIGINT' or PARENT_EXITED. */
  readonly onStopping?: (reason: string) => void;
  /** How often the parent is looked at (default 1 s: a getppid call, nothing to measure). */
  readonly checkMs?: number;
  /**
   * How long the graceful stop may take before the process exits anyway, with code 1 (default STOP_DEADLINE_MS).
   * Above all for the orphan: nobody else will follow up with SIGKILL when its stop hangs.
   */
  readonly deadlineMs?: number;
}

/**
 * The longest a graceful stop may take. A late customer-service delivery may be waiting on the WeChat API: an
 * access-token fetch and a send, each up to three attempts of 10 s (src/wechat-api/client.ts), so 60 s, plus
 * room to close. The deploy kit's supervisors (TimeoutStopSec, stop_grace_period) allow more than this.
 */
export const STOP_DEADLINE_MS = 75_000;

/**
 * Runs `stop` on the first SIGTERM, SIGINT or parent exit (later ones are ignored: a wrapper and a terminal
 * may both pass on the same Ctrl-C), then exits 0, or 1 when `stop` throws or outlives the deadline.
 * Install it before starting anything: until a process listens for SIGTERM, the signal kills it outright.
 * @example stopGracefully(() => server?.close(), { onStopping: (why) => console.log(`${why}: finishing…`) });
 */
export function stopGracefully(stop: () => unknown, options: StopOptions = {}): void {
  const { withParent = true, checkMs = 1000, deadlineMs = STOP_DEADLINE_MS } = options;
  let stopping = false;
  const begin = (reason: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(watch);
    // The parent may have held the read end of our output: writing would fail with EPIPE, and an unhandled
    // 'error' event would end the process before its graceful stop.
    if (reason === PARENT_EXITED) for (const s of [process.stdout, process.stderr]) s.on('error', () => undefined);
    options.onStopping?.(reason);
    setTimeout(() => {
      console.error(`guang: still stopping after ${deadlineMs / 1000} s; exiting`);
      process.exit(1);
    }, deadlineMs).unref();
    Promise.resolve()
      .then(stop)
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => begin('SIGTERM'));
  process.on('SIGINT', () => begin('SIGINT'));
  // Unref'd: looking at the parent never keeps the process alive by itself.
  const watch = withParent ? setInterval(() => process.ppid !== PARENT_AT_START && begin(PARENT_EXITED), checkMs).unref() : undefined;
}
