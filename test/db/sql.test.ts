/**
 * The `Sql` contract, held against both databases: what a store written once against it may rely on.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/sql/sql.ts';
import { DATABASES, openAll } from '../helpers/databases.ts';

describe.each(DATABASES)('Sql on $name', (database) => {
  const opened = openAll(database);

  beforeAll(async () => {
    if (database.skip) return;
    await opened.sql.run('CREATE TABLE scratch (k TEXT PRIMARY KEY, v INTEGER NOT NULL, at BIGINT)');
  });
  beforeEach(async () => {
    if (!database.skip) await opened.sql.run('DELETE FROM scratch');
  });
  const values = async () => (await opened.sql.all<{ k: string; v: number }>('SELECT k, v FROM scratch ORDER BY k')).map((r) => `${r.k}=${r.v}`);

  it.skipIf(database.skip)('runs, reads one row and every row, with ? placeholders and 64-bit times as numbers', async () => {
    const at = Date.UTC(2026, 11, 4);
    expect(await opened.sql.run('INSERT INTO scratch (k, v, at) VALUES (?, ?, ?), (?, ?, ?)', ['a', 1, at, 'b', 2, at])).toEqual({ changes: 2 });
    expect(await opened.sql.get('SELECT v, at FROM scratch WHERE k = ?', ['b'])).toEqual({ v: 2, at });
    expect(await opened.sql.get('SELECT v FROM scratch WHERE k = ?', ['zz'])).toBeUndefined();
    expect(await values()).toEqual(['a=1', 'b=2']);
    expect(await opened.sql.get('SELECT count(*) AS n, sum(v) AS total FROM scratch')).toEqual({ n: 2, total: 3 });
    expect(await opened.sql.run('UPDATE scratch SET v = v + 10 WHERE k = ?', ['nobody'])).toEqual({ changes: 0 });
    expect(await opened.sql.get('UPDATE scratch SET v = v + 10 WHERE k = ? RETURNING v', ['a'])).toEqual({ v: 11 });
  });

  it.skipIf(database.skip)('commits a transaction as one unit and returns its value', async () => {
    const n = await opened.sql.transaction(async (tx) => {
      await tx.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['a', 1]);
      await tx.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['b', 2]);
      // Its own writes are visible inside it.
      return (await tx.get<{ n: number }>('SELECT count(*) AS n FROM scratch'))!.n;
    });
    expect(n).toBe(2);
    expect(await values()).toEqual(['a=1', 'b=2']);
  });

  it.skipIf(database.skip)('lands nothing of a transaction that throws, and rejects with its error', async () => {
    await expect(
      opened.sql.transaction(async (tx) => {
        await tx.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['a', 1]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await expect(
      opened.sql.transaction(async (tx) => {
        await tx.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['b', 1]);
        await tx.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['c', null]); // NOT NULL
      }),
    ).rejects.toThrow();
    expect(await values()).toEqual([]);
  });

  it.skipIf(database.skip)('keeps the neighbours of a failing unit started in the same turn', async () => {
    const units = [
      opened.sql.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['a', 1]),
      opened.sql.transaction(async (tx) => {
        await tx.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['b', 1]);
        await tx.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['a', 2]); // duplicate key
      }),
      opened.sql.transaction(async (tx) => tx.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['c', 3])),
    ];
    const outcomes = await Promise.allSettled(units);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await values()).toEqual(['a=1', 'c=3']);
  });

  it.skipIf(database.skip)('keeps the neighbours of a failing lone statement made in the same turn, each with its own result', async () => {
    await opened.sql.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['a', 1]);
    const made = [
      opened.sql.run('UPDATE scratch SET v = v + 1 WHERE k = ?', ['a']),
      opened.sql.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['b', 1]),
      opened.sql.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['a', 9]), // duplicate key
      opened.sql.get('INSERT INTO scratch (k, v) VALUES (?, ?) RETURNING v', ['c', 3]),
      opened.sql.get('SELECT v FROM scratch WHERE k = ?', ['a']),
    ];
    const outcomes = await Promise.allSettled(made);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'failed'))).toEqual([
      { changes: 1 }, { changes: 1 }, 'failed', { v: 3 }, { v: expect.any(Number) },
    ]);
    expect(await values()).toEqual(['a=2', 'b=1', 'c=3']);
  });

  it.skipIf(database.skip)('has committed a lone write when its promise resolves: another instance reads it', async () => {
    const other = await opened.another();
    const written = await Promise.all(Array.from({ length: 5 }, (_, i) => opened.sql.run('INSERT INTO scratch (k, v) VALUES (?, ?)', [`k${i}`, i])));
    expect(written).toEqual(Array.from({ length: 5 }, () => ({ changes: 1 })));
    expect(await other.get('SELECT count(*) AS n FROM scratch')).toEqual({ n: 5 });
  });

  it.skipIf(database.skip)('rolls a nested transaction back to its savepoint and keeps the outer one', async () => {
    await opened.sql.transaction(async (tx) => {
      await tx.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['outer', 1]);
      await expect(
        tx.transaction(async (inner) => {
          await inner.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['inner', 1]);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await tx.transaction((inner) => inner.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['kept', 1]));
    });
    expect(await values()).toEqual(['kept=1', 'outer=1']);
  });

  it.skipIf(database.skip)('never shows a transaction’s writes to a read from outside before it commits', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reads: string[] | null = null;
    const unit = opened.sql.transaction(async (tx) => {
      await tx.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['a', 1]);
      // The read from outside starts while this unit is open.
      release();
      for (let i = 0; i < 5; i++) await tx.get('SELECT 1 AS one');
      await tx.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['b', 2]);
    });
    await gate;
    const outside = values().then((v) => (reads = v));
    await unit;
    await outside;
    // Either before the unit (nothing) or after its commit (both rows): never half of it.
    expect([[], ['a=1', 'b=2']]).toContainEqual(reads);
    expect(await values()).toEqual(['a=1', 'b=2']);
  });

  it.skipIf(database.skip)('never overlaps two units that take the same lock, from two instances', async () => {
    const other = await opened.another();
    await opened.sql.run('INSERT INTO scratch (k, v) VALUES (?, ?)', ['counter', 0]);
    // Read, then write what was read plus one: without the lock two of these would read the same value.
    const bump = (on: Sql) =>
      on.transaction(
        async (tx) => {
          const { v } = (await tx.get<{ v: number }>('SELECT v FROM scratch WHERE k = ?', ['counter']))!;
          // PostgreSQL: give the other instance time to read the same value. (A SQLite unit may await nothing
          // but its statements: it holds the file's write lock meanwhile.)
          if (database.name === 'postgres') await new Promise((r) => setTimeout(r, 5));
          await tx.run('UPDATE scratch SET v = ? WHERE k = ?', [v + 1, 'counter']);
        },
        { lock: 'counter' },
      );
    await Promise.all(Array.from({ length: 10 }, (_, i) => bump(i % 2 ? other : opened.sql)));
    expect(await opened.sql.get('SELECT v FROM scratch WHERE k = ?', ['counter'])).toEqual({ v: 10 });
  });
});
