/**
 * The agent is a short pipeline of steps in the spirit of grammY's middleware: each step either answers
 * (`ctx.answer(...)`) or passes on (`await next()`). Adding a skill is adding a step, not editing a switch.
 */
import type { TurnContext } from './context.ts';

export type Next = () => Promise<void>;
export type Step = (ctx: TurnContext, next: Next) => Promise<void> | void;

/**
 * Composes steps into one. A step that calls `next()` twice is a bug and throws.
 * @example const run = compose([bookkeeping, help, fallback]); await run(ctx, async () => {});
 */
export function compose(steps: readonly Step[]): Step {
  return (ctx, last) => dispatch(steps, last, ctx, 0, { index: -1 });
}

// A module-level function rather than a closure per message: the pipeline runs on every message.
async function dispatch(steps: readonly Step[], last: Next, ctx: TurnContext, i: number, run: { index: number }): Promise<void> {
  if (i <= run.index) throw new Error('next() called twice by one step');
  run.index = i;
  const step = i === steps.length ? last : steps[i];
  if (!step) return;
  await step(ctx, () => dispatch(steps, last, ctx, i + 1, run));
}

/** A step that runs only for inbounds matching `predicate`, and passes on otherwise. */
export function when(predicate: (ctx: TurnContext) => boolean, step: Step): Step {
  return (ctx, next) => (predicate(ctx) ? step(ctx, next) : next());
}
