import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll } from 'vitest';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/**
 * The `guang` command as installed (bin/guang.js, the compiled dist/), which vitest's global setup brings up to
 * date with src/ before any file runs (test/helpers/global-build.ts): a start from the compiled JavaScript costs
 * a third of the CPU of tsx compiling the sources in every spawned process.
 */
const GUANG = [path.join(ROOT, 'bin/guang.js')];

export interface Proc {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout, or rejects when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited(): Promise<number | null>;
}

// The processes this test file started. One hook, registered when the file imports this module: vitest never
// runs an afterAll registered inside a test body, so a per-call hook leaked servers whenever a test failed.
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

/**
 * Runs `guang ARGS` as a real process; killed after the file's tests if still running. No `.env` is read
 * (a developer's own would change what the tests see) unless `env` names one in GUANG_ENV_FILE.
 */
export function guang(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT): Proc {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WECHAT_') && !k.startsWith('GUANG_') && k !== 'PORT'));
  const child = spawn(process.execPath, [...GUANG, ...args], { cwd, env: { ...clean, GUANG_ENV_FILE: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  // 'close', not 'exit': a process can exit before its last output has been read from the pipes, and a caller
  // that reads stdout once the process has ended must see all of it.
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  running.add(child);
  child.once('exit', () => running.delete(child));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: () => exit,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stdout: ${out}; stderr: ${err}`)), timeoutMs);
        const check = () => {
          const m = pattern.exec(out);
          if (m) {
            clearTimeout(timer);
            child.stdout!.off('data', check);
            resolve(m);
          }
        };
        child.stdout!.on('data', check);
        void exit.then((code) => {
          clearTimeout(timer);
          if (!pattern.exec(out)) reject(new Error(`exited (${code}) before ${pattern}; stdout: ${out}; stderr: ${err}`));
        });
        check();
      });
    },
  };
}
