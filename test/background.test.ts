import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createBackground } from '../src/core/background.ts';

describe('background slices', () => {
  it('gives one slice per turn of the event loop to all tasks together, in turn', async () => {
    const background = createBackground(5);
    const log: string[] = [];
    const task = async (name: string, slices: number) => {
      for (let i = 0; i < slices; i++) {
        const deadline = await background.turn();
        expect(deadline).toBeGreaterThan(performance.now() - 1);
        log.push(name);
      }
    };
    const done = Promise.all([task('import', 3), task('poll', 3)]);
    const perTurn: number[] = [];
    for (let turn = 0; turn < 8; turn++) {
      const before = log.length;
      await nextTurn();
      perTurn.push(log.length - before);
    }
    await done;
    expect(log).toEqual(['import', 'poll', 'import', 'poll', 'import', 'poll']);
    expect(Math.max(...perTurn)).toBe(1);
  });

  it('hands a slice that ends sliceMs after it starts', async () => {
    const background = createBackground(7);
    const before = performance.now();
    const deadline = await background.turn();
    expect(deadline - before).toBeGreaterThanOrEqual(7);
    expect(deadline - performance.now()).toBeLessThanOrEqual(7);
  });
});
