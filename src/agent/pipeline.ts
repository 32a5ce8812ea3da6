/**
 * The agent is a short pipeline of steps in the spirit of grammY's middleware: each step either answers
 * (`ctx.answer(...)`) or passes on (`await next()`). Adding a skill is adding a step, not editing a switch.
 */
import type { TurnContext } from './context.ts';

type Next = () => Promise<void>;
export type Step = (ctx: TurnContext, next: Next) => Promise<void> | void;

/**
 * Composes steps into one. A step that calls `next()` twice is a bug and throws.
 * @example const run = compose([bookkeeping, help, fallback]); await run(ctx, async () => {});
 */
export function compose(steps: readonly Step[]): Step {
  return (ctx, last) => dispatch(steps, last, ctx, 0, { index: -1 });
}

// A module-level function rather than a closure per message: the pipeline runs on every message.
function dispatch(steps: readonly Step[], last: Next, ctx: TurnContext, i: number, run: { index: number }): Promise<void> {
  if (i <= run.index) return Promise.reject(new Error('next() called twice by one step'));
  run.index = i;
  const step = i === steps.length ? last : steps[i];
  if (!step) return DONE;
  return settle(step, ctx, () => dispatch(steps, last, ctx, i + 1, run));
}

const DONE = Promise.resolve();

/**
 * Runs a step and gives back its promise (a resolved one for a step that returned nothing; a rejected one
 * for a step that threw). Not an `async` function that awaits it: a message passes through a dozen steps, each
 * waiting on the next, and an async frame per step doubled the promises, microtask turns and garbage of the
 * whole chain for nothing.
 */
function settle(step: Step, ctx: TurnContext, next: Next): Promise<void> {
  try {
    const result = step(ctx, next);
    return result === undefined ? DONE : Promise.resolve(result);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** How long a turn may work before the steps left are skipped for the fallback. */
export interface Budget {
  /** Milliseconds of the turn's pipeline (it starts when the first guarded step runs). */
  readonly ms: number;
  /** A monotonic clock in milliseconds (default `performance.now`; tests inject their own). */
  readonly now?: () => number;
  /** Called once per turn that ran out: the index of the step it stopped before and the time it had used. */
  readonly onExceeded?: (ctx: TurnContext, info: { readonly before: number; readonly elapsedMs: number }) => void;
}

interface BudgetRun {
  index: number;
  readonly deadline: number;
  readonly started: number;
}

/**
 * Composes `steps` with a deadline checked between them: once a turn has used its budget, the steps left
 * do not run and `fallback` answers instead (unless a step already answered). A running step is never
 * interrupted, so a turn costs at most the budget plus one step; the input cap (input.ts) keeps steps small.
 * @example const run = composeWithBudget([bookkeeping, ...skills], fallback, { ms: 300 });
 */
export function composeWithBudget(steps: readonly Step[], fallback: Step, budget: Budget): Step {
  const now = budget.now ?? (() => performance.now());
  return (ctx, last) => {
    const started = now();
    return dispatchWithin(steps, fallback, budget, now, last, ctx, 0, { index: -1, started, deadline: started + budget.ms });
  };
}

function dispatchWithin(
  steps: readonly Step[], fallback: Step, budget: Budget, now: () => number, last: Next, ctx: TurnContext, i: number, run: BudgetRun,
): Promise<void> {
  if (i <= run.index) return Promise.reject(new Error('next() called twice by one step'));
  run.index = i;
  if (i === steps.length) return settle(fallback, ctx, last);
  const t = now();
  if (t > run.deadline) {
    try {
      budget.onExceeded?.(ctx, { before: i, elapsedMs: t - run.started });
    } catch (err) {
      return Promise.reject(err);
    }
    return ctx.reply === null ? settle(fallback, ctx, last) : DONE;
  }
  return settle(steps[i]!, ctx, () => dispatchWithin(steps, fallback, budget, now, last, ctx, i + 1, run));
}
