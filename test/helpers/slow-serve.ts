/**
 * Test-only entry: `guang serve` (same configuration from the environment, same startServer) with one extra
 * skill, `slow N`, that answers after N ms and prints `handling <MsgId>` once its claim is committed. The crash
 * tests SIGKILL it mid-answer. Run with `node bin/run-ts.js test/helpers/slow-serve.ts`.
 */
import type { Step } from '../../src/agent/pipeline.ts';
import { sleep } from '../../src/core/clock.ts';
import { configOrExit } from '../../src/commands/config-or-exit.ts';
import { startServer } from '../../src/app/server.ts';

const slow: Step = async (ctx, next) => {
  const m = /^slow (\d+)$/.exec(ctx.command);
  if (!m) return next();
  const msgId = 'msgId' in ctx.inbound ? ctx.inbound.msgId : ctx.inbound.dedupKey;
  // The handler runs only after the claim has committed (agent/dedup.ts): this line means "claimed".
  process.stdout.write(`handling ${msgId} pid ${process.pid}\n`);
  await sleep(Number(m[1]));
  ctx.answer({ type: 'text', text: `slow answer ${msgId} from ${process.pid}` }, 'custom:slow');
};

const server = await startServer({ config: configOrExit({ demo: false }), skills: [slow] });
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
process.stdout.write(`listening on ${server.port}\n`);
