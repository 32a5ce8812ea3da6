/**
 * Whether broadcasts changed, cheaply, for the steps that cache what they know about them (reply collection).
 *
 * Two sources, because SQLite tells a connection only about the others' commits: `PRAGMA data_version`
 * changes when ANY other connection (another process: `guang broadcast send`, a second server) commits; this
 * process's own broadcast writes, made on the same connection, bump a counter kept per connection here.
 * Reading both costs no table access (the pragma reads the WAL index), so a step can check on every message.
 */
import type { Db } from '../db/db.ts';

const local = new WeakMap<Db, number>();
const pragmas = new WeakMap<Db, { get(): unknown }>();

/** Call after this process wrote broadcasts (created, moved along the lifecycle, cancelled). */
export function bumpBroadcastRevision(db: Db): void {
  local.set(db, (local.get(db) ?? 0) + 1);
}

/**
 * A value that changes whenever broadcasts may have changed (and, across processes, more often: any commit).
 * @example if (broadcastRevision(db) !== seen) { seen = broadcastRevision(db); active = recompute(); }
 */
export function broadcastRevision(db: Db): string {
  let dataVersion = pragmas.get(db);
  if (!dataVersion) pragmas.set(db, (dataVersion = db.prepare('PRAGMA data_version').pluck()));
  return `${String(dataVersion.get())}:${local.get(db) ?? 0}`;
}
