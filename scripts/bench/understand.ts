/**
 * `npm run bench -- understand [--runs 31] [--rounds 50]`
 *
 * How long understanding one follower message takes (intent, categories, price, brands, exclusions…), over the
 * demo catalogue's vocabulary and every message of the evaluation sets (what followers type, typos included).
 * Each message is timed by its fastest of `--runs` runs — its own cost: the collector and other processes only
 * ever add to a run — and the percentiles of those are printed against the targets (99 % under 0.1 ms), with
 * the mean of `--rounds` passes over all messages (target well under 0.5 ms). In the same run, as the floor, the
 * same messages through `String.prototype.normalize('NFKC')` and a lower-case: the least any understanding does.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { seedDemoData } from '../../src/catalogue/demo.ts';
import { accountId } from '../../src/core/messages.ts';
import { openDb } from '../../src/db/db.ts';
import { createCatalogueSearch } from '../../src/search/catalogue-search.ts';
import { SETS } from '../../test/eval/sets.ts';

const account = accountId('default');

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function fastestOf(runs: number, f: (run: number) => unknown): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    f(i);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { runs: { type: 'string', default: '31' }, rounds: { type: 'string', default: '50' } } });
  const runs = Number(values.runs);
  const rounds = Number(values.rounds);
  const db = openDb(':memory:');
  await seedDemoData(db, account);
  const search = createCatalogueSearch({ db, pollMs: 0 });
  await search.ready;
  const texts = [...new Set(SETS.flatMap((s) => s.cases.flatMap((c) => (Array.isArray(c.say) ? c.say : [c.say]))).filter((s): s is string => typeof s === 'string'))];

  // An understander remembers the last texts it read (src/search/understand/understand.ts): a first reading is
  // timed on a text it has not seen — the message with `run` trailing spaces, which understanding trims.
  let fresh = 0;
  const measure = (name: string, f: (text: string, run: number) => unknown) => {
    for (const t of texts) f(t, 0); // warm: the first call of each path compiles it
    const timed = texts.map((text) => ({ text, ms: fastestOf(runs, (run) => f(text, run)) })).sort((a, b) => a.ms - b.ms);
    const fastest = timed.map((x) => x.ms);
    const start = performance.now();
    for (let i = 0; i < rounds; i++) for (const t of texts) f(t, i);
    const mean = (performance.now() - start) / (rounds * texts.length);
    return { name, p50: percentile(fastest, 0.5), p99: percentile(fastest, 0.99), max: fastest[fastest.length - 1]!, mean, slowest: timed.slice(-5).reverse() };
  };
  const rows = [
    measure('floor: NFKC + lower-case', (t) => t.normalize('NFKC').toLowerCase()),
    measure('understand, a first reading (the demo shop, synonyms applied)', (t) => search.understand(t + ' '.repeat(1 + (fresh++ % 64)), account)),
    measure('understand, the same text again (remembered)', (t) => search.understand(t, account)),
  ];
  search.stop();
  db.close();

  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log(`\n${texts.length} distinct messages of the evaluation sets; each timed by its fastest of ${runs} runs; mean over ${rounds} passes\n`);
  console.log('| | p50 | p99 | max | mean per call |');
  console.log('|---|---:|---:|---:|---:|');
  const u = rows[1]!;
  for (const r of rows) console.log(`| ${r.name} | ${us(r.p50)} | ${us(r.p99)} | ${us(r.max)} | ${us(r.mean)} |`);
  console.log(`\nslowest: ${u.slowest.map((x) => `「${x.text}」 ${us(x.ms)}`).join(', ')}`);
  console.log(`targets: p99 < 100 µs — ${u.p99 < 0.1 ? 'met' : 'NOT met'}; mean < 500 µs — ${u.mean < 0.5 ? 'met' : 'NOT met'}`);
  console.log(`command: npm run bench -- understand --runs ${runs} --rounds ${rounds}`);
}
