/**
 * `npm run eval [-- name…]`: runs the labelled evaluation sets (test/eval/sets.ts), every set or the named
 * ones, and prints each set's failures and a pass-rate table.
 */
import { report, runEval } from '../test/eval/runner.ts';
import { SETS } from '../test/eval/sets.ts';

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !SETS.some((s) => s.name === w));
if (unknown.length > 0) {
  console.error(`unknown set ${unknown.join(', ')}; the sets: ${SETS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const rows: string[] = [];
for (const set of SETS.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
  const started = performance.now();
  const results = await runEval(set.cases, set.shop);
  const passed = results.filter((r) => r.passed).length;
  console.log(`── ${set.name}: ${set.label}`);
  console.log(report(results));
  rows.push(`${set.name.padEnd(12)} ${String(passed).padStart(4)}/${String(results.length).padEnd(4)} ${((passed / Math.max(1, results.length)) * 100).toFixed(1).padStart(5)} %  ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
console.log(['', 'set          passed      rate   time', ...rows].join('\n'));
