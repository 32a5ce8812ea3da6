/**
 * The deploy kit (Dockerfile, .dockerignore, deploy/compose.yaml, deploy/Caddyfile, deploy/guang.service) says
 * what the code needs: there is no Docker engine or systemd to run them in tests, so what matters is read from
 * the files and checked against the repository and the code's own defaults.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { STOP_DEADLINE_MS } from '../../src/core/stop-signals.ts';
import { DEFAULT_LEXICON_DIR } from '../../src/search/understand/lexicon.ts';
import { DEMO_DATA_DIR } from '../../src/catalogue/demo.ts';
import { ROOT } from '../helpers/process.ts';
import { at, dockerignore, dockerStages, execForm, readUnit, readYaml, seconds, type Instruction } from './files.ts';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const DOCKERFILE = read('Dockerfile');
const stages = dockerStages(DOCKERFILE);
const final = stages.at(-1)!;
const build = stages.find((s) => s.name !== null && final.instructions.some((i) => i.flags.get('from') === s.name));
const ignored = dockerignore(read('.dockerignore'));
const compose = readYaml(read('deploy/compose.yaml'));
const guang = at(compose, 'services', 'guang');
const caddy = at(compose, 'services', 'caddy');
const composeEnv = (name: string) => at(guang, 'environment', name) as string | undefined;
const unit = readUnit(read('deploy/guang.service'));
const service = unit.get('Service') ?? new Map<string, string[]>();
const one = (key: string) => service.get(key)?.at(-1);
const unitEnv = (name: string) => (service.get('Environment') ?? []).map((e) => e.split(/=(.*)/s)).find(([k]) => k === name)?.[1];
/** How long a graceful stop may take before Guang gives up and exits 1: the supervisors must wait longer. */
const GRACEFUL_STOP_S = STOP_DEADLINE_MS / 1000;
/** The port the code listens on when PORT is unset. */
const DEFAULT_PORT = loadConfig({ WECHAT_TOKEN: 'deploytest' }).port;

