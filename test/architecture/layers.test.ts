/**
 * The floor plan check (.dependency-cruiser.cjs) run the way `npm test` runs it, on src/ and on a small
 * planted tree: an import that runs up the layers, a loop, or a room missing from the plan must fail it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.ts';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const depcruise = path.join(repo, 'node_modules/.bin/depcruise');
const config = path.join(repo, '.dependency-cruiser.cjs');

async function check(cwd: string): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout } = await run(depcruise, ['src', '--config', config, '--output-type', 'err'], { cwd });
    return { ok: true, out: stdout };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const root = tempDir();
let planted = 0;

function plant(files: Record<string, string>): string {
  const dir = path.join(root, `tree${++planted}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', allowImportingTsExtensions: true, noEmit: true } }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('the layering check', () => {
  it('passes on src/ as it is', async () => {
    const r = await check(repo);
    expect(r.out).toContain('no dependency violations');
    expect(r.ok).toBe(true);
  }, 60_000);

  const ID = "export const id = 1;\n";
  it.each<{ what: string; files: Record<string, string>; refusedFor: string[] }>([
    {
      what: 'passes imports that go down, including from the top',
      files: {
        'src/core/ids.ts': ID,
        'src/agent/turn.ts': "import { id } from '../core/ids.ts';\nexport const turn = id;\n",
        'src/app/server.ts': "import { turn } from '../agent/turn.ts';\nexport const server = turn;\n",
      },
      refusedFor: [],
    },
    {
      what: 'fails on an import that runs up the layers, a type-only one too, and names the rule',
      files: {
        'src/core/ids.ts': "import type { Turn } from '../agent/turn.ts';\nexport type Id = Turn;\n",
        'src/agent/turn.ts': 'export type Turn = string;\n',
      },
      refusedFor: ['upward-from-core', 'src/core/ids.ts'],
    },
    {
      what: 'fails on a room the plan does not list, and on a loop inside a room',
      files: {
        'src/core/ids.ts': ID,
        'src/attic/box.ts': "import { id } from '../core/ids.ts';\nexport const box = id;\n",
        'src/agent/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
        'src/agent/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
      },
      refusedFor: ['unplanned-room', 'no-circular'],
    },
  ])('$what', async ({ files, refusedFor }) => {
    const r = await check(plant(files));
    expect(r.ok).toBe(refusedFor.length === 0);
    for (const word of refusedFor) expect(r.out).toContain(word);
  }, 60_000);
});
