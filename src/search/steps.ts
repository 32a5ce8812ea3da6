/**
 * Work done a step at a time, so that a long build (the understander's vocabulary) can run between webhook
 * deliveries instead of blocking them: a generator that yields between steps and returns its result. The same
 * code serves both ways: `finish` runs it at once, `stepUntil` as far as a deadline allows.
 */

/** A computation that yields (nothing) between steps and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/**
 * Runs every step at once.
 * @example const vocabulary = finish(vocabularySteps(words, lexicon));
 */
export function finish<T>(steps: Steps<T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/**
 * Runs steps until the work is done (its result) or `deadline` (a `performance.now()` time) has passed
 * (`undefined`: call again, on a later turn of the event loop, to go on). At least one step runs per call.
 * @example
 * const r = stepUntil(build, performance.now() + 4);
 * if (r === undefined) setImmediate(goOn);
 */
export function stepUntil<T>(steps: Steps<T>, deadline: number): { value: T } | undefined {
  for (;;) {
    const step = steps.next();
    if (step.done) return { value: step.value };
    if (performance.now() >= deadline) return undefined;
  }
}
