/** `guang sim [--port N] [--host ADDRESS] [--type TYPE]`: the local WeChat API simulator on its own, at http://host:PORT/sim. */
import { startStandaloneSimulator, type StandaloneSimulator } from '../wechat-api/simulator/simulator.ts';
import { stopWithParentSetting } from '../core/config.ts';
import { stopGracefully } from '../core/stop-signals.ts';

export interface SimOptions {
  /** Overrides PORT (default 3001). */
  readonly port?: number;
  readonly host: string;
  /** Overrides WECHAT_ACCOUNT_TYPE (default service). */
  readonly type?: 'subscription' | 'service';
}

export async function run(options: SimOptions): Promise<number | void> {
  const fromEnv = process.env.PORT?.trim() || undefined;
  const port = options.port ?? Number(fromEnv ?? 3001);
  const accountType = options.type ?? (process.env.WECHAT_ACCOUNT_TYPE?.trim() || 'service');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`guang sim: PORT: expected a port number, got "${fromEnv}"`);
    return 1;
  }
  if (accountType !== 'service' && accountType !== 'subscription') {
    console.error(`guang sim: WECHAT_ACCOUNT_TYPE: expected subscription or service, got "${accountType}"`);
    return 1;
  }
  let withParent: boolean;
  try {
    withParent = stopWithParentSetting(process.env);
  } catch (err) {
    console.error(`guang sim: ${(err as Error).message}`);
    return 1;
  }
  // Handlers first: until a process listens for SIGTERM, the signal kills it outright.
  let sim: StandaloneSimulator | null = null;
  stopGracefully(() => sim?.close(), { withParent });
  try {
    sim = await startStandaloneSimulator({ port, host: options.host, accountType });
  } catch (err) {
    // A port in use or an address not on this machine is a setting to change, not a crash.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES' || code === 'ENOTFOUND') {
      console.error(`guang sim: cannot listen on ${options.host}:${port} (${code}): choose another --port / PORT or --host`);
      return 1;
    }
    throw err;
  }
  console.log(`WeChat API simulator (${accountType} account) at ${sim.url}\n  point clients at WECHAT_API_BASE=${sim.url}\n  deliveries: GET ${sim.url}/deliveries`);
}
