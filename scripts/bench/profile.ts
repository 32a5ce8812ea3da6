/**
 * `npm run bench -- profile [--messages women|shopping|unknown] [--seconds S] [--connections C] [--followers F] [--products N]
 *   [--old REV] [--postgres [--server URL]]`
 *
 * Where a delivery's CPU goes, per stage (parse, front door, dedup claim, session, understand, search, render,
 * answer log, commit, log line, GC, HTTP …): Guang's server runs under `node --cpu-prof`, is loaded with the
 * webhook benchmark's signed messages for S seconds (after a 3 s warm-up), stopped, and its profile summarised by
 * profile-stages.ts. Prints the table the README's per-stage breakdown is made from: each stage's share of the
 * samples, times the server's CPU per request measured from /proc over the loaded seconds (the profiler's own
 * cost included, so compare rows with each other rather than with the webhook benchmark's figure), and the
 * functions it spent them in. `--old REV` profiles that revision's server instead (compiled as the webhook
 * benchmark's --old does), for a breakdown before a change. `--postgres` serves from a fresh database on the PostgreSQL
 * server (`--server`, else GUANG_TEST_POSTGRES, else the local one; dropped after) instead of a SQLite file; the
 * driver's own frames (pg, the adapter) are then a stage of their own.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchDatabase, DEFAULT_SERVER } from './pg-server.ts';
import { stagesOf, type CpuProfile } from './profile-stages.ts';
import { buildRevision, catalogueOf, configureMessages, load, startGuang } from './webhook.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      messages: { type: 'string', default: 'women' },
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      followers: { type: 'string', default: '1000' },
      products: { type: 'string' },
      old: { type: 'string' },
      postgres: { type: 'boolean', default: false },
      server: { type: 'string' },
    },
  });
  if (values.postgres && values.products) throw new Error('--products writes a SQLite catalogue: not with --postgres');
  const said = configureMessages(values.messages!, Number(values.followers));
  const dir = mkdtempSync(path.join(tmpdir(), 'guang-bench-prof-'));
  const profiles = path.join(dir, 'profiles');
  const pg = values.postgres ? await benchDatabase(values.server ?? process.env.GUANG_TEST_POSTGRES ?? DEFAULT_SERVER, 'guang_bench_prof') : null;
  const db = pg?.url ?? path.join(dir, 'guang.db');
  if (values.products) await catalogueOf(db, Number(values.products));
  const cli = values.old ? buildRevision(values.old, dir) : undefined;
  const guang = await startGuang(values.old ? `guang ${values.old}` : 'guang', dir, {
    db, ...(cli ? { cli } : {}), nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profiles}`],
    ...(pg ? { env: { GUANG_SECRET_KEY: randomBytes(32).toString('base64') } } : {}),
  }).catch(async (err: unknown) => {
    await pg?.drop();
    throw err;
  });
  let cpuPerRequest = NaN;
  try {
    await load(guang, 3, Number(values.connections));
    const r = await load(guang, Number(values.seconds), Number(values.connections));
    cpuPerRequest = r.cpuUsPerRequest;
    console.log(`profile of ${guang.name} on ${pg ? 'PostgreSQL' : 'SQLite'}: ${values.messages} messages (${said.join(' / ')}), ${values.connections} connections, ` +
      `${r.rps.toFixed(0)} req/s, ${r.cpuUsPerRequest.toFixed(0)} µs CPU/req under the profiler, errors ${r.errors}`);
  } finally {
    await guang.stop();
    await pg?.drop();
  }
  try {
    const file = readdirSync(profiles).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the server wrote no profile (did it exit through process.exit?)');
    const profile = JSON.parse(readFileSync(path.join(profiles, file), 'utf8')) as CpuProfile;
    const rows = stagesOf(profile);
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
    console.log('\n| stage | share of CPU | ≈ µs per request | where (share of the stage) |');
    console.log('|---|---:|---:|---|');
    for (const row of rows) {
      const where = row.top.map((t) => `${t.frame} ${(t.share * 100).toFixed(0)} %`).join('; ');
      console.log(`| ${row.stage} | ${pct(row.share)} | ${(row.share * cpuPerRequest).toFixed(0)} | ${where} |`);
    }
    console.log(`| **total** | 100 % | **${cpuPerRequest.toFixed(0)}** | |`);
    console.log(`\ncommand: npm run bench -- profile ${args.join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
