import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/db.ts';
import { createWriteQueue } from '../../src/db/write-queue.ts';
import { tempDbPath } from '../helpers/temp.ts';

function setup() {
  const db = openDb(tempDbPath());
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  return { db, queue: createWriteQueue(db), insert: db.prepare('INSERT INTO t (k, v) VALUES (?, ?)') };
}

describe('write queue (group commit)', () => {
  it('commits writes queued in one tick in one transaction, in order, and resolves each with its result', async () => {
    const { db, queue, insert } = setup();
    const results = await Promise.all([1, 2, 3].map((v) => queue.run(() => insert.run(`k${v}`, v).changes)));
    expect(results).toEqual([1, 1, 1]);
    expect(db.prepare('SELECT v FROM t ORDER BY rowid').pluck().all()).toEqual([1, 2, 3]);
  });

  it('resolves only after the write is committed and visible to another connection', async () => {
    const { db, queue, insert } = setup();
    const other = openDb(db.name);
    await queue.run(() => insert.run('a', 1));
    expect(other.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
    other.close();
  });

  it('rolls back a failing write alone, keeping its neighbours', async () => {
    const { db, queue, insert } = setup();
    const outcomes = await Promise.allSettled([
      queue.run(() => insert.run('a', 1)),
      queue.run(() => {
        insert.run('b', 2);
        insert.run('a', 3); // duplicate key: this write fails, and its first statement must not land
      }),
      queue.run(() => insert.run('c', 4)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT k FROM t ORDER BY k').pluck().all()).toEqual(['a', 'c']);
  });

  it('runs each write of a batch with a failing one exactly once in what lands', async () => {
    const { db, queue, insert } = setup();
    db.exec('CREATE TABLE counter (n INTEGER NOT NULL)');
    db.exec('INSERT INTO counter VALUES (0)');
    const bump = db.prepare('UPDATE counter SET n = n + 1');
    const outcomes = await Promise.allSettled([
      queue.run(() => bump.run().changes),
      queue.run(() => insert.run('a', 1) && insert.run('a', 2)), // fails after its first statement
      queue.run(() => bump.run().changes),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT n FROM counter').pluck().get()).toBe(2);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
  });

  it('waits for a lock held by another process once, not once per attempt, and runs nothing', async () => {
    const { db, queue, insert } = setup();
    db.pragma('busy_timeout = 1000');
    const other = openDb(db.name);
    other.exec('BEGIN IMMEDIATE');
    let ran = 0;
    const started = Date.now();
    await expect(queue.run(() => ++ran && insert.run('a', 1))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    // A retry of the whole batch would wait a second time (≥ 2 s).
    expect(Date.now() - started).toBeLessThan(1_800);
    expect(ran).toBe(0);
    other.exec('ROLLBACK');
    other.close();
  });

  it('refuses a write that returns a promise, whatever its neighbours do', async () => {
    const { queue, insert } = setup();
    const asyncWrite = (async () => insert.run('x', 1)) as unknown as () => number;
    const outcomes = await Promise.allSettled([queue.run(asyncWrite), queue.run(() => insert.run('y', 2).changes)]);
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: expect.any(TypeError) });
    expect(outcomes[1]).toMatchObject({ status: 'fulfilled', value: 1 });
  });

  it('rejects every write of a batch whose commit fails', async () => {
    const { db, queue, insert } = setup();
    const pending = [queue.run(() => insert.run('a', 1)), queue.run(() => insert.run('b', 2))];
    db.close();
    await expect(Promise.all(pending)).rejects.toThrow();
  });
});
