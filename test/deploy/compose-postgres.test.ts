/**
 * deploy/compose.postgres.yaml and deploy/Caddyfile.postgres, read as files (no Docker engine here): PostgreSQL
 * with a volume and a health check, a one-shot migration before anything else, web instances behind Caddy,
 * one worker Caddy never routes to, and every Guang on the same database.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVE_ROLES } from '../../src/app/roles.ts';
import { STOP_DEADLINE_MS } from '../../src/core/stop-signals.ts';
import { ROOT } from '../helpers/process.ts';
import { at, readYaml, seconds, type Yaml } from './files.ts';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const compose = readYaml(read('deploy/compose.postgres.yaml'));
const services = at(compose, 'services') as Record<string, Yaml>;
const command = (name: string) => at(services[name], 'command') as string[] | undefined;
const guangs = Object.keys(services).filter((name) => at(services[name], 'image') === 'guang:latest');
const role = (name: string) => {
  const c = command(name)!;
  return c[0] === 'serve' ? (c[c.indexOf('--role') + 1] ?? 'all') : null;
};
const servers = guangs.filter((name) => role(name) !== null);
const webs = servers.filter((name) => role(name) === 'web');
const workers = servers.filter((name) => role(name) === 'worker');
const env = (name: string, key: string) => at(services[name], 'environment', key) as string | undefined;
const caddyfile = read('deploy/Caddyfile.postgres');

describe('deploy/compose.postgres.yaml', () => {
  it('runs PostgreSQL on a named volume, checked with pg_isready, published nowhere', () => {
    const pg = services.postgres!;
    expect(at(pg, 'image')).toMatch(/^postgres:\d+$/);
    const [volume, target] = (at(pg, 'volumes') as string[])[0]!.split(':');
    expect(target).toBe('/var/lib/postgresql/data');
    expect(at(compose, 'volumes')).toHaveProperty(volume!);
    expect((at(pg, 'healthcheck', 'test') as string[]).slice(0, 2)).toEqual(['CMD', 'pg_isready']);
    expect(at(pg, 'ports')).toBeUndefined();
    expect(env('postgres', 'POSTGRES_PASSWORD')).toMatch(/^\$\{POSTGRES_PASSWORD:\?/); // never a literal password
  });

  it('migrates once, after PostgreSQL is healthy, before any server starts', () => {
    expect(command('migrate')).toEqual(['db', 'migrate']);
    expect(at(services.migrate, 'depends_on', 'postgres', 'condition')).toBe('service_healthy');
    expect(at(services.migrate, 'restart')).toBe('no');
    for (const name of servers) {
      expect(at(services[name], 'depends_on', 'migrate', 'condition'), name).toBe('service_completed_successfully');
      expect(at(services[name], 'depends_on', 'postgres', 'condition'), name).toBe('service_healthy');
    }
  });

  it('has several web instances and exactly one worker, every role one `guang serve` knows', () => {
    expect(webs.length).toBeGreaterThanOrEqual(2);
    expect(workers).toHaveLength(1);
    for (const name of servers) expect(SERVE_ROLES, name).toContain(role(name));
  });

  it('points every Guang at the same PostgreSQL database, with the password and secret key from deploy/.env', () => {
    const urls = new Set(guangs.map((name) => env(name, 'GUANG_DB')));
    expect([...urls]).toEqual([expect.stringMatching(/^postgres:\/\/guang:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\/guang$/)]);
    for (const name of guangs) expect(env(name, 'GUANG_SECRET_KEY'), name).toMatch(/^\$\{GUANG_SECRET_KEY:\?/);
  });

  it('builds every Guang from the repository root into one image', () => {
    for (const name of guangs) expect(path.resolve(ROOT, 'deploy', at(services[name], 'build', 'context') as string), name).toBe(ROOT);
  });

  it('publishes only Caddy\'s 80 and 443; each server\'s metrics on its own loopback port', () => {
    expect(at(services.caddy, 'ports')).toEqual(['80:80', '443:443', '443:443/udp']);
    const hostPorts = servers.flatMap((name) => (at(services[name], 'ports') as string[]).map((p) => {
      expect(p, name).toMatch(new RegExp(`^127\\.0\\.0\\.1:\\d+:${env(name, 'GUANG_METRICS_PORT')!}$`));
      return p.split(':')[1];
    }));
    expect(new Set(hostPorts).size).toBe(servers.length);
  });

  it('restarts the servers and waits for their graceful stop', () => {
    for (const name of servers) {
      expect(at(services[name], 'restart'), name).toBe('unless-stopped');
      expect(seconds(at(services[name], 'stop_grace_period') as string), name).toBeGreaterThanOrEqual(STOP_DEADLINE_MS / 1000);
    }
  });
});

describe('deploy/Caddyfile.postgres', () => {
  const upstreams = /^\s*reverse_proxy ([^{]+) \{$/m.exec(caddyfile)?.[1]?.split(' ');

  it('balances over exactly the web instances, on the port they listen on, never the worker', () => {
    expect(upstreams?.sort()).toEqual(webs.map((name) => `${name}:${env(name, 'PORT')!}`).sort());
    for (const name of workers) expect(caddyfile).not.toContain(`${name}:`);
  });

  it('takes an instance out while its /readyz says 503, and hides /metrics', () => {
    expect(caddyfile).toMatch(/^\s*health_uri \/readyz$/m);
    expect(caddyfile).toMatch(/@private path \/metrics/);
    expect(caddyfile).toMatch(/^\{\$GUANG_DOMAIN\} \{$/m);
    expect(at(services.caddy, 'volumes') as string[]).toContain('./Caddyfile.postgres:/etc/caddy/Caddyfile:ro');
    expect(Object.keys(at(services.caddy, 'environment') as object)).toEqual(['GUANG_DOMAIN']);
  });
});
