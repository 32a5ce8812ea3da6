/**
 * Whether broadcasts changed, cheaply, for the steps that cache what they know about them (reply collection), on
 * SQLite; on PostgreSQL the broadcast revision is polled and notified instead (invitations.ts).
 *
 * Two sources, because SQLite tells a connection only about the others' commits: `PRAGMA data_version`
 * changes when ANY other connection (another process: `guang broadcast send`, a second server) commits; this
 * process's own broadcast writes, made on the same connection, bump a counter kept per connection here.
 *
 * The counter is read on every message. The pragma is read at most every OTHER_PROCESS_CHECK_MS (by the
 * caller's clock): it costs no table access, but a statement per message was still ~1.5 % of a delivery under
 * load. A broadcast another process sends reaches a follower through WeChat, who then has to read it and type
 * a reply: no reply to it can come within a quarter of a second.
 */
import type { Db } from '../db/db.ts';

/** How stale this process's view of other processes' commits may be. */
export const OTHER_PROCESS_CHECK_MS = 250;

interface Seen {
  readonly dataVersion: { get(): unknown };
  /** The pragma's last value, and when (the caller's clock) it was read. */
  version: unknown;
  at: number;
  /** The counter the key was made with, and the key: rebuilt only when either source moved. */
  local: number;
  key: string;
}

const local = new WeakMap<Db, number>();
const seen = new WeakMap<Db, Seen>();

/** Call after this process wrote broadcasts (created, moved along the lifecycle, cancelled). */
export function bumpBroadcastRevision(db: Db): void {
  local.set(db, (local.get(db) ?? 0) + 1);
}

/**
 * A value that changes whenever broadcasts may have changed (and, across processes, more often: any commit):
 * at once for this process's writes, within OTHER_PROCESS_CHECK_MS of `now` for another process's.
 * @example if (broadcastRevision(db, now) !== known) { known = broadcastRevision(db, now); active = recompute(); }
 */
export function broadcastRevision(db: Db, now: number): string {
  const mine = local.get(db) ?? 0;
  let s = seen.get(db);
  if (!s) {
    const dataVersion = db.prepare('PRAGMA data_version').pluck();
    const version = dataVersion.get();
    s = { dataVersion, version, at: now, local: mine, key: `${String(version)}:${mine}` };
    seen.set(db, s);
    return s.key;
  }
  // A clock that went back (a test's, or a corrected one) reads at once rather than waiting for it to catch up.
  if (now - s.at >= OTHER_PROCESS_CHECK_MS || now < s.at) {
    s.at = now;
    const version = s.dataVersion.get();
    if (version !== s.version) {
      s.version = version;
      s.key = `${String(version)}:${mine}`;
      s.local = mine;
    }
  }
  if (mine !== s.local) {
    s.local = mine;
    s.key = `${String(s.version)}:${mine}`;
  }
  return s.key;
}
