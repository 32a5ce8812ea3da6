/** `npm run bench -- <name>`: the benchmarks. Each prints its figures and the command that produced them. */
const BENCHES: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  webhook: () => import('./webhook.ts'),
  'webhook-pg': () => import('./webhook-pg.ts'),
  profile: () => import('./profile.ts'),
  latency: () => import('./latency.ts'),
  search: () => import('./search.ts'),
  'catalogue-memory': () => import('./catalogue-memory.ts'),
  import: () => import('./import.ts'),
  rules: () => import('./rules.ts'),
  push: () => import('./push.ts'),
  crash: () => import('./crash.ts'),
  upload: () => import('./upload.ts'),
  scheduler: () => import('./scheduler.ts'),
  'pg-writes': () => import('./pg-writes.ts'),
  'pg-delivery': () => import('./pg-delivery.ts'),
  understand: () => import('./understand.ts'),
};

const [name, ...args] = process.argv.slice(2);
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options]`);
  process.exit(2);
}
await (await bench()).run(args);
