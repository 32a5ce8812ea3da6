import { describe, expect, it } from 'vitest';
import { runEval } from './runner.ts';
import { SETS } from './sets.ts';

/**
 * What the bot suggests, followed: the examples its help text gives come from the shop's own catalogue
 * (search/offer.ts), and each one, sent back as a follower would, answers with that shop's products.
 */
describe('the examples a shop suggests', () => {
  for (const set of SETS.filter((s) => s.shop)) {
    it(`${set.name}: every example in 帮助 answers with products`, async () => {
      const [help] = await runEval([{ say: '帮助', expect: { answeredBy: 'help' } }], set.shop);
      const line = help!.reply.split('\n').find((l) => l.includes('找商品')) ?? '';
      const examples = [...line.matchAll(/「([^」]+)」/g)].map((m) => m[1]!);
      expect(examples.length, help!.reply).toBeGreaterThan(0);
      const followed = await runEval(examples.map((say) => ({ say, expect: { intent: 'product', minResults: 3 } })), set.shop);
      expect(followed.filter((r) => !r.passed).map((r) => `${String(r.case.say)}: ${r.problems.join('; ')}`)).toEqual([]);
    }, 60_000);
  }
});
