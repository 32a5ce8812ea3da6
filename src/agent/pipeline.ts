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
  return (ctx, last) => {
    let index = -1;
    const dispatch = async (i: number): Promise<void> => {
      if (i <= index) throw new Error('next() called twice by one step');
      index = i;
      const step = i === steps.length ? last : steps[i];
      if (!step) return;
      await step(ctx, () => dispatch(i + 1));
    };
    return dispatch(0);
  };
}

/** A step that runs only for inbounds matching `predicate`, and passes on otherwise. */
export function when(predicate: (ctx: TurnContext) => boolean, step: Step): Step {
  return (ctx, next) => (predicate(ctx) ? step(ctx, next) : next());
}
