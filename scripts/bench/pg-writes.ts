/**
 * `npm run bench -- pg-writes [--seconds S] [--server URL]`
 *
 * What a webhook delivery's database writes cost on PostgreSQL, before Guang serves from it (docs/scale.md):
 * the statements a delivery runs today (the replay record; the dedup claim; the answered claim and the answer-log
 * row), on this build's schema in a fresh database, in the three group commits the webhook makes, by 1 to 8
 * connections (an instance's group commit each). Two ways of writing a group: one statement per delivery and
 * row (a direct port of the SQLite code: a round trip each), and one statement per kind of row for the whole
 * group (arrays through unnest). It prints deliveries a second, row writes and commits a second, and the client's
 * CPU per delivery. The server is GUANG_TEST_POSTGRES (default the local one, trust auth), as for the tests.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createPgPool, redactedUrl, type PgPool } from '../../src/db/postgres/pool.ts';
import { migratePostgres } from '../../src/db/postgres/migrate.ts';

const ACCOUNT = 'default';
const BODY_HASH = 'h'.repeat(40);
const REPLY = JSON.stringify({ type: 'text', text: '为您找到以下女装：……' });
/** Rows per delivery: the replay record, the claim, the claim answered, the answer-log row. */
const ROWS_PER_DELIVERY = 4;
const COMMITS_PER_GROUP = 3;

type Writer = (client: pg.PoolClient, ids: readonly number[], now: number) => Promise<void>;

/** One statement per delivery and row, as the SQLite code runs them (each a round trip on PostgreSQL). */
const perRow: Writer = async (c, ids, now) => {
  await c.query('BEGIN');
  for (const id of ids) {
    await c.query(
      `INSERT INTO webhook_requests (ts, account, request_key, body_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (ts, account, request_key) DO UPDATE SET body_hash = webhook_requests.body_hash WHERE webhook_requests.body_hash = excluded.body_hash`,
      [Math.floor(now / 1000), ACCOUNT, `k${id}`, BODY_HASH],
    );
  }
  await c.query('COMMIT');
  await c.query('BEGIN');
  for (const id of ids) {
    await c.query(
      "INSERT INTO handled_messages (account, dedup_key, status, owner, created_at, updated_at) VALUES ($1, $2, 'pending', 'host:1:bench', $3, $3) ON CONFLICT (account, dedup_key) DO NOTHING",
      [ACCOUNT, `m${id}`, now],
    );
  }
  await c.query('COMMIT');
  await c.query('BEGIN');
  for (const id of ids) {
    await c.query("UPDATE handled_messages SET status = 'answered', reply = $1, updated_at = $2 WHERE account = $3 AND dedup_key = $4", [REPLY, now, ACCOUNT, `m${id}`]);
    await c.query(
      `INSERT INTO answer_log (account, user_id, channel, text, intent, slots, result_ids, answered_by, latency_ms, created_at)
       VALUES ($1, $2, 'wechat', '女装', 'browse', '{"category":"女装"}', '[1,2,3,4,5]', 'skill:shopping', 1.2, $3)`,
      [ACCOUNT, `o_user_${id % 1000}`, now],
    );
  }
  await c.query('COMMIT');
};

/** One statement per kind of row for the whole group: a round trip per kind, whatever the group's size. */
const perGroup: Writer = async (c, ids, now) => {
  await c.query(
    `INSERT INTO webhook_requests (ts, account, request_key, body_hash) SELECT $1, $2, k, $4 FROM unnest($3::text[]) AS u(k)
     ON CONFLICT (ts, account, request_key) DO UPDATE SET body_hash = webhook_requests.body_hash WHERE webhook_requests.body_hash = excluded.body_hash`,
    [Math.floor(now / 1000), ACCOUNT, ids.map((i) => `k${i}`), BODY_HASH],
  );
  await c.query(
    "INSERT INTO handled_messages (account, dedup_key, status, owner, created_at, updated_at) SELECT $1, k, 'pending', 'host:1:bench', $3, $3 FROM unnest($2::text[]) AS u(k) ON CONFLICT (account, dedup_key) DO NOTHING",
    [ACCOUNT, ids.map((i) => `m${i}`), now],
  );
  await c.query('BEGIN');
  await c.query("UPDATE handled_messages SET status = 'answered', reply = $1, updated_at = $2 WHERE account = $3 AND dedup_key = ANY($4::text[])", [REPLY, now, ACCOUNT, ids.map((i) => `m${i}`)]);
  await c.query(
    `INSERT INTO answer_log (account, user_id, channel, text, intent, slots, result_ids, answered_by, latency_ms, created_at)
     SELECT $1, u, 'wechat', '女装', 'browse', '{"category":"女装"}', '[1,2,3,4,5]', 'skill:shopping', 1.2, $3 FROM unnest($2::text[]) AS x(u)`,
    [ACCOUNT, ids.map((i) => `o_user_${i % 1000}`), now],
  );
  await c.query('COMMIT');
};

async function measure(pool: PgPool, write: Writer, connections: number, group: number, seconds: number): Promise<string> {
  let next = 0;
  const until = Date.now() + seconds * 1000;
  const cpu0 = process.cpuUsage();
  const counts = await Promise.all(
    Array.from({ length: connections }, async () => {
      const c = await pool.connect();
      let n = 0;
      try {
        while (Date.now() < until) {
          await write(c, Array.from({ length: group }, () => ++next), Date.now());
          n += group;
        }
      } finally {
        c.release();
      }
      return n;
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  const done = counts.reduce((a, b) => a + b, 0);
  const perSecond = (x: number) => Math.round(x / seconds).toLocaleString('en-US');
  return `| ${connections} | ${group} | ${perSecond(done)} | ${perSecond(ROWS_PER_DELIVERY * done)} | ${perSecond((COMMITS_PER_GROUP * done) / group)} | ${Math.round((cpu.user + cpu.system) / done)} |`;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { seconds: { type: 'string', default: '8' }, server: { type: 'string' } } });
  const seconds = Number(values.seconds);
  const server = values.server ?? process.env.GUANG_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  const name = `guang_bench_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const pool = createPgPool(url.toString(), 8);
  try {
    await migratePostgres(pool);
    const settings = await admin.query<{ name: string; setting: string }>("SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'commit_delay')");
    console.log(`PostgreSQL at ${redactedUrl(server)}: ${settings.rows.map((r) => `${r.name}=${r.setting}`).join(', ')}; ${seconds} s per row`);
    for (const [label, write] of [['one statement per delivery and row', perRow], ['one statement per kind of row for the group', perGroup]] as const) {
      console.log(`\n${label}\n| connections | deliveries per group commit | deliveries/s | row writes/s | commits/s | client CPU µs per delivery |\n|---:|---:|---:|---:|---:|---:|`);
      for (const [connections, group] of [[1, 1], [1, 16], [4, 16], [8, 16]] as const) console.log(await measure(pool, write, connections, group, seconds));
    }
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE ${name}`);
    await admin.end();
  }
}
