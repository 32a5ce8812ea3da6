/**
 * A long-running command stops gracefully when the process that started it goes away without passing the
 * signal on. The case found: `npm start` → npm → `sh -c "node bin/guang.js serve --demo"` → node; SIGTERM to
 * npm reaches sh (dash, which does not exec), sh dies, and node went on serving as an orphan. Here sh cannot
 * exec either (`; true` follows the command), and the SIGTERM goes to sh alone.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process.ts';
import { runDatabase } from '../helpers/run-database.ts';

const started: number[] = [];
afterAll(() => {
  for (const pid of started) if (running(pid)) process.kill(pid, 'SIGKILL');
});

/** `sh -c '<node> bin/guang.js ARGS; true'`: the shell stays node's parent and passes no signal on. */
function underShell(args: string[], env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WECHAT_') && !k.startsWith('GUANG_') && k !== 'PORT'));
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, path.join(ROOT, 'bin/guang.js'), ...args].map(quote).join(' ');
  const sh: ChildProcess = spawn('/bin/sh', ['-c', `${command}; true`], { cwd: ROOT, env: { ...clean, GUANG_ENV_FILE: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  sh.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  sh.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return {
    sh,
    stdout: () => out,
    stderr: () => err,
    /** The first match of `pattern` in what node printed. */
    async waitFor(pattern: RegExp): Promise<RegExpExecArray> {
      await expect.poll(() => pattern.test(out), { timeout: 60_000, interval: 100 }).toBe(true);
      return pattern.exec(out)!;
    },
    /** node's pid: the shell's one child. */
    node(): number {
      const pid = Number(execFileSync('ps', ['-o', 'pid=', '--ppid', String(sh.pid)], { encoding: 'utf8' }).trim());
      started.push(pid);
      return pid;
    },
  };
}

/** Whether `pid` is a process that has not exited (a zombie waiting for its new parent to reap it has). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
  } catch {
    return false;
  }
}

/** Real processes starting under load on two cores: minutes are allowed, the stop itself is held to 10 s. */
const SLOW = 90_000;

/** GUANG_DB and what opens it: a new database of the run's kind (PostgreSQL's pool must not keep a stopping process alive). */
const database = async () => {
  const db = await runDatabase();
  return { GUANG_DB: db.dbPath, ...db.env };
};

const refused = async (url: string) => fetch(url).then(() => false, () => true);

describe('when the parent shell dies of SIGTERM without passing it on', () => {
  it('guang serve notices within seconds, runs its graceful stop, closes its ports and exits', async () => {
    const p = underShell(['serve', '--demo'], { PORT: '0', ...(await database()), GUANG_METRICS_PORT: '0' });
    const [, port] = await p.waitFor(/localhost:(\d+)\/wechat/);
    const [, metrics] = await p.waitFor(/Metrics:\s+(http:\S+)\/metrics/);
    const node = p.node();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    p.sh.kill('SIGTERM');
    await expect.poll(() => refused(`http://127.0.0.1:${port}/healthz`), { timeout: 10_000, interval: 200 }).toBe(true);
    await expect.poll(() => running(node), { timeout: 10_000, interval: 200 }).toBe(false);
    expect(await refused(`${metrics}/metrics`)).toBe(true);
    expect(p.stderr()).toContain('the process that started guang exited: finishing in-flight requests…');
    expect(p.stderr()).toContain('"msg":"stopped"'); // the graceful stop ran to its end
  }, SLOW);

  it('guang sim does the same', async () => {
    const p = underShell(['sim'], { PORT: '0' });
    const [, url] = await p.waitFor(/at (http:\/\/\S+\/sim)/);
    const node = p.node();
    p.sh.kill('SIGTERM');
    await expect.poll(() => refused(`${url}/deliveries`), { timeout: 10_000, interval: 200 }).toBe(true);
    await expect.poll(() => running(node), { timeout: 10_000, interval: 200 }).toBe(false);
  }, SLOW);

  it('guang wechaty does the same', async () => {
    const p = underShell(['wechaty'], { WECHATY_PUPPET: 'wechaty-puppet-mock', ...(await database()), GUANG_LOG_LEVEL: 'silent' });
    await p.waitFor(/Bot started/);
    const node = p.node();
    p.sh.kill('SIGTERM');
    await expect.poll(() => running(node), { timeout: 10_000, interval: 200 }).toBe(false);
    expect(p.stderr()).toContain('the process that started guang exited: finishing the answers under way…');
  }, SLOW);

  it('keeps serving with GUANG_STOP_WITH_PARENT=off, and still stops on its own SIGTERM', async () => {
    const p = underShell(['serve', '--demo'], { PORT: '0', ...(await database()), GUANG_STOP_WITH_PARENT: 'off' });
    const [, port] = await p.waitFor(/localhost:(\d+)\/wechat/);
    const node = p.node();
    p.sh.kill('SIGTERM');
    await new Promise((resolve) => p.sh.once('exit', resolve));
    // Several of the watchdog's 1 s looks later, the orphan still answers.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    process.kill(node, 'SIGTERM');
    await expect.poll(() => running(node), { timeout: 10_000, interval: 200 }).toBe(false);
    expect(p.stderr()).toContain('SIGTERM: finishing in-flight requests…');
  }, SLOW);
});
