import { describe, expect, it } from 'vitest';
import { compose, type Step } from '../../src/agent/pipeline.ts';
import { createTurnContext, type TurnContext } from '../../src/agent/context.ts';
import { text } from '../../src/core/messages.ts';
import { inbound } from '../helpers/inbound.ts';

function ctx(): TurnContext {
  return createTurnContext({
    inbound: inbound({ kind: 'text', text: 'x' }),
    now: 0,
    command: 'x',
    persona: { botName: 'b', accountName: 'a' },
    subscribers: {} as never,
    log: { info() {} } as never,
  });
}

describe('pipeline', () => {
  it('runs steps in order until one answers', async () => {
    const seen: string[] = [];
    const pass = (name: string): Step => async (_c, next) => {
      seen.push(name);
      await next();
    };
    const answer: Step = (c) => {
      seen.push('answer');
      c.answer(text('hi'), 'custom:answer');
    };
    const c = ctx();
    await compose([pass('a'), pass('b'), answer, pass('never')])(c, async () => {});
    expect(seen).toEqual(['a', 'b', 'answer']);
    expect(c.reply).toEqual(text('hi'));
    expect(c.answeredBy).toBe('custom:answer');
  });

  it('lets a step act after the rest of the pipeline has run', async () => {
    const seen: string[] = [];
    const around: Step = async (_c, next) => {
      seen.push('before');
      await next();
      seen.push('after');
    };
    await compose([around, (c) => c.answer(text('x'), 'custom:x')])(ctx(), async () => {});
    expect(seen).toEqual(['before', 'after']);
  });

  it('refuses a step that calls next twice', async () => {
    const twice: Step = async (_c, next) => {
      await next();
      await next();
    };
    await expect(compose([twice])(ctx(), async () => {})).rejects.toThrow(/twice/);
  });
});
