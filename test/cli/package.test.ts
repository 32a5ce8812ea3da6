/**
 * The package as an operator installs it: exactly the files `npm pack` ships (package.json "files"), the
 * compiled build in dist/, and only the production dependencies (what `npm ci --omit=dev` or
 * `npm prune --omit=dev` leaves) — so no TypeScript, no tsx, no Wechaty. `guang` must run from that.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process.ts';
import { tempDir } from '../helpers/temp.ts';

const dir = tempDir();
const app = path.join(dir, 'app');

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [path.join(app, 'bin/guang.js'), ...args], {
    cwd: app,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: dir, GUANG_ENV_FILE: '', ...env },
    timeout: 60_000,
  });
}

beforeAll(() => {
  // The build is what ships; make sure it is the build of these sources.
  const build = spawnSync(process.execPath, ['scripts/build.js', '--if-stale'], { cwd: ROOT, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);

  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  expect(pack.status, pack.stderr).toBe(0);
  const files = (JSON.parse(pack.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
  for (const f of files) {
    mkdirSync(path.dirname(path.join(app, f)), { recursive: true });
    copyFileSync(path.join(ROOT, f), path.join(app, f));
  }

  // node_modules with the production dependency tree only: each top-level production package, linked.
  const ls = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  const top = path.join(ROOT, 'node_modules') + path.sep;
  const packages = new Set(
    ls.stdout
      .split('\n')
      .filter((p) => p.startsWith(top))
      .map((p) => p.slice(top.length).split(path.sep))
      .map((parts) => (parts[0]!.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join(path.sep)),
  );
  for (const name of packages) {
    mkdirSync(path.dirname(path.join(app, 'node_modules', name)), { recursive: true });
    symlinkSync(path.join(top, name), path.join(app, 'node_modules', name), 'dir');
  }
}, 180_000);

describe('the installed package (shipped files, production dependencies only)', () => {
  it('ships the compiled build and no tests, and leaves the development tools out', () => {
    const shipped = spawnSync('find', ['.', '-path', './node_modules', '-prune', '-o', '-type', 'f', '-print'], { cwd: app, encoding: 'utf8' }).stdout;
    expect(shipped).toContain('./dist/cli.js');
    expect(shipped).not.toMatch(/^\.\/test\//m);
    const r = spawnSync(process.execPath, ['-e', "for (const p of ['typescript', 'tsx', 'wechaty']) { try { import.meta.resolve(p); console.log(p) } catch {} }", '--input-type=module'], { cwd: app, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('');
  });

  it('answers --help from dist/', () => {
    const r = run(['--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('serve');
  });

  it('serves the demo and answers /healthz, then stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(app, 'bin/guang.js'), 'serve', '--demo'], {
      cwd: app,
      env: { PATH: process.env.PATH ?? '', HOME: dir, GUANG_ENV_FILE: '', PORT: '0', GUANG_DB: path.join(dir, 'demo.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const port = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no webhook URL printed: ${out}`)), 60_000);
        child.stdout.on('data', () => {
          const m = /http:\/\/localhost:(\d+)\/wechat/.exec(out);
          if (m) {
            clearTimeout(t);
            resolve(m[1]!);
          }
        });
      });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  it('says how to install Wechaty when `guang wechaty` is asked for without it', () => {
    const r = run(['wechaty'], { WECHATY_PUPPET: 'wechaty-puppet-mock', GUANG_DB: path.join(dir, 'w.db') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Wechaty is not installed.*npm install wechaty wechaty-puppet-mock/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
