/**
 * `guang menu publish FILE | show | delete` as real processes against a standalone simulator (WECHAT_API_BASE):
 * a menu file over the limits is refused line by line before anything is sent; a good one is published and
 * printed as the platform holds it; show reads it back (as JSON too); delete removes it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startStandaloneSimulator } from '../../src/wechat-api/simulator/simulator.ts';
import { guang } from '../helpers/process.ts';
import { runDatabase } from '../helpers/run-database.ts';
import { tempDir } from '../helpers/temp.ts';

const sim = await startStandaloneSimulator({ port: 0, accountType: 'service' });
afterAll(() => sim.close());
const dir = tempDir();
const database = await runDatabase();
const env = { GUANG_DB: database.dbPath, ...database.env, WECHAT_TOKEN: 'tok12345', WECHAT_APPID: 'wx1234567890abcdef', WECHAT_APPSECRET: 'secret-for-the-sim', WECHAT_API_BASE: sim.url };

async function run(args: string[]) {
  const p = guang(args, env);
  const code = await p.exited();
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

const MENU = {
  button: [
    { type: 'click', name: '今日推荐', key: 'TODAY' },
    { name: '逛店', sub_button: [{ type: 'view', name: '我的订单', url: 'https://shop.example.com/m/default/orders' }] },
  ],
};

describe('guang menu', () => {
  it('refuses a file over the limits, one line per problem, before anything is sent; a file that is not JSON is a usage error', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ button: [{ type: 'click', name: '今日全部推荐', key: 'X' }, { name: '更多', sub_button: [{ type: 'view', name: '商城' }] }] }));
    const r = await run(['menu', 'publish', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('button[0].name: at most 4 Chinese characters or 8 letters (the phone cuts longer names) (40018)');
    expect(r.stderr).toContain('button[1].sub_button[0].url: a link is needed (https://…) (40027)');
    expect(sim.simulator.stats().requests['/cgi-bin/menu/create']).toBeUndefined();
    const notJson = path.join(dir, 'menu.txt');
    writeFileSync(notJson, '今日推荐');
    expect((await run(['menu', 'publish', notJson])).code).toBe(2);
  }, 60_000);

  it('publishes, shows and deletes the menu the platform holds', async () => {
    const file = path.join(dir, 'menu.json');
    writeFileSync(file, JSON.stringify(MENU));
    const published = await run(['menu', 'publish', file]);
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toContain('1. 今日推荐 — click TODAY');
    expect(published.stdout).toContain('   2.1 我的订单 — view https://shop.example.com/m/default/orders');
    expect(sim.simulator.menu()).toEqual(MENU);
    expect(JSON.parse((await run(['menu', 'show', '--json'])).stdout)).toEqual(MENU);
    const deleted = await run(['menu', 'delete']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(sim.simulator.menu()).toBeNull();
    expect((await run(['menu', 'show'])).stdout.trim()).toBe('No menu published (guang menu publish FILE).');
  }, 60_000);
});
