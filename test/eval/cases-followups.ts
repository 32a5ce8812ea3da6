/**
 * Follow-ups: a new wish replaces the one it conflicts with, a new topic starts fresh, hidden limits are explained.
 * Over the demo catalogue, grounded in data/*.csv like cases.ts.
 */
import type { EvalCase } from './runner.ts';

export const FOLLOWUPS_CASES: readonly EvalCase[] = [];
