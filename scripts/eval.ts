/** `npm run eval`: runs the labelled evaluation set (test/eval/cases.ts) and prints the pass rate and failures. */
import { CASES } from '../test/eval/cases.ts';
import { report, runEval } from '../test/eval/runner.ts';

const started = performance.now();
const results = await runEval(CASES);
console.log(report(results));
console.log(`(${CASES.length} cases in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
