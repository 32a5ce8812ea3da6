/**
 * `guang users add|list|passwd|disable` as real processes over a new database of the run's kind, checked by signing in
 * to a server on that database; and demo mode's owner, printed on one line, the same at every demo start.
 */
import { describe, expect, it } from 'vitest';
import { guang } from '../helpers/process.ts';
import { runDatabase } from '../helpers/run-database.ts';

const DB = await runDatabase();

async function run(args: string[], stdin?: string) {
  const p = guang(args, { GUANG_DB: DB.dbPath, ...DB.env });
  if (stdin !== undefined) p.child.stdin!.end(stdin);
  else p.child.stdin!.end();
  const code = await p.exited();
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** Starts `guang serve` on the database (outside demo mode) and tries each sign-in: their statuses. */
async function signInStatuses(...tries: [username: string, password: string][]): Promise<number[]> {
  const p = guang(['serve', '--port', '0'], { GUANG_DB: DB.dbPath, ...DB.env, WECHAT_TOKEN: 'tok12345', GUANG_ADMIN_TOKEN: 'admin-token-0123456789' });
  const [, port] = await p.waitFor(/Webhook URL.*http:\/\/localhost:(\d+)\/wechat/);
  const statuses: number[] = [];
  for (const [username, password] of tries) {
    const res = await fetch(`http://127.0.0.1:${port}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    statuses.push(res.status);
  }
  p.child.kill('SIGTERM');
  await p.exited();
  return statuses;
}

describe('guang users', () => {
  it('add prints a generated password once, which signs in; --password-stdin takes the first line of stdin', async () => {
    const added = await run(['users', 'add', 'mei', '--role', 'owner']);
    expect(added.code, added.stderr).toBe(0);
    const [, password] = /password: (\S+)/.exec(added.stdout)!;
    const piped = await run(['users', 'add', 'lan', '--role', 'store_staff', '--store', 'sh-jingan', '--password-stdin'], 'from-stdin-123\nignored\n');
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).not.toContain('from-stdin-123');
    expect(await signInStatuses(['mei', password!], ['lan', 'from-stdin-123'])).toEqual([200, 200]);
  }, 60_000);

  it('list shows every user, as text and as JSON', async () => {
    await run(['users', 'add', 'guest', '--role', 'viewer']);
    const text = await run(['users', 'list']);
    expect(text.stdout).toMatch(/^guest {2}viewer/m);
    const json = await run(['users', 'list', '--json']);
    const rows = JSON.parse(json.stdout) as { username: string; role: string; store: string | null; disabled: boolean }[];
    expect(rows.find((r) => r.username === 'guest')).toMatchObject({ role: 'viewer', store: null, disabled: false });
  }, 60_000);

  it('refuses what it cannot do: exit 1 with one line, exit 2 for an unknown role', async () => {
    const again = await run(['users', 'add', 'guest', '--role', 'viewer']);
    expect([again.code, again.stderr.trim()]).toEqual([1, 'guang users: user guest exists already']);
    const noStore = await run(['users', 'add', 'clerk', '--role', 'store_staff']);
    expect(noStore.code).toBe(1);
    expect(noStore.stderr).toMatch(/needs the store/);
    const role = await run(['users', 'add', 'boss', '--role', 'boss']);
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/Allowed choices are owner, operator, store_staff, viewer/);
    const short = await run(['users', 'passwd', 'guest', '--password-stdin'], 'short\n');
    expect([short.code, short.stderr.trim()]).toEqual([1, 'guang users: password: at least 10 characters']);
    expect((await run(['users', 'disable', 'nobody'])).code).toBe(1);
  }, 60_000);

  it('passwd replaces the password; disable stops the user signing in', async () => {
    expect((await run(['users', 'passwd', 'lan', '--password-stdin'], 'second-pass-456\n')).code).toBe(0);
    expect(await signInStatuses(['lan', 'from-stdin-123'], ['lan', 'second-pass-456'])).toEqual([401, 200]);
    expect((await run(['users', 'disable', 'lan'])).code).toBe(0);
    expect(await signInStatuses(['lan', 'second-pass-456'])).toEqual([401]);
    expect(JSON.parse((await run(['users', 'list', '--json'])).stdout).find((r: { username: string }) => r.username === 'lan').disabled).toBe(true);
  }, 60_000);
});

describe('demo mode', () => {
  it('prints the console and the demo owner on one line, the same at every start; the password signs in', async () => {
    const db = await runDatabase();
    const line = /^console: http:\/\/localhost:(\d+)\/admin {2}user: admin {2}password: (\S+)$/m;
    const starts: string[] = [];
    for (let i = 0; i < 2; i++) {
      const p = guang(['serve', '--demo', '--port', '0'], { GUANG_DB: db.dbPath, ...db.env });
      const [, port, password] = await p.waitFor(line);
      starts.push(password!);
      const res = await fetch(`http://127.0.0.1:${port}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
      expect(res.status).toBe(200);
      p.child.kill('SIGTERM');
      await p.exited();
    }
    expect(starts[1]).toBe(starts[0]);
  }, 60_000);

  it('creates no demo owner when staff users already exist (nor did the servers above, outside demo mode)', async () => {
    const p = guang(['serve', '--demo', '--port', '0'], { GUANG_DB: DB.dbPath, ...DB.env });
    await p.waitFor(/Talk to it/);
    expect(p.stdout()).not.toContain('console:');
    p.child.kill('SIGTERM');
    await p.exited();
    expect(JSON.parse((await run(['users', 'list', '--json'])).stdout).map((r: { username: string }) => r.username)).not.toContain('admin');
  }, 60_000);
});
