/**
 * The server's log (createLogger without a destination: JSON lines on stderr, written in batches): every line
 * reaches stderr whole and in order, however the process ends — its event loop running out, or `process.exit`
 * with lines still gathered — and a quiet process's lines go out without waiting for more.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process.ts';

/** Runs `body` in a process of its own with `log` (the compiled createLogger('info')); resolves to its stderr. */
function run(body: string): Promise<{ stderr: string; code: number | null }> {
  const script = `import { createLogger } from './dist/core/log.js';\nconst log = createLogger('info');\n${body}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ stderr, code })));
}

const lines = (out: string) => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string; i?: number; text?: string });

// Lines long and short, ASCII and Chinese: batches are cut by length, and Chinese is 3 bytes a character in UTF-8.
const LOG_300 = `for (let i = 0; i < 300; i++) log.info({ i, text: i % 3 ? '女装'.repeat(i % 40) : 'x'.repeat(i) }, 'line');`;

describe('the log on stderr', () => {
  it('writes every line, in order, when the event loop runs out', async () => {
    const { stderr, code } = await run(LOG_300);
    expect(code).toBe(0);
    const got = lines(stderr);
    expect(got.map((l) => l.i)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(got[7]).toEqual({ level: 30, time: expect.any(Number), i: 7, text: '女装'.repeat(7), msg: 'line' });
  });

  it('writes every line gathered before process.exit', async () => {
    const { stderr, code } = await run(`${LOG_300}\nlog.warn('last');\nprocess.exit(3);`);
    expect(code).toBe(3);
    const got = lines(stderr);
    expect(got).toHaveLength(301);
    expect(got.at(-1)).toMatchObject({ level: 40, msg: 'last' });
  });

  it('writes the lines of a quiet process while it goes on running, without waiting for a batch to fill', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', `import { createLogger } from './dist/core/log.js';
createLogger('info').info({ quiet: true }, 'alone');
process.stdin.resume();`], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const closed = new Promise((resolve) => child.once('close', resolve));
    try {
      await expect.poll(() => stderr, { timeout: 10_000 }).toContain('"msg":"alone"');
    } finally {
      child.stdin.end();
      await closed;
    }
  });
});
