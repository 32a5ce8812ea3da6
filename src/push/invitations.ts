/**
 * Whether any broadcast invites replies (「回复 试用+理由」), which reply collection asks on every text message: held in
 * memory, and read again from the database only when broadcasts may have changed.
 *
 * SQLite: revision.ts — this process's own writes bump a counter, another process's commits show in
 * `PRAGMA data_version` (read at most every quarter of a second, on the message's path).
 *
 * PostgreSQL: every write to broadcasts takes the next `broadcast_rev` and notifies the `broadcasts` topic in the
 * same statement (outbox.ts). The revision is polled — at once after a notice, every `pollMs` as the fallback
 * (every 2 s while notices arrive: change-notices.ts) — and what is known re-read when it moved. Until the first
 * look has succeeded, each message asks the database, as it would with no poll at all (`pollMs` 0 and no notices).
 */
import { pollWithNotices, type ChangeNotices } from '../db/change-notices.ts';
import type { Sql } from '../db/sql/sql.ts';
import type { SqliteSql } from '../db/sql/sqlite.ts';
import type { Logger } from '../core/log.ts';
import { silentLogger } from '../core/log.ts';
import { pushOutbox } from './outbox.ts';
import { broadcastRevision } from './revision.ts';

export interface InvitationWatchOptions {
  /** PostgreSQL: how often the broadcast revision is read when no notice came (ms; 0: only after a notice). */
  readonly pollMs?: number;
  /** PostgreSQL's change notices: a broadcast written by any instance is known here at once. */
  readonly changes?: ChangeNotices | undefined;
  readonly logger?: Logger;
}

export interface InvitationWatch {
  /** Whether some broadcast not cancelled invites replies; a promise only when the database must be asked. */
  inviting(now: number): boolean | Promise<boolean>;
  /** Stops polling (PostgreSQL). */
  stop(): void;
}

/**
 * @example const watch = watchInvitations(sql, { pollMs: 250, changes }); … if (await watch.inviting(ctx.now)) …; watch.stop();
 */
export function watchInvitations(sql: Sql, options: InvitationWatchOptions = {}): InvitationWatch {
  const outbox = pushOutbox(sql);
  if (sql.dialect === 'sqlite') {
    const db = (sql as SqliteSql).db;
    let seen = '';
    let active = false;
    return {
      inviting(now) {
        const revision = broadcastRevision(db, now);
        if (revision === seen) return active;
        return outbox.anyInvitation().then((a) => {
          active = a;
          seen = revision;
          return a;
        });
      },
      stop() {},
    };
  }

  const { pollMs = 250, changes, logger = silentLogger } = options;
  if (pollMs <= 0 && !changes) return { inviting: () => outbox.anyInvitation(), stop() {} };
  /** The revision `active` was read at; null until a look succeeded. */
  let seen: number | null = null;
  let active = false;
  // The revision first, then the broadcasts: a write committed in between is read now and again at the next look.
  const look = async (): Promise<void> => {
    const rev = await outbox.revision();
    if (rev === seen) return;
    active = await outbox.anyInvitation();
    seen = rev;
  };
  const poll = pollWithNotices({ pollMs, notices: changes, topic: 'broadcasts' }, look, (err) => logger.error({ err }, 'could not read whether broadcasts invite replies'));
  poll.wake();
  return {
    inviting: () => (seen === null ? outbox.anyInvitation() : active),
    stop: poll.stop,
  };
}
