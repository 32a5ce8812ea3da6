/**
 * `npm run bench -- catalogue-memory [--products N] [--old REV]`: what the server's catalogue search costs to
 * start and to hold, alone — N generated products (the webhook benchmark's catalogue, default 1,000,000) in a
 * database, then `createCatalogueSearch` over it in a process of its own: wall and CPU seconds to index, V8
 * heap and external memory after a full collection, RSS and peak RSS. With `--old REV` the same in that
 * revision's code (compiled from `git archive`), one after the other; compare CPU seconds and memory, not
 * wall time, on a loaded machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildRevision, catalogueOf } from './webhook.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Run in the child: index the catalogue at `file` with the search module at `searchModule`; print one JSON line. */
async function measure(file: string, searchModule: string, dbModule: string): Promise<void> {
  const { openDb } = (await import(dbModule)) as typeof import('../../src/db/db.ts');
  const { createCatalogueSearch } = (await import(searchModule)) as typeof import('../../src/search/catalogue-search.ts');
  const db = openDb(file);
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const search = createCatalogueSearch({ db, pollMs: 0 });
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - wall) / 1000;
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const peak = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024;
  console.log(JSON.stringify({ seconds, cpuSeconds: (used.user + used.system) / 1e6, heap: m.heapUsed, external: m.external, rss: m.rss, peak }));
  search.stop();
  db.close();
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { products: { type: 'string', default: '1000000' }, old: { type: 'string' }, child: { type: 'string', multiple: true } } });
  if (values.child) {
    const [file, searchModule, dbModule] = values.child;
    return measure(file!, searchModule!, dbModule!);
  }
  const products = Number(values.products);
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-bench-'));
  try {
    const targets: [string, string, string][] = [['this code', path.join(ROOT, 'src/search/catalogue-search.ts'), path.join(ROOT, 'src/db/db.ts')]];
    if (values.old) {
      const dist = path.dirname(buildRevision(values.old, dir));
      targets.push([values.old, path.join(dist, 'search/catalogue-search.js'), path.join(dist, 'db/db.js')]);
    }
    const file = path.join(dir, 'catalogue.db');
    const started = performance.now();
    await catalogueOf(file, products);
    console.log(`catalogue: ${products} generated products written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    console.log('\n| code | start s (wall) | start s (CPU) | V8 heap used MB | external MB | RSS MB | peak RSS MB |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
    for (const [name, searchModule, dbModule] of targets) {
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', path.join(ROOT, 'bin/run-ts.js'), path.join(ROOT, 'scripts/bench/index.ts'), 'catalogue-memory', '--child', file, '--child', searchModule, '--child', dbModule],
        { encoding: 'utf8', maxBuffer: 1 << 26 },
      );
      const r = JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; cpuSeconds: number; heap: number; external: number; rss: number; peak: number };
      console.log(`| ${name} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${mb(r.heap)} | ${mb(r.external)} | ${mb(r.rss)} | ${mb(r.peak)} |`);
    }
    console.log(`\ncommand: npm run bench -- catalogue-memory ${args.join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
