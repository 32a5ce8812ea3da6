import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/agent/pipeline.ts';
import { createWechatPlayer, nextMsgId } from '../../src/channels/wechat/player.ts';
import { sleep } from '../../src/core/clock.ts';
import { TOKEN, testServer } from '../helpers/server.ts';
import { runDatabase } from '../helpers/run-database.ts';

let runs = 0;
/** `slow N`: answers after N ms; counts its runs (its side effect). */
const slow: Step = async (ctx, next) => {
  const m = /^slow (\d+)$/.exec(ctx.command);
  if (!m) return next();
  runs++;
  await sleep(Number(m[1]));
  ctx.answer({ type: 'text', text: `slow answer after ${m[1]} ms` }, 'custom:slow');
};

async function deliveriesTo(url: string, touser: string) {
  const body = (await (await fetch(`${url}/sim/deliveries`)).json()) as { deliveries: { touser: string; content?: string; api: string }[] };
  return body.deliveries.filter((d) => d.touser === touser);
}

describe('an answer not ready within the reply budget', () => {
  it('is answered `success` in time and delivered through the customer-service API', async () => {
    const server = await testServer({ skills: [slow], budgetMs: 150 });
    const player = createWechatPlayer({ url: server.webhook, token: TOKEN });
    const started = Date.now();
    const res = await player.text('o_late_cs', 'slow 1500');
    expect(res.body).toBe('success');
    expect(Date.now() - started).toBeLessThan(1500); // answered before the answer existed
    let delivered: Awaited<ReturnType<typeof deliveriesTo>> = [];
    for (let i = 0; i < 100 && delivered.length === 0; i++) {
      await sleep(50);
      delivered = await deliveriesTo(server.url, 'o_late_cs');
    }
    expect(delivered).toMatchObject([{ touser: 'o_late_cs', api: 'custom', content: 'slow answer after 1500 ms' }]);
    // The platform's 5-per-48-hours quota counts this message too: it is in the send ledger, as an answer.
    let ledger: unknown[] = [];
    for (let i = 0; i < 40 && ledger.length === 0; i++) {
      await sleep(25);
      ledger = await server.sql.all("SELECT channel, kind, source, outcome FROM push_ledger WHERE user_id = 'o_late_cs'");
    }
    expect(ledger).toEqual([{ channel: 'custom', kind: 'answer', source: 'late_answer', outcome: 'sent' }]);
  });

  it('answers a retry of a message handed to the customer-service API with `success`, not a second copy', async () => {
    const server = await testServer({ skills: [slow], budgetMs: 100 });
    const player = createWechatPlayer({ url: server.webhook, token: TOKEN });
    const msgId = nextMsgId();
    expect((await player.text('o_late_retry', 'slow 800', msgId)).body).toBe('success');
    await sleep(900);
    expect((await player.text('o_late_retry', 'slow 800', msgId)).body).toBe('success');
    await sleep(200);
    expect(await deliveriesTo(server.url, 'o_late_retry')).toHaveLength(1);
  });

  it('is kept for the platform\'s retry when the account cannot use the customer-service API', async () => {
    const server = await testServer({ skills: [slow], budgetMs: 100, holdMs: 3_000, env: { WECHAT_CUSTOMER_SERVICE: 'off' } });
    const before = runs;
    const msgId = nextMsgId();
    // WeChat gives up on the first delivery (here after 250 ms instead of 5 s) and retries.
    const impatient = createWechatPlayer({ url: server.webhook, token: TOKEN, timeoutMs: 250 });
    await expect(impatient.text('o_late_hold', 'slow 500', msgId)).rejects.toThrow();
    await sleep(400);
    const retry = await createWechatPlayer({ url: server.webhook, token: TOKEN }).text('o_late_hold', 'slow 500', msgId);
    expect(retry.reply!.Content).toBe('slow answer after 500 ms');
    expect(runs).toBe(before + 1);
    expect(server.simulator!.deliveries().filter((d) => d.touser === 'o_late_hold')).toHaveLength(0);
  });

  it('answers `success` on the last retry when the answer is still not ready', async () => {
    const server = await testServer({ skills: [slow], budgetMs: 100, holdMs: 3_000, env: { WECHAT_CUSTOMER_SERVICE: 'off' } });
    const msgId = nextMsgId();
    const impatient = createWechatPlayer({ url: server.webhook, token: TOKEN, timeoutMs: 150 });
    await expect(impatient.text('o_late_last', 'slow 2000', msgId)).rejects.toThrow();
    await expect(impatient.text('o_late_last', 'slow 2000', msgId)).rejects.toThrow();
    const started = Date.now();
    const third = await createWechatPlayer({ url: server.webhook, token: TOKEN }).text('o_late_last', 'slow 2000', msgId);
    expect(third.body).toBe('success');
    expect(Date.now() - started).toBeLessThan(1_700); // well before the answer (2 s after the first delivery)
  });
});

describe('restarts and shutdown', () => {
  it('gives a retry arriving after a restart the stored answer, without running the handler again', async () => {
    const { dbPath, env } = await runDatabase();
    const first = await testServer({ skills: [slow], dbPath, env });
    const msgId = nextMsgId();
    const before = runs;
    const answer = await createWechatPlayer({ url: first.webhook, token: TOKEN }).text('o_restart', 'slow 10', msgId);
    await first.close();
    const second = await testServer({ skills: [slow], dbPath, env });
    const retry = await createWechatPlayer({ url: second.webhook, token: TOKEN }).text('o_restart', 'slow 10', msgId);
    expect(retry.reply!.Content).toBe(answer.reply!.Content);
    expect(runs).toBe(before + 1);
  });

  it('finishes a request in flight before closing', async () => {
    const server = await testServer({ skills: [slow] });
    const pending = createWechatPlayer({ url: server.webhook, token: TOKEN }).text('o_shutdown', 'slow 300');
    await sleep(50);
    const closed = server.close();
    const answer = await pending;
    await closed;
    expect(answer.reply!.Content).toBe('slow answer after 300 ms');
    // The database too: a statement on the server's connection is refused.
    await expect(server.sql.get('SELECT 1')).rejects.toThrow();
  });
});
