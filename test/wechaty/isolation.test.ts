import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process.ts';

const TRACE = path.join(import.meta.dirname, 'fixtures/trace-imports.mjs');

/** The packages resolved while importing `modules` in a fresh process. */
function packagesLoadedBy(...modules: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TRACE, ...modules], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => {
      if (code !== 0 || !out.includes('DONE')) return reject(new Error(`exit ${code}: ${err}`));
      const names = [...out.matchAll(/^RESOLVED .*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]!);
      resolve([...new Set(names)]);
    });
  });
}

describe('the webhook server and Wechaty', () => {
  it('loads neither wechaty nor its gRPC and LevelDB stack when the server modules are imported', async () => {
    const loaded = await packagesLoadedBy('./src/app/server.ts', './src/commands/serve.ts');
    expect(loaded).toContain('express'); // the trace does see packages: the check can fail
    expect(loaded.filter((p) => /wechaty|grpc|leveldown|level\b|protobufjs/.test(p))).toEqual([]);
  });
});
