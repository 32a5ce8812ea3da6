/**
 * The PostgreSQL side of the benchmarks: a fresh database on the server (GUANG_TEST_POSTGRES, default the local
 * one, trust auth), dropped after the run, and the CPU the server's processes use, read from /proc when the
 * server runs on this machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { redactedUrl } from '../../src/db/postgres/pool.ts';

export const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  /** The server's settings that move write figures most, one line. */
  readonly settings: string;
  /** The server's main process on this machine (null: not local, or /proc not readable). */
  readonly postmaster: number | null;
  /** The server's cumulative counters for the database (pg_stat_database, pg_stat_user_tables). */
  stats(): Promise<DatabaseStats>;
  drop(): Promise<void>;
}

export interface DatabaseStats {
  readonly commits: number;
  readonly rollbacks: number;
  /** Rows read by scans and by index fetches, and rows written. */
  readonly returned: number;
  readonly fetched: number;
  readonly written: number;
  /** Per table: sequential scans and the rows they read, index scans. */
  readonly tables: ReadonlyMap<string, { readonly seqScans: number; readonly seqRows: number; readonly idxScans: number }>;
}

/** What happened between two snapshots, per request: commits, rows, and the tables read by sequential scans. */
export function statsPerRequest(a: DatabaseStats, b: DatabaseStats, requests: number): string {
  const per = (x: number) => (x / requests).toFixed(1);
  const scanned = [...b.tables].map(([name, t]) => {
    const t0 = a.tables.get(name) ?? { seqScans: 0, seqRows: 0, idxScans: 0 };
    return { name, seqScans: t.seqScans - t0.seqScans, seqRows: t.seqRows - t0.seqRows, idxScans: t.idxScans - t0.idxScans };
  });
  const seq = scanned.filter((t) => t.seqScans > 0).sort((x, y) => y.seqRows - x.seqRows).slice(0, 4);
  const idx = scanned.filter((t) => t.idxScans > 0).sort((x, y) => y.idxScans - x.idxScans).slice(0, 6);
  return `per request: ${per(b.commits - a.commits)} commits, ${per(b.rollbacks - a.rollbacks)} rollbacks, ` +
    `${per(b.returned - a.returned)} rows scanned, ${per(b.fetched - a.fetched)} rows fetched by index, ${per(b.written - a.written)} rows written; ` +
    `index scans ${idx.map((t) => `${t.name} ${per(t.idxScans)}`).join(', ') || 'none'}; ` +
    `sequential scans ${seq.map((t) => `${t.name} ${per(t.seqScans)} (${per(t.seqRows)} rows)`).join(', ') || 'none'}`;
}

/** A new, empty database named `<prefix>_<pid>` on `server`; `drop` removes it (connections and all). */
export async function benchDatabase(server: string, prefix: string): Promise<BenchDatabase> {
  const admin = new pg.Client({ connectionString: server, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  const name = `${prefix}_${process.pid}`;
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    const rows = (await admin.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'shared_buffers', 'autovacuum') ORDER BY name",
    )).rows;
    const backend = (await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const url = new URL(server);
    url.pathname = `/${name}`;
    let reader: pg.Client | null = null;
    return {
      name, url: url.toString(), postmaster: parentOf(backend),
      settings: `PostgreSQL at ${redactedUrl(server)}: ${rows.map((r) => `${r.name}=${r.setting}`).join(', ')}`,
      async stats() {
        if (!reader) {
          reader = new pg.Client({ connectionString: url.toString() });
          await reader.connect();
        }
        const d = (await admin.query<Record<string, string>>(
          'SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted + tup_updated + tup_deleted AS written FROM pg_stat_database WHERE datname = $1', [name],
        )).rows[0]!;
        const t = await reader.query<{ relname: string; seq_scan: string; seq_tup_read: string; idx_scan: string | null }>(
          'SELECT relname, seq_scan, seq_tup_read, idx_scan FROM pg_stat_user_tables',
        );
        return {
          commits: Number(d.xact_commit), rollbacks: Number(d.xact_rollback), returned: Number(d.tup_returned), fetched: Number(d.tup_fetched), written: Number(d.written),
          tables: new Map(t.rows.map((r) => [r.relname, { seqScans: Number(r.seq_scan), seqRows: Number(r.seq_tup_read), idxScans: Number(r.idx_scan ?? 0) }])),
        };
      },
      async drop() {
        await reader?.end();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  } catch (err) {
    await admin.end().catch(() => {});
    throw err;
  }
}

/** The parent of `pid` when it is a process of this machine (a backend's parent is the postmaster). */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('postgres')) return null;
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** utime + stime of `pid` in clock ticks, or null when it has gone. */
function ticksOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null;
  }
}

export interface ServerCpu {
  /** Ticks used by the backends connected to the bench database. */
  readonly backends: number;
  /** Ticks used by the server's shared processes (WAL writer, checkpointer, background writer, autovacuum, the postmaster). */
  readonly shared: number;
}

/**
 * Counts the CPU the server spends while it runs: the backends of `database` (by their process title) and the
 * shared processes, sampled every 200 ms. A backend that exits (the pool closes connections idle for 10 s)
 * counts up to its last sample; one born after the start counts from zero.
 */
export function serverCpu(postmaster: number, database: string): { stop(): ServerCpu } {
  const first = new Map<number, number>();
  const last = new Map<number, { ticks: number; backend: boolean }>();
  const sample = (initial: boolean) => {
    let children: number[] = [];
    try {
      children = readdirSync(`/proc/${postmaster}/task`).flatMap((tid) =>
        readFileSync(`/proc/${postmaster}/task/${tid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number));
    } catch {
      return;
    }
    for (const pid of [postmaster, ...children]) {
      let title: string;
      try {
        title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        continue;
      }
      // Backends are titled "postgres: [cluster: ]user database client state"; other databases' backends are left out.
      const backend = new RegExp(`\\s${database}\\s`).test(title);
      const shared = pid === postmaster || /writer|checkpointer|autovacuum|walsender|archiver/.test(title);
      if (!backend && !shared) continue;
      const ticks = ticksOf(pid);
      if (ticks === null) continue;
      if (initial) first.set(pid, ticks);
      last.set(pid, { ticks, backend });
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), 200);
  return {
    stop() {
      clearInterval(timer);
      sample(false);
      let backends = 0;
      let shared = 0;
      for (const [pid, { ticks, backend }] of last) {
        const used = ticks - (first.get(pid) ?? 0);
        if (backend) backends += used;
        else shared += used;
      }
      return { backends, shared };
    },
  };
}
