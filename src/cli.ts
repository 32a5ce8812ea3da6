// First: notes which process started this one before the command's modules load (see stop-signals.ts).
import './core/stop-signals.ts';
import { CommanderError } from 'commander';
import { readEnvFile } from './core/env-file.ts';
import { buildProgram } from './commands/program.ts';

/**
 * The `guang` command: src/commands/program.ts declares every command; each one's implementation is loaded
 * only when it runs. Exit codes: 0, 1 (the command refused or failed), 2 (a usage error: help or one line on
 * stderr, never a stack trace).
 */
const program = buildProgram();

// Settings in .env (or the file GUANG_ENV_FILE names; empty: none) fill what the environment leaves unset.
// Read before a command runs, not before parsing: `guang --help` works whatever the file holds.
program.hook('preAction', () => {
  const envFile = process.env.GUANG_ENV_FILE ?? '.env';
  try {
    if (envFile) readEnvFile(envFile, process.env);
  } catch (err) {
    console.error(`guang: could not read ${envFile}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
});

/** Errors an operator fixes with a setting or a file, told in one line (by name: their modules load lazily). */
const ONE_LINE_ERRORS = new Set(['SecretKeyError', 'DatabaseOpenError', 'SchemaTooNewError']);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help or the version asked for: 0. Anything else the parser refused (bare `guang` included, whose help
    // went to stderr) is a usage error: 2, as the commands' own usage errors.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof Error && ONE_LINE_ERRORS.has(err.name)) {
    // A key that does not fit the database, or a database that cannot be used, is a setting to fix, not a crash.
    // exit, not exitCode: a server that failed half-way may hold handles (signal listeners, timers) open.
    console.error(`guang: ${err.message}`);
    process.exit(1);
  } else throw err;
}
