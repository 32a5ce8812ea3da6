/** `guang serve [--demo]`: the webhook server, until SIGTERM / SIGINT (then a graceful stop). */
import { parseArgs } from 'node:util';
import { startServer, type RunningServer } from '../server.ts';
import { DatabaseOpenError, SchemaTooNewError } from '../store/db.ts';
import { configOrExit } from './config-or-exit.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { demo: { type: 'boolean', default: false } } });
  const config = configOrExit({ demo: values.demo ?? false });
  // Handlers first: until a process listens for SIGTERM, the signal kills it outright (exit code null).
  let server: RunningServer | null = null;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!server) process.exit(0);
    console.log(`${signal}: finishing in-flight requests…`);
    server.close().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    server = await startServer({ config });
  } catch (err) {
    // What an operator can fix gets one line and exit code 1, not a stack trace.
    if (err instanceof DatabaseOpenError || err instanceof SchemaTooNewError) {
      console.error(`guang: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const base = config.publicUrl ?? `http://localhost:${server.port}`;
  const w = config.wechat;
  const lines = [
    `Guang is serving${config.demo ? ' (demo settings from .env.example for anything unset)' : ''}.`,
    `  Webhook URL (服务器地址URL): ${base}/wechat`,
    `  Token (令牌):               ${w.token}`,
    `  Message mode:              ${w.aesKey ? 'plaintext, compatible or safe (EncodingAESKey set)' : 'plaintext only (no EncodingAESKey)'}`,
    `  Database:                  ${config.dbPath}`,
    server.simulator
      ? `  WeChat API:                local simulator at ${server.url}/sim (no AppSecret / API base configured)`
      : `  WeChat API:                ${w.apiBase ?? 'https://api.weixin.qq.com'}`,
    `  Health / metrics:          ${base}/healthz  ${base}/metrics`,
    `Talk to it: npx guang chat${config.demo ? '' : ' --url ' + base + '/wechat'}`,
  ];
  console.log(lines.join('\n'));
}
