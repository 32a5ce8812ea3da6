// First: notes which process started this one before the command's modules load (see stop-signals.ts).
import './core/stop-signals.ts';
import { readEnvFile } from './core/env-file.ts';

/**
 * The `guang` command. Each subcommand lives in src/commands/ and is loaded only when used, so
 * `guang chat` does not open a database and `guang serve` does not load what it does not need.
 */
const COMMANDS: Record<string, { about: string; load: () => Promise<{ run(args: string[]): Promise<number | void> }> }> = {
  serve: { about: 'serve the webhook, pages and API (--demo: fill unset settings from .env.example)', load: () => import('./commands/serve.ts') },
  sim: { about: 'run the local WeChat API simulator on PORT (under /sim)', load: () => import('./commands/sim.ts') },
  chat: { about: 'talk to a running webhook as a follower would (--as OPENID, --url, --encrypt)', load: () => import('./commands/chat.ts') },
  import: { about: 'load products, hotels, deals (CSV / JSON / JSON Lines / 淘宝助理) or rules (JSON) into GUANG_DB', load: () => import('./commands/import.ts') },
  rules: { about: 'rules test "文本": which rule or skill would answer, and why (dry run); rules list', load: () => import('./commands/rules.ts') },
  stores: { about: 'add or list stores (each store\'s id is the scene of its QR codes)', load: () => import('./commands/stores.ts') },
  qr: { about: 'qr create --store ID [--temporary]: a store\'s QR code through the WeChat API', load: () => import('./commands/qr.ts') },
  wechaty: { about: 'answer personal-WeChat / WeCom chats and groups through the Wechaty puppet named in WECHATY_PUPPET (--demo)', load: () => import('./commands/wechaty.ts') },
  broadcast: { about: 'broadcast create FILE.json | preview ID | send ID | list | cancel ID | replies ID (JSON out)', load: () => import('./commands/broadcast.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return ['usage: guang <command> [options]', '', ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.about}`)].join('\n');
}

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h' || name === 'help') {
  console.log(usage());
  process.exit(name ? 0 : 2);
}
const command = COMMANDS[name];
if (!command) {
  console.error(`guang: unknown command "${name}"\n\n${usage()}`);
  process.exit(2);
}
// Settings in .env (or the file GUANG_ENV_FILE names; empty: none) fill what the environment leaves unset.
const envFile = process.env.GUANG_ENV_FILE ?? '.env';
try {
  if (envFile) readEnvFile(envFile, process.env);
} catch (err) {
  console.error(`guang: could not read ${envFile}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
try {
  const code = await (await command.load()).run(args);
  if (typeof code === 'number') process.exitCode = code;
} catch (err) {
  // A key that does not fit the database is a setting to fix, not a crash: say which, without a stack trace.
  if (err instanceof Error && err.name === 'SecretKeyError') {
    console.error(`guang: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
