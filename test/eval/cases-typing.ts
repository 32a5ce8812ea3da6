/**
 * Other ways followers type: English, emoji, 謝謝, spoken ordinals, a typo in any character, and no false matches (劳力士 is not 力士).
 * Over the demo catalogue, grounded in data/*.csv like cases.ts.
 */
import type { EvalCase } from './runner.ts';

export const TYPING_CASES: readonly EvalCase[] = [];
