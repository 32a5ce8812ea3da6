/**
 * `npm run bench -- pg-delivery [--deliveries N] [--seconds S] [--connections C] [--followers F] [--messages women|shopping|unknown]
 *   [--server URL]`
 *
 * What one delivery costs PostgreSQL, counted rather than timed: Guang's server runs in this process (`--demo`
 * settings) over a fresh database on the PostgreSQL server (`--server`, else GUANG_TEST_POSTGRES, else the local
 * one; dropped after), with the `pg` driver's queries and its socket writes counted. First N deliveries one at a
 * time (each answered before the next: nothing shares a round trip or a commit with another delivery), then S
 * seconds at C connections (the webhook benchmark's load). For each: per delivery, the statements by kind, the
 * queries the driver sent (BEGIN and COMMIT included), its writes to the server's socket (about one per round trip
 * it waits for), and the database's commits (pg_stat_database). Background work (the liveness beat, prunes, change
 * polling) is in the figures, as it is in production.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { startServer } from '../../src/app/server.ts';
import { loadConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { benchDatabase, DEFAULT_SERVER, statsPerRequest } from './pg-server.ts';
import { configureMessages, LOAD_OPTIONS, signedDelivery, TOKEN } from './webhook.ts';

/** A backend reports its counters when idle, within PostgreSQL 15's idle interval (10 s): wait for them. */
const settled = () => new Promise((r) => setTimeout(r, 11_000));

/** What the driver did, counted from this process. */
class Counts {
  queries = 0;
  writes = 0;
  readonly kinds = new Map<string, number>();
  reset(): void {
    this.queries = 0;
    this.writes = 0;
    this.kinds.clear();
  }
}

/** A statement's kind: its verb and table, e.g. "INSERT handled_messages", "UPDATE handled_messages", "BEGIN". */
function kindOf(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const verb = /^\w+/.exec(t)?.[0]?.toUpperCase() ?? '?';
  const table = /\b(?:INTO|UPDATE|FROM)\s+(\w+)/i.exec(t)?.[1] ?? '';
  return table ? `${verb} ${table}` : verb;
}

/** Counts every query of every `pg` client in this process, and the writes to sockets bound for `port`. */
function instrument(port: number): Counts {
  const counts = new Counts();
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text?: string };
    const text = typeof config === 'string' ? config : (config.text ?? '');
    counts.queries++;
    const kind = kindOf(text);
    counts.kinds.set(kind, (counts.kinds.get(kind) ?? 0) + 1);
    return query.apply(this, args);
  };
  // A write while the socket is corked leaves with the others at the uncork: one send, counted there.
  const write = net.Socket.prototype.write as (...args: unknown[]) => boolean;
  net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
    if (this.remotePort === port && this.writableCorked === 0) counts.writes++;
    return write.apply(this, args);
  } as typeof net.Socket.prototype.write;
  const uncork = net.Socket.prototype.uncork as () => void;
  net.Socket.prototype.uncork = function (this: net.Socket) {
    if (this.remotePort === port && this.writableCorked === 1 && this.writableLength > 0) counts.writes++;
    uncork.call(this);
  };
  return counts;
}

function report(title: string, counts: Counts, deliveries: number, stats: string): void {
  const per = (x: number) => (x / deliveries).toFixed(2);
  console.log(`\n${title}: ${deliveries} deliveries`);
  console.log(`  per delivery: ${per(counts.queries)} queries sent, ${per(counts.writes)} sends to the server`);
  console.log(`  PostgreSQL, ${stats}`);
  console.log('  | statement | per delivery |\n  |---|---:|');
  for (const [kind, n] of [...counts.kinds].sort((a, b) => b[1] - a[1])) console.log(`  | ${kind} | ${per(n)} |`);
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      deliveries: { type: 'string', default: '300' },
      seconds: LOAD_OPTIONS.duration,
      connections: LOAD_OPTIONS.connections,
      followers: LOAD_OPTIONS.followers,
      messages: LOAD_OPTIONS.messages,
      server: { type: 'string' },
    },
  });
  const said = configureMessages(values.messages!, Number(values.followers));
  const db = await benchDatabase(values.server ?? process.env.GUANG_TEST_POSTGRES ?? DEFAULT_SERVER, 'guang_bench_delivery');
  const counts = instrument(Number(new URL(db.url).port || 5432));
  const config = loadConfig({
    ...process.env, PORT: '0', GUANG_DB: db.url, WECHAT_TOKEN: TOKEN, GUANG_LOG_LEVEL: 'silent', WECHAT_FOLLOWER_BURST: '10000',
    GUANG_SECRET_KEY: randomBytes(32).toString('base64'),
  }, { demo: true });
  const server = await startServer({ config, host: '127.0.0.1', logger: createLogger('silent') });
  try {
    console.log(`${db.settings}; messages: ${values.messages} (${said.join(' / ')}), ${values.followers} followers in turn`);
    const one = async () => {
      const { path, body } = signedDelivery();
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
      if (res.status !== 200) throw new Error(`delivery answered ${res.status}: ${await res.text()}`);
      await res.text();
    };
    for (let i = 0; i < 50; i++) await one(); // warm-up: statements prepared, pool connections open

    const n = Number(values.deliveries);
    await settled(); // the warm-up's counters reported
    let before = await db.stats();
    counts.reset();
    const took: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await one();
      took.push(performance.now() - t0);
    }
    await settled();
    took.sort((a, b) => a - b);
    const at = (q: number) => took[Math.min(took.length - 1, Math.floor(q * took.length))]!.toFixed(1);
    report(`one at a time (answered in p50 ${at(0.5)} ms, p99 ${at(0.99)} ms)`, counts, n, statsPerRequest(before, await db.stats(), n));

    before = await db.stats();
    counts.reset();
    const result = await autocannon({
      url: server.url, connections: Number(values.connections), duration: Number(values.seconds),
      requests: [{ method: 'POST', path: '/wechat', headers: { 'content-type': 'text/xml' }, setupRequest: (req) => ({ ...req, ...signedDelivery() }) }],
    });
    await settled();
    const total = result.requests.total;
    report(`${values.connections} connections for ${values.seconds} s (${(total / Number(values.seconds)).toFixed(0)} req/s in this process, ` +
      `errors ${result.errors + result.timeouts + result.non2xx})`, counts, total, statsPerRequest(before, await db.stats(), total));
    console.log(`\ncommand: npm run bench -- pg-delivery ${args.join(' ')}`);
  } finally {
    await server.close();
    await db.drop();
  }
}
