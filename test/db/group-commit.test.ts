/**
 * The SQLite adapter's group commit (src/db/sql/sqlite.ts): the units queued in one turn share a transaction,
 * each settles once committed, and a failing unit lands not at all while its neighbours land.
 */
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/db.ts';
import { sqliteSql } from '../../src/db/sql/sqlite.ts';
import { tempDbPath } from '../helpers/temp.ts';

const INSERT = 'INSERT INTO t (k, v) VALUES (?, ?)';

function setup() {
  const db = openDb(tempDbPath());
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  return { db, sql: sqliteSql(db) };
}

describe('the SQLite group commit', () => {
  it('commits the units queued in one turn in one transaction, in order, and resolves each with its result', async () => {
    const { db, sql } = setup();
    const other = openDb(db.name);
    let seenOutside = -1;
    const results = await Promise.all([
      sql.run(INSERT, ['k1', 1]).then((r) => r.changes),
      sql.transaction(async (tx) => {
        const r = await tx.run(INSERT, ['k2', 2]);
        // Another connection sees nothing of the first unit yet: both are in one open transaction.
        seenOutside = other.prepare('SELECT count(*) FROM t').pluck().get() as number;
        return r.changes;
      }),
      sql.run(INSERT, ['k3', 3]).then((r) => r.changes),
    ]);
    expect(results).toEqual([1, 1, 1]);
    expect(seenOutside).toBe(0);
    expect(db.prepare('SELECT v FROM t ORDER BY rowid').pluck().all()).toEqual([1, 2, 3]);
    other.close();
  });

  it('resolves only after the unit is committed and visible to another connection', async () => {
    const { db, sql } = setup();
    const other = openDb(db.name);
    await sql.run(INSERT, ['a', 1]);
    expect(other.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
    other.close();
  });

  it('rolls back a failing unit alone, keeping its neighbours', async () => {
    const { db, sql } = setup();
    const outcomes = await Promise.allSettled([
      sql.run(INSERT, ['a', 1]),
      sql.transaction(async (tx) => {
        await tx.run(INSERT, ['b', 2]);
        await tx.run(INSERT, ['a', 3]); // duplicate key: this unit fails, and its first statement must not land
      }),
      sql.run(INSERT, ['c', 4]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT k FROM t ORDER BY k').pluck().all()).toEqual(['a', 'c']);
  });

  it('runs each unit of a batch with a failing one exactly once in what lands', async () => {
    const { db, sql } = setup();
    db.exec('CREATE TABLE counter (n INTEGER NOT NULL)');
    db.exec('INSERT INTO counter VALUES (0)');
    const bump = () => sql.run('UPDATE counter SET n = n + 1');
    const outcomes = await Promise.allSettled([
      bump(),
      sql.transaction(async (tx) => (await tx.run(INSERT, ['a', 1])) && (await tx.run(INSERT, ['a', 2]))), // fails after its first statement
      bump(),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT n FROM counter').pluck().get()).toBe(2);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
  });

  it('waits for a lock held by another process once, not once per attempt, and runs nothing', async () => {
    const { db, sql } = setup();
    db.pragma('busy_timeout = 1000');
    const other = openDb(db.name);
    other.exec('BEGIN IMMEDIATE');
    let ran = 0;
    const started = Date.now();
    await expect(sql.transaction(async (tx) => ++ran && (await tx.run(INSERT, ['a', 1])))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    // A retry of the whole batch would wait a second time (≥ 2 s).
    expect(Date.now() - started).toBeLessThan(1_800);
    expect(ran).toBe(0);
    other.exec('ROLLBACK');
    other.close();
  });

  it('rejects every unit of a batch whose commit fails', async () => {
    const { db, sql } = setup();
    const pending = [sql.run(INSERT, ['a', 1]), sql.run(INSERT, ['b', 2])];
    db.close();
    await expect(Promise.all(pending)).rejects.toThrow();
  });
});
