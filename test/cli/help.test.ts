/**
 * The `guang` command line as a user meets it: help for every command (the list comes from the program
 * itself, so a new command is covered without editing this file), the version, and usage errors as one line
 * on stderr with exit code 2 — never a stack trace.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_KINDS } from '../../src/catalogue/import/importer.ts';
import { buildProgram, IMPORT_KINDS } from '../../src/commands/program.ts';
import { guang, ROOT } from '../helpers/process.ts';
import { tempDbPath, tempDir } from '../helpers/temp.ts';

/** Every command and subcommand, as the words typed after `guang`. */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((sub) => {
    const words = [...prefix, sub.name()];
    return [words, ...commandPaths(sub, words)];
  });
}

const COMMANDS = commandPaths(buildProgram());
const dir = tempDir();

async function run(args: string[], env: Record<string, string> = {}) {
  const p = guang(args, env);
  const code = await p.exited();
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

describe('guang --help', () => {
  it('finds every command of the README in the program, subcommands included', () => {
    const names = COMMANDS.map((c) => c.join(' '));
    for (const c of ['serve', 'sim', 'chat', 'import', 'rules test', 'rules list', 'stores add', 'stores list', 'qr create', 'wechaty', 'broadcast create', 'broadcast preview', 'broadcast send', 'broadcast list', 'broadcast cancel', 'broadcast replies', 'backup', 'users add', 'users list', 'users passwd', 'users disable']) {
      expect(names).toContain(c);
    }
  });

  describe.concurrent('every command answers --help on stdout with exit 0, without running', () => {
    it.each(COMMANDS.map((c) => [c.join(' ')]))('guang %s --help', async (words) => {
      // No database, no token: a command that ran instead of helping would fail or open one.
      const db = tempDbPath(dir);
      const r = await run([...words.split(' '), '--help'], { GUANG_DB: db });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Usage: guang ${words} `);
      expect(r.stderr).toBe('');
    }, 60_000);
  });

  it('answers -h and `guang help COMMAND` the same way', async () => {
    const short = await run(['rules', 'test', '-h']);
    const viaHelp = await run(['help', 'serve']);
    expect([short.code, viaHelp.code]).toEqual([0, 0]);
    expect(short.stdout).toContain('Usage: guang rules test ');
    expect(viaHelp.stdout).toContain('Usage: guang serve ');
  }, 60_000);

  it('lists every top-level command in the program\'s own help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const [name] of COMMANDS.filter((c) => c.length === 1)) expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });
});

describe('guang --version', () => {
  it('prints package.json\'s version, with -V too', async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  }, 60_000);
});

describe('usage errors: exit 2, one line on stderr, nothing on stdout', () => {
  it('an unknown option names it and suggests the one meant', async () => {
    const r = await run(['serve', '--prot', '4000']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([expect.stringContaining("'--prot'")]);
    expect(r.stderr).toContain('did you mean --port?');
  });

  it('an unknown command suggests the one meant', async () => {
    const r = await run(['serv']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/unknown command 'serv'.*did you mean serve\?/)]);
  });

  it('a missing argument names it', async () => {
    const r = await run(['import']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^guang import: missing required argument 'kind'/)]);
  });

  it('a bad value names the option', async () => {
    const r = await run(['sim', '--port', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^guang sim: option '--port <n>' argument 'abc' is invalid/)]);
  });

  it('a usage error the command itself finds reads the same', async () => {
    const r = await run(['rules', 'test', '--scene', 'store_1'], { GUANG_DB: tempDbPath(dir) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^guang rules test: --scene goes with --follow/)]);
  });

  it('bare `guang` and a group without its subcommand print the help on stderr', async () => {
    for (const args of [[], ['broadcast']]) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^Usage: guang ${args.join(' ')}`));
    }
  }, 60_000);
});

it('offers exactly the kinds the importers know, and rules', () => {
  expect([...IMPORT_KINDS].sort()).toEqual([...CATALOGUE_KINDS, 'rules'].sort());
});
