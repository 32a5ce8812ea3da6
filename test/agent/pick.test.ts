import { describe, expect, it } from 'vitest';
import { pickedNumber } from '../../src/agent/skills/pick.ts';
import { normalizeCommand } from '../../src/core/command.ts';

const picked = (said: string) => pickedNumber(normalizeCommand(said));

describe('spoken ordinals', () => {
  it.each([
    ['嗯那个就是第二个吧', 2],
    ['就是第二个吧', 2],
    ['第2个吧', 2],
    ['那就第三个', 3],
    ['嗯…第一个吧', 1],
    ['我选第4个', 4],
    ['还是第五个吧谢谢', 5],
    ['呃，3号吧', 3],
  ])('reads %s as item %i', (said, n) => {
    expect(picked(said)).toBe(n);
  });

  it.each(['就是两个吧', '那个吧', '嗯', '第二个连衣裙', '要两件吧', '就是这个'])('does not read %s as a pick', (said) => {
    expect(picked(said)).toBeNull();
  });
});
