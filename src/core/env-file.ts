/**
 * Settings from a `.env` file, read once at start by the CLI: each variable the file names that the
 * environment does not set already (the environment wins, as with `node --env-file`). A missing file is
 * not an error; an unreadable one is.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * Copies into `env` what `file` sets and `env` does not; returns the names it took.
 * @example readEnvFile('.env', process.env) // ['WECHAT_TOKEN', 'GUANG_DB']
 */
export function readEnvFile(file: string, env: Record<string, string | undefined>): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const taken: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (env[name] !== undefined || value === undefined) continue;
    env[name] = value;
    taken.push(name);
  }
  return taken;
}
