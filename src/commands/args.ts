/**
 * Argument parsing shared by the subcommands that take a sub-verb (`rules test`, `stores add`, `qr create`):
 * `--help`, `--account`, usage errors (exit 2, with the usage), and the verb itself.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
const COMMON = { account: { type: 'string', default: 'default' }, help: { type: 'boolean', short: 'h' } } as const;

export interface Usage {
  /** Prints `guang <command>: message`, then the usage, on stderr; returns exit code 2. */
  error(message: string): number;
}

export function usage(command: string, text: string): Usage {
  return {
    error(message) {
      console.error(`guang ${command}: ${message}\n\n${text}`);
      return 2;
    },
  };
}

/**
 * Parses `args` for one of `verbs`; a number is the exit code to return at once (help printed, or a usage error).
 * @example const a = verbArgs(args, ['create', 'list'], { store: { type: 'string' } }, u, USAGE); if (typeof a === 'number') return a;
 */
export function verbArgs<O extends Options, V extends string>(args: string[], verbs: readonly V[], options: O, u: Usage, text: string) {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { ...COMMON, ...options } as O & typeof COMMON });
  } catch (err) {
    return u.error((err as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    console.log(text);
    return 0;
  }
  const [verb, ...rest] = parsed.positionals;
  if (!verbs.includes(verb as V)) return u.error(verb ? `unknown subcommand "${verb}"` : `say ${verbs.join(' or ')}`);
  const account = (typeof values.account === 'string' ? values.account.trim() : '') || 'default';
  return { verb: verb as V, rest, values: parsed.values, account };
}
