/**
 * The broadcast revision (src/push/revision.ts): this process's broadcast writes show at once; another
 * connection's commits (another process on the same file) show within OTHER_PROCESS_CHECK_MS by the caller's
 * clock, and not before — the pragma is not read on every message.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/db.ts';
import { broadcastRevision, bumpBroadcastRevision, OTHER_PROCESS_CHECK_MS } from '../../src/push/revision.ts';
import { tempDbPath } from '../helpers/temp.ts';

const file = tempDbPath();
const here = openDb(file);
const other = openDb(file);
afterAll(() => {
  here.close();
  other.close();
});

/** A commit on the other connection, as `guang broadcast send` in another process makes. */
const commitElsewhere = () => other.prepare("UPDATE merchant_rev SET rev = rev + 1 WHERE id = 1").run();

describe('broadcastRevision', () => {
  it('changes at once after this process wrote broadcasts', () => {
    const before = broadcastRevision(here, 1_000);
    bumpBroadcastRevision(here);
    expect(broadcastRevision(here, 1_000)).not.toBe(before);
  });

  it('shows another process\'s commit once the check interval has passed, not on every call', () => {
    const t = 10_000;
    const before = broadcastRevision(here, t);
    commitElsewhere();
    expect(broadcastRevision(here, t + OTHER_PROCESS_CHECK_MS - 1)).toBe(before);
    expect(broadcastRevision(here, t + OTHER_PROCESS_CHECK_MS)).not.toBe(before);
  });

  it('reads again at once when the clock went back', () => {
    const t = 50_000;
    const before = broadcastRevision(here, t);
    commitElsewhere();
    expect(broadcastRevision(here, t - 1)).not.toBe(before);
  });

  it('stays the same while nothing changes', () => {
    const t = 90_000;
    const before = broadcastRevision(here, t);
    expect(broadcastRevision(here, t + 10 * OTHER_PROCESS_CHECK_MS)).toBe(before);
  });
});
