import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startBackgroundCheckpoints } from '../../src/db/checkpointer.ts';
import { openDb } from '../../src/db/db.ts';
import { tempDbPath } from '../helpers/temp.ts';

const PAGES = 1500; // more than SQLite's automatic checkpoint threshold (1,000 pages)

function setup() {
  const db = openDb(tempDbPath());
  db.exec('CREATE TABLE blob (b BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO blob (b) VALUES (?)');
  /** Commits about `pages` pages of log in one transaction. */
  const write = (pages: number) => db.transaction(() => { for (let i = 0; i < pages; i++) insert.run(Buffer.alloc(3000, i % 251)); })();
  const fileSize = () => statSync(db.name).size;
  return { db, write, fileSize };
}

async function until(holds: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200 && !holds(); i++) await new Promise((r) => setTimeout(r, 50));
  return holds();
}

describe('background checkpoints', () => {
  it('leave the log to the worker: a commit past 1,000 pages copies nothing into the database file itself', () => {
    const { db, write, fileSize } = setup();
    const checkpoints = startBackgroundCheckpoints(db, { frames: 1_000_000 });
    const before = fileSize();
    write(PAGES);
    expect(fileSize()).toBe(before);
    checkpoints.stop();
    db.close();
  });

  it('copy the log into the database file on the worker once it holds `frames` pages', async () => {
    const { db, write, fileSize } = setup();
    const checkpoints = startBackgroundCheckpoints(db, { frames: 200, everyMs: 20 });
    const before = fileSize();
    write(300);
    expect(await until(() => fileSize() >= before + 300 * 3000)).toBe(true);
    checkpoints.stop();
    db.close();
  });

  it('give the connection its own checkpoints back when stopped', () => {
    const { db, write, fileSize } = setup();
    startBackgroundCheckpoints(db, { frames: 1_000_000 }).stop();
    const before = fileSize();
    write(PAGES);
    expect(fileSize()).toBeGreaterThan(before);
    db.close();
  });

  it('leave an in-memory database alone', () => {
    const db = openDb(':memory:');
    startBackgroundCheckpoints(db).stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });
});
