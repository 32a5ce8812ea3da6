/**
 * Service questions (人工, 包邮吗, 是正品吗, 你是谁…): answered, never searched.
 * Over the demo catalogue, grounded in data/*.csv like cases.ts.
 */
import type { EvalCase } from './runner.ts';

export const SERVICE_CASES: readonly EvalCase[] = [];