const all = (keyword: string, ins: readonly Instruction[] = final.instructions) => ins.filter((i) => i.keyword === keyword);
const last = (keyword: string) => all(keyword).at(-1);
const stageWorkdir = (ins: readonly Instruction[]) => all('WORKDIR', ins).at(-1)?.words[0] ?? '/';
/** The final stage's environment: ENV KEY=value pairs (several per instruction). */
const finalEnv = new Map(all('ENV').flatMap((i) => i.words.map((w) => w.split(/=(.*)/s) as [string, string])));
/** The files git tracks at or under `source`: what a fresh clone holds there. */
const tracked = (source: string): string[] => execFileSync('git', ['ls-files', '-z', '--', source], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
/** Where a COPY puts each source, relative to the stage's WORKDIR (trailing slashes dropped). */
const destinations = (copy: Instruction): string[] => {
  const dest = copy.words.at(-1)!;
  return copy.words.slice(0, -1).map((s) => path.posix.normalize(dest.endsWith('/') && !s.endsWith('/') ? path.posix.join(dest, path.posix.basename(s)) : dest).replace(/\/$/, ''));
};

describe('Dockerfile', () => {
  it('has no error or warning from dockerfile-utils', () => {
    const problems = validate(DOCKERFILE).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it('builds in one stage and runs from another on the same base image (the native addon is compiled for it)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    expect(final.from).toBe(build!.from);
    expect(final.from).toMatch(/^node:/);
  });

  it('compiles the production dependencies and dist/ in the build stage, then drops the dev dependencies', () => {
    const runs = all('RUN', build!.instructions).map((i) => i.args).join('\n');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/npm rebuild better-sqlite3|npm ci(?![^\n]*--ignore-scripts)/); // the addon's install script runs
    expect(runs).toMatch(/npm run build/);
    expect(runs).toMatch(/npm prune --omit=dev/);
    expect(runs.indexOf('npm prune')).toBeGreaterThan(runs.indexOf('npm run build')); // tsc is a dev dependency
  });

  it('runs as a user other than root', () => {
    const user = last('USER')?.words[0];
    expect(user).toBeDefined();
    expect(user!.split(':')[0]).not.toMatch(/^(root|0)$/);
  });

  it('starts `node dist/cli.js serve` in exec form, so node is PID 1 and gets SIGTERM itself', () => {
    const command = [...(execForm(last('ENTRYPOINT')) ?? []), ...(execForm(last('CMD')) ?? [])];
    expect(command.slice(0, 3)).toEqual(['node', 'dist/cli.js', 'serve']);
    expect(existsSync(path.join(ROOT, 'src/cli.ts'))).toBe(true); // what dist/cli.js is compiled from
    expect(last('STOPSIGNAL')?.words).toEqual(['SIGTERM']);
  });

  it('checks /healthz with node itself (slim images have no curl), on the port the server listens on', () => {
    const check = last('HEALTHCHECK');
    expect(check).toBeDefined();
    const cmd = JSON.parse(check!.args.slice(check!.args.indexOf('CMD') + 3).trim()) as string[];
    expect(cmd.slice(0, 2)).toEqual(['node', '-e']);
    expect(cmd[2]).toContain('/healthz');
    expect(cmd[2]).toContain(`process.env.PORT || ${DEFAULT_PORT}`);
    expect(last('EXPOSE')?.words).toEqual([String(DEFAULT_PORT)]);
  });

  it('runs in production mode with the database in a volume the runtime user owns', () => {
    expect(finalEnv.get('NODE_ENV')).toBe('production');
    const db = finalEnv.get('GUANG_DB')!;
    const volume = last('VOLUME')?.words[0];
    expect(volume).toBeDefined();
    expect(path.posix.dirname(db)).toBe(volume);
    const user = last('USER')!.words[0]!.split(':')[0];
    const chown = all('RUN').find((r) => new RegExp(`chown ${user}(:${user})? ${volume}\\b`).test(r.args));
    expect(chown).toBeDefined();
    // Docker gives a new volume the directory's owner only when the directory exists before VOLUME.
    expect(final.instructions.indexOf(chown!)).toBeLessThan(final.instructions.indexOf(last('VOLUME')!));
  });

  it('copies from the context only files in the repository, all of which .dockerignore lets in', () => {
    const fromContext = stages.flatMap((s) => all('COPY', s.instructions)).filter((c) => !c.flags.has('from'));
    expect(fromContext.length).toBeGreaterThan(0);
    for (const copy of fromContext) {
      for (const source of copy.words.slice(0, -1)) {
        const files = tracked(source);
        expect(files, `${source} is in the repository`).not.toEqual([]);
        for (const file of files) expect(ignored(file), `${file} is in the build context`).toBe(false);
      }
    }
  });

  it('copies from the build stage only what that stage copied in or made', () => {
    const workdir = stageWorkdir(build!.instructions);
    const copiedIn = all('COPY', build!.instructions).flatMap((c) => c.words.slice(0, -1));
    const runs = all('RUN', build!.instructions).map((i) => i.args).join('\n');
    const made: Record<string, RegExp> = { node_modules: /npm ci\b/, dist: /npm run build/ };
    expect(read('tsconfig.build.json')).toMatch(/"outDir":\s*"dist"/);
    const fromBuild = all('COPY').filter((c) => c.flags.get('from') === build!.name);
    expect(fromBuild.length).toBeGreaterThan(0);
    for (const copy of fromBuild) {
      for (const source of copy.words.slice(0, -1)) {
        const relative = path.posix.relative(workdir, path.posix.resolve(workdir, source));
        const fromContext = copiedIn.some((c) => path.posix.normalize(c).replace(/\/$/, '') === relative);
        const madeBy = made[relative];
        expect(fromContext || (madeBy !== undefined && madeBy.test(runs)), `${source} comes from the build stage`).toBe(true);
      }
    }
  });

  it('puts in the image what the server reads at run time, where the compiled code looks for it', () => {
    const copied = all('COPY').flatMap(destinations);
    const has = (file: string) => copied.some((d) => file === d || file.startsWith(`${d}/`));
    // package.json makes dist/*.js ES modules; the lexicon and the demo files are found relative to dist/, which
    // sits where src/ does; .env.example fills in `serve --demo`.
    const needed = ['package.json', 'dist/cli.js', 'node_modules/better-sqlite3', path.relative(ROOT, DEFAULT_LEXICON_DIR), path.relative(ROOT, DEMO_DATA_DIR), '.env.example'];
    for (const file of needed) expect(has(file), `${file} is copied into the image`).toBe(true);
    expect(JSON.parse(read('package.json')).type).toBe('module');
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, builds, tests, git, settings, databases and their keys out of the build context', () => {
    for (const file of ['node_modules/express/package.json', 'dist/cli.js', 'test/config.test.ts', '.git/HEAD', '.env', 'deploy/.env',
      'data/guang.db', 'data/guang.db-wal', 'data/guang.db-shm', 'data/guang.db.key', 'guang.db', 'src/x.db', 'data/lexicon/.env']) {
      expect(ignored(file), file).toBe(true);
    }
  });

  it('lets in the sources the build needs', () => {
    for (const file of ['package.json', 'package-lock.json', 'src/cli.ts', 'web/console/index.html', 'data/lexicon/words.json', 'data/products.csv', 'scripts/build.js']) {
      expect(ignored(file), file).toBe(false);
    }
  });

  it('has the build stage copy both sources of the build (the server and the console) before it builds', () => {
    const dockerfile = read('Dockerfile');
    const build = dockerfile.indexOf('RUN npm run build');
    for (const source of ['COPY src/ src/', 'COPY web/ web/']) {
      const at = dockerfile.indexOf(source);
      expect(at, source).toBeGreaterThan(-1);
      expect(at, source).toBeLessThan(build);
    }
  });
});

describe('deploy/compose.yaml', () => {
  it('builds the image from the repository root', () => {
    const context = at(guang, 'build', 'context') as string;
    expect(existsSync(path.join(ROOT, 'deploy', context, 'Dockerfile'))).toBe(true);
    expect(path.resolve(ROOT, 'deploy', context)).toBe(ROOT);
  });

  it('keeps the database on a named volume mounted where GUANG_DB points', () => {
    const mounts = at(guang, 'volumes') as string[];
    const [volume, target] = mounts.map((m) => m.split(':')).find(([, t]) => t === path.posix.dirname(composeEnv('GUANG_DB')!)) ?? [];
    expect(target).toBe(last('VOLUME')!.words[0]);
    expect(at(compose, 'volumes')).toHaveProperty(volume!);
  });

  it('reads the settings from an env_file, restarts the service, and waits for a graceful stop', () => {
    expect(at(guang, 'env_file')).toBe('.env');
    expect(at(guang, 'restart')).toMatch(/^(always|unless-stopped|on-failure)$/);
    expect(seconds(at(guang, 'stop_grace_period') as string)).toBeGreaterThanOrEqual(GRACEFUL_STOP_S);
    expect(seconds(at(guang, 'stop_grace_period') as string)).toBe(seconds(one('TimeoutStopSec')!));
  });

  it('health-checks /healthz on the port it sets', () => {
    const test = at(guang, 'healthcheck', 'test') as string[];
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(test[3]).toContain(`http://127.0.0.1:${composeEnv('PORT')!}/healthz`);
  });

  it('publishes only Caddy\'s 80 and 443 to the world; metrics only on the host\'s loopback', () => {
    expect(at(caddy, 'ports')).toEqual(['80:80', '443:443', '443:443/udp']);
    const guangPorts = at(guang, 'ports') as string[] | undefined;
    for (const p of guangPorts ?? []) expect(p).toMatch(/^127\.0\.0\.1:/);
    expect(guangPorts?.some((p) => p.endsWith(`:${composeEnv('GUANG_METRICS_PORT')!}`))).toBe(true);
  });

  it('has Caddy proxy the domain to Guang\'s port and hide /metrics; Caddy gets the domain, not the secrets', () => {
    const caddyfile = read('deploy/Caddyfile');
    expect(caddyfile).toMatch(new RegExp(`^\\s*reverse_proxy guang:${composeEnv('PORT')!}$`, 'm'));
    expect(caddyfile).toMatch(/^\{\$GUANG_DOMAIN\} \{$/m);
    expect(caddyfile).toMatch(/@private path \/metrics/);
    expect(Object.keys(at(caddy, 'environment') as object)).toEqual(['GUANG_DOMAIN']);
    expect(at(caddy, 'env_file')).toBeUndefined();
    expect(at(caddy, 'volumes') as string[]).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(existsSync(path.join(ROOT, 'deploy/Caddyfile'))).toBe(true);
    expect(composeEnv('GUANG_PUBLIC_URL')).toMatch(/^https:\/\/\$\{GUANG_DOMAIN/);
  });
});

describe('deploy/guang.service', () => {
  const dbDir = path.posix.dirname(unitEnv('GUANG_DB')!);

  it('runs `node dist/cli.js serve` from the checkout as its own user, with settings from an EnvironmentFile', () => {
    expect(one('ExecStart')).toMatch(/^\/\S*node dist\/cli\.js serve$/);
    expect(one('User')).toBeDefined();
    expect(one('User')).not.toMatch(/^(root|0)$/);
    expect(one('WorkingDirectory')).toMatch(/^\//);
    expect(one('EnvironmentFile')).toMatch(/^-?\//);
    expect(unitEnv('NODE_ENV')).toBe('production');
    expect(one('Restart')).toBe('on-failure');
  });

  it('is sandboxed, may write only the database directory, and leaves V8 its JIT', () => {
    for (const [key, value] of [['NoNewPrivileges', 'yes'], ['ProtectSystem', 'strict'], ['PrivateTmp', 'yes'], ['ProtectHome', 'yes']]) {
      expect(one(key!), key).toBe(value);
    }
    expect(service.get('ReadWritePaths')).toEqual([dbDir]);
    expect(one('StateDirectory')).toBe(path.posix.relative('/var/lib', dbDir));
    expect(one('MemoryDenyWriteExecute') ?? 'no').toBe('no');
  });

  it('waits long enough for a graceful stop before SIGKILL', () => {
    expect(one('KillSignal') ?? 'SIGTERM').toBe('SIGTERM');
    expect(seconds(one('TimeoutStopSec')!)).toBeGreaterThanOrEqual(GRACEFUL_STOP_S);
  });

  // The README's production section must name what the files use, so the two cannot drift apart.
  const section = /^## Running in production\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(read('README.md'))?.[1];
  it('agrees with README.md "Running in production" on every path and name', () => {
    const named = [
      one('ExecStart')!, one('WorkingDirectory')!, one('EnvironmentFile')!.replace(/^-/, ''), unitEnv('GUANG_DB')!, `--system`, ` ${one('User')!}`,
      'deploy/guang.service', 'deploy/compose.yaml', 'deploy/.env', `GUANG_DB=${finalEnv.get('GUANG_DB')!}`, composeEnv('GUANG_METRICS_PORT')!,
      (at(guang, 'volumes') as string[])[0]!.split(':')[0]!, `${seconds(one('TimeoutStopSec')!)} s`,
    ];
    expect(section, 'README.md has a "## Running in production" section').toBeDefined();
    for (const text of named) expect(section, text).toContain(text);
  });
});
