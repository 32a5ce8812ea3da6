/**
 * Another revision's source for an A/B in one run: its src/ extracted with `git archive` into a directory, with this
 * checkout's node_modules, so its modules load (through tsx) beside this code's.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Extracts `rev`'s src/ into `dir`/old (once per directory) and imports `module` (a path under the repository) from it.
 * @example const { importCatalogue } = await oldModule<typeof import('../../src/catalogue/import/importer.ts')>('HEAD~3', dir, 'src/catalogue/import/importer.ts');
 */
export async function oldModule<M>(rev: string, dir: string, module: string): Promise<M> {
  const into = path.join(dir, 'old');
  try {
    mkdirSync(into);
    execFileSync('tar', ['-x', '-C', into], { input: execFileSync('git', ['-C', ROOT, 'archive', rev, 'src', 'package.json'], { maxBuffer: 1 << 30 }) });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(into, 'node_modules'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return (await import(pathToFileURL(path.join(into, module)).href)) as M;
}
