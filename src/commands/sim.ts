/** `guang sim`: the local WeChat API simulator on its own, at http://host:PORT/sim. */
import { parseArgs } from 'node:util';
import { startStandaloneSimulator } from '../wechat-api/simulator/simulator.ts';
import { stopWithParentSetting } from '../core/config.ts';
import { stopGracefully } from '../core/stop-signals.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { type: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } },
  });
  const port = Number(process.env.PORT ?? 3001);
  const accountType = values.type ?? process.env.WECHAT_ACCOUNT_TYPE ?? 'service';
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`guang sim: PORT: expected a port number, got "${process.env.PORT}"`);
    process.exit(1);
  }
  if (accountType !== 'service' && accountType !== 'subscription') {
    console.error(`guang sim: --type / WECHAT_ACCOUNT_TYPE: expected subscription or service, got "${accountType}"`);
    process.exit(1);
  }
  let withParent: boolean;
  try {
    withParent = stopWithParentSetting(process.env);
  } catch (err) {
    console.error(`guang sim: ${(err as Error).message}`);
    process.exit(1);
  }
  let sim: Awaited<ReturnType<typeof startStandaloneSimulator>> | null = null;
  stopGracefully(() => sim?.close(), { withParent });
  sim = await startStandaloneSimulator({ port, host: values.host ?? '127.0.0.1', accountType });
  console.log(`WeChat API simulator (${accountType} account) at ${sim.url}\n  point clients at WECHAT_API_BASE=${sim.url}\n  deliveries: GET ${sim.url}/deliveries`);
}
