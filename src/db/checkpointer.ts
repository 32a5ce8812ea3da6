/**
 * WAL checkpoints on a thread of their own, so that no follower's answer waits for one.
 *
 * With SQLite's default, the commit that takes the write-ahead log past 1,000 pages copies the log back into
 * the database file and fsyncs both (synchronous = NORMAL fsyncs nowhere else): on an idle server about one
 * message in sixty paid for it, 6-15 ms under load and up to hundreds on a busy disk, the tail of the
 * single-message latency (issue 17). Here the serving connection's automatic checkpoints are turned off and a
 * worker thread, with a connection of its own, runs a PASSIVE checkpoint (it never takes the write lock:
 * commits go on meanwhile) once the log holds `frames` pages not yet copied back, read from the WAL index
 * (the -shm file: mxFrame and nBackfill, https://sqlite.org/walformat.html). The next commit restarts the
 * log and fsyncs its new header, which SQLite requires of the writer: so the threshold is large (16 MB of
 * log) to make that one fsync rare, and it is all that is left on the answer path.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './db.ts';

/** How often the worker looks at the log (ms): a read of 100 bytes of the -shm file. */
const DEFAULT_EVERY_MS = 250;
/** Pages of log (4 KB each) not yet in the database file that make the worker checkpoint. */
const DEFAULT_FRAMES = 4096;

// Plain JavaScript evaluated in the worker: the same under tsx and from dist/, with no file of its own to ship.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const fs = require('node:fs');
const index = Buffer.alloc(100);
let shm = null;
// The WAL index, in the machine's byte order: the header's mxFrame at 16, the checkpoint info's nBackfill at 96.
const le = require('node:os').endianness() === 'LE';
const uncopied = () => {
  shm ??= fs.openSync(workerData.file + '-shm', 'r');
  if (fs.readSync(shm, index, 0, 100, 0) < 100) return 0;
  const read = (at) => (le ? index.readUInt32LE(at) : index.readUInt32BE(at));
  return read(16) - read(96);
};
const timer = setInterval(() => {
  try {
    if (uncopied() >= workerData.frames) checkpoint.run();
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  if (shm !== null) fs.closeSync(shm);
  db.close();
  parentPort.close();
});
`;

export interface BackgroundCheckpoints {
  /** Stops the worker and gives the connection back its automatic checkpoints. */
  stop(): void;
}

/**
 * Moves `db`'s checkpoints to a worker thread (a file database in WAL mode; otherwise does nothing).
 * @param onError told when a checkpoint fails (the worker tries again at the next look) or the worker dies (the
 *   connection then checkpoints itself again, as SQLite does by default).
 * @example const checkpoints = startBackgroundCheckpoints(db, { onError: (err) => logger.warn({ err }, '…') }); … checkpoints.stop();
 */
export function startBackgroundCheckpoints(db: Db, options: { everyMs?: number; frames?: number; onError?: (err: Error) => void } = {}): BackgroundCheckpoints {
  if (db.memory || String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return { stop: () => undefined };
  const previous = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  let stopped = false;
  const restore = () => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${previous}`);
  };
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file: db.name, driver: createRequire(import.meta.url).resolve('better-sqlite3'), everyMs: options.everyMs ?? DEFAULT_EVERY_MS, frames: options.frames ?? DEFAULT_FRAMES },
  });
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  worker.on('message', (m: { error?: string }) => {
    if (m.error !== undefined) options.onError?.(new Error(`background checkpoint failed: ${m.error}`));
  });
  // A worker that could not open the file (or died) checkpoints nothing: the log would grow without end.
  worker.on('error', (err) => {
    if (stopped) return;
    stopped = true;
    restore();
    options.onError?.(err);
  });
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      worker.postMessage('stop');
      restore();
    },
  };
}
