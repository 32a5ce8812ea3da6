/** `guang serve [--demo] [--port N] [--role web|worker|all]`: the webhook server, until SIGTERM / SIGINT (then a graceful stop). */
import type { EncryptMode } from '../core/config.ts';
import { startServer, type RunningServer } from '../app/server.ts';
import { ListenError } from '../app/listen.ts';
import { apiAccess } from '../wechat-api/access.ts';
import { DatabaseOpenError, SchemaTooNewError } from '../db/db.ts';
import { configOrExit } from './config-or-exit.ts';
import { stopGracefully } from '../core/stop-signals.ts';
import type { ServeRole } from '../app/roles.ts';
import { UsageError } from './usage-error.ts';

export interface ServeOptions {
  readonly demo?: boolean;
  /** Overrides PORT. */
  readonly port?: number;
  /** What this process does (src/app/roles.ts); the parser checks the value. Default all. */
  readonly role?: ServeRole;
}

export async function run(options: ServeOptions): Promise<void> {
  // The flag wins over PORT from the environment or .env; the configuration reads and checks it as ever.
  if (options.port !== undefined) process.env.PORT = String(options.port);
  const config = configOrExit({ demo: options.demo ?? false });
  const role = options.role ?? 'all';
  // The embedded simulator is one process's fake WeChat: a web instance's and a worker's would be two, each
  // seeing half of what followers did and what was sent to them.
  if (role !== 'all' && config.embedSimulator) {
    throw new UsageError(
      `--role ${role}: the embedded API simulator (demo mode, or GUANG_SIMULATOR=on) lives inside one process; ` +
        'point every instance at one API with WECHAT_API_BASE (for instance the URL guang sim prints) or WECHAT_APPSECRET, or serve with --role all',
    );
  }
  // Handlers first: until a process listens for SIGTERM, the signal kills it outright (exit code null).
  let server: RunningServer | null = null;
  stopGracefully(() => server?.close(), { withParent: config.stopWithParent, onStopping: (why) => console.error(`${why}: finishing in-flight requests…`) });
  try {
    server = await startServer({ config, role });
  } catch (err) {
    // What an operator can fix gets one line and exit code 1, not a stack trace.
    if (err instanceof DatabaseOpenError || err instanceof SchemaTooNewError || err instanceof ListenError) {
      console.error(`guang: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const base = config.publicUrl ?? `http://localhost:${server.port}`;
  const w = config.wechat;
  // Secrets are shown as set, never as what they are: this banner ends up in terminals, CI logs and screenshots.
  const isSet = (v: string | null) => (v ? 'set' : 'not set');
  const access = apiAccess(w, server.simulator ? `${server.url}/sim` : null);
  if (role === 'worker') {
    // Nothing to talk to on a worker: it sends, and its port answers the probes only.
    console.log([
      'Guang is running as a worker (--role worker): the broadcast scheduler and sender, and the order notices.',
      `  Database:                  ${config.dbPath}`,
      `  WeChat API:                ${access.kind === 'none' ? `off (${access.missing} not set): nothing can be sent` : access.apiBase}`,
      `  Health:                    ${server.url}/healthz  ${server.url}/readyz`,
      `  Metrics:                   ${server.metricsUrl ? `${server.metricsUrl}/metrics` : 'off (set GUANG_METRICS_PORT to serve /metrics on a port of its own)'}`,
    ].join('\n'));
    return;
  }
  const lines = [
    `Guang is serving${config.demo ? ' (demo settings from .env.example for anything unset)' : ''}${role === 'web' ? ' as a web instance (--role web: broadcasts and order notices are sent by a worker)' : ''}.`,
    `  Webhook URL (服务器地址URL): ${base}/wechat`,
    `  Token (令牌):               ${isSet(w.token)} (WECHAT_TOKEN${config.demo ? ', the demo value from .env.example' : ''})`,
    `  EncodingAESKey / AppSecret: ${isSet(w.aesKey)} / ${isSet(w.appSecret)}`,
    `  Message mode:              ${MODES[w.encryptMode]} (WECHAT_ENCRYPT_MODE=${w.encryptMode})`,
    `  Database:                  ${config.dbPath}`,
    access.kind === 'none'
      ? `  WeChat API:                off (${access.missing} not set; see the warning above)`
      : access.kind === 'simulator'
        ? `  WeChat API:                local simulator at ${access.apiBase} (no AppSecret / API base configured)`
        : `  WeChat API:                ${access.apiBase}`,
    `  Health:                    ${base}/healthz  ${base}/readyz`,
    `  Metrics:                   ${server.metricsUrl ? `${server.metricsUrl}/metrics` : 'off (set GUANG_METRICS_PORT to serve /metrics on a port of its own)'}`,
    `Talk to it: npx guang chat${config.demo ? '' : ' --url ' + base + '/wechat'}`,
  ];
  // One line, so it can be copied (and found by a test): the demo owner's password is generated once and kept,
  // so every demo start prints the same one until it is changed.
  const owner = server.demoOwner;
  if (owner) {
    lines.push(`console: ${base}/admin  user: ${owner.username}  password: ${owner.current ? owner.password : '(changed; reset it with guang users passwd ' + owner.username + ')'}`);
  }
  console.log(lines.join('\n'));
}

const MODES: Record<EncryptMode, string> = {
  plain: 'plaintext (明文模式)',
  compatible: 'plaintext or encrypted (兼容模式)',
  safe: 'encrypted only (安全模式); plaintext deliveries are refused',
};
