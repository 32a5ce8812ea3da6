/**
 * Cleanup when the test file's tests are done, from anywhere: at the top of the file, in a hook or inside a test.
 * vitest runs an afterAll only when it is registered while the file is collected; one registered inside a test or
 * a beforeAll is silently dropped, and whatever it was to close (a server, a database, a directory) leaked. So the
 * harnesses register here, and one hook, registered when this module is imported, runs what was registered, the last
 * first: a server started on a database closes before the database is dropped, and that before its directory goes.
 * For something a single test starts and that must not outlive it, onTestFinished is the tool.
 */
import { afterAll } from 'vitest';

const pending: (() => unknown)[] = [];

afterAll(async () => {
  const failures: unknown[] = [];
  while (pending.length > 0) {
    try {
      await pending.pop()!();
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} cleanups failed`);
});

/**
 * Runs `fn` after the file's tests, before what was registered earlier.
 * @example const server = await startServer(…); atFileEnd(() => server.close());
 */
export function atFileEnd(fn: () => unknown): void {
  pending.push(fn);
}
