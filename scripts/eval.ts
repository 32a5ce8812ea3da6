/**
 * `npm run eval [-- name…]`: runs the labelled evaluation sets (test/eval/sets.ts), every set or the named
 * ones, and prints each set's failures and a pass-rate table with the per-message answer time (p50 / p99, in
 * process, one message at a time: the idle server's latency without HTTP; `npm run bench -- latency` adds it).
 */
import { latency, report, runEval, type EvalResult } from '../test/eval/runner.ts';
import { SETS } from '../test/eval/sets.ts';

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !SETS.some((s) => s.name === w));
if (unknown.length > 0) {
  console.error(`unknown set ${unknown.join(', ')}; the sets: ${SETS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const rows: string[] = [];
const everything: EvalResult[] = [];
const ms = (x: number) => x.toFixed(1).padStart(5);
for (const set of SETS.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
  const started = performance.now();
  const results = await runEval(set.cases, set.shop);
  const passed = results.filter((r) => r.passed).length;
  everything.push(...results);
  const t = latency(results);
  console.log(`── ${set.name}: ${set.label}`);
  console.log(report(results));
  rows.push(`${set.name.padEnd(12)} ${String(passed).padStart(4)}/${String(results.length).padEnd(4)} ${((passed / Math.max(1, results.length)) * 100).toFixed(1).padStart(5)} %  ${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s  ${ms(t.p50)} ${ms(t.p99)}`);
}
const all = latency(everything);
console.log(['', 'set          passed      rate    time  p50 ms p99 ms', ...rows].join('\n'));
console.log(`per message, all sets: p50 ${all.p50.toFixed(2)} ms, p99 ${all.p99.toFixed(2)} ms over ${all.messages} messages (target p99 < 10 ms)`);
