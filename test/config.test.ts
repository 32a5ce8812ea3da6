import { describe, expect, it } from 'vitest';
import { ConfigError, demoEnv, loadConfig, stopWithParentSetting } from '../src/core/config.ts';

const base = { WECHAT_TOKEN: 'tok12345' };
const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join('\n');
    throw err;
  }
  return '';
};

describe('configuration', () => {
  it('fills everything unset from .env.example in demo mode', () => {
    const c = loadConfig({}, { demo: true });
    expect(c.port).toBe(3000);
    expect(c.wechat.token).toBe('guang-demo-token');
    expect(c.dbPath).toBe('data/guang.db');
    expect(c.embedSimulator).toBe(true);
  });

  it('lets the environment override demo values', () => {
    expect(loadConfig({ PORT: '4100' }, { demo: true }).port).toBe(4100);
  });

  it('stops on a missing token, naming the variable', () => {
    expect(problems({})).toMatch(/^WECHAT_TOKEN: expected .*\(not set\)/);
  });

  it('stops on a malformed value, naming the variable and what it expects', () => {
    expect(problems({ ...base, PORT: 'eighty' })).toMatch(/^PORT: expected a port number/);
    expect(problems({ ...base, WECHAT_AES_KEY: 'short', WECHAT_APPID: 'wx1234567890' })).toMatch(/WECHAT_AES_KEY: expected a 43-character/);
    expect(problems({ ...base, WECHAT_ACCOUNT_TYPE: 'enterprise' })).toMatch(/WECHAT_ACCOUNT_TYPE: expected subscription or service/);
    expect(problems({ ...base, WECHAT_API_BASE: 'not a url' })).toMatch(/WECHAT_API_BASE: expected an http\(s\) base URL/);
  });

  it('needs the AppID when an EncodingAESKey is set (safe mode checks it)', () => {
    expect(problems({ ...base, WECHAT_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' })).toMatch(/^WECHAT_APPID/);
  });

  it('refuses the tokens published in .env.example outside demo mode, and accepts them in demo mode', () => {
    const published = demoEnv();
    expect(problems({ ...base, GUANG_ADMIN_TOKEN: published.GUANG_ADMIN_TOKEN! })).toMatch(/^GUANG_ADMIN_TOKEN: still the demo value/);
    expect(problems({ WECHAT_TOKEN: published.WECHAT_TOKEN! })).toMatch(/^WECHAT_TOKEN: still the demo value/);
    expect(problems({ ...base, GUANG_ADMIN_TOKEN: 'a-long-random-string-of-mine' })).toBe('');
    expect(loadConfig({ WECHAT_TOKEN: published.WECHAT_TOKEN!, GUANG_ADMIN_TOKEN: published.GUANG_ADMIN_TOKEN! }, { demo: true }).adminToken).toBe(published.GUANG_ADMIN_TOKEN);
  });

  it('refuses a short admin token outside demo mode', () => {
    expect(problems({ ...base, GUANG_ADMIN_TOKEN: 'short' })).toMatch(/^GUANG_ADMIN_TOKEN: expected at least 16/);
  });

  it('embeds the simulator only when asked for and neither an AppSecret nor an API base is configured', () => {
    const on = { ...base, GUANG_SIMULATOR: 'on' };
    expect(loadConfig(on).embedSimulator).toBe(true);
    expect(loadConfig({ ...on, WECHAT_APPID: 'wx1234567890', WECHAT_APPSECRET: 'secret-secret' }).embedSimulator).toBe(false);
    expect(loadConfig({ ...on, WECHAT_API_BASE: 'http://127.0.0.1:9/sim' }).embedSimulator).toBe(false);
  });

  it('runs the simulator in demo mode or with GUANG_SIMULATOR=on, never by default outside demo mode', () => {
    expect(loadConfig(base).embedSimulator).toBe(false);
    expect(loadConfig({ ...base, GUANG_SIMULATOR: 'off' }, { demo: true }).embedSimulator).toBe(false);
    expect(loadConfig({}, { demo: true }).embedSimulator).toBe(true);
    expect(problems({ ...base, GUANG_SIMULATOR: 'yes' })).toMatch(/^GUANG_SIMULATOR: expected on or off/);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ ...base, WECHAT_AES_KEY: '', PORT: '' }).wechat.aesKey).toBeNull();
  });

  it('serves no metrics unless GUANG_METRICS_PORT is set, and then on loopback unless GUANG_METRICS_HOST says otherwise', () => {
    expect(loadConfig(base).metrics).toBeNull();
    expect(loadConfig({ ...base, GUANG_METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ ...base, GUANG_METRICS_PORT: '9464', GUANG_METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(loadConfig({ ...base, GUANG_METRICS_PORT: '9464', GUANG_METRICS_HOST: '::' }).metrics?.host).toBe('::');
  });

  it('stops on a bad metrics setting with one line naming the variable', () => {
    expect(problems({ ...base, GUANG_METRICS_PORT: 'nine' })).toBe('GUANG_METRICS_PORT: expected a port number');
    expect(problems({ ...base, GUANG_METRICS_PORT: '70000' })).toBe('GUANG_METRICS_PORT: expected a port number from 0 to 65535');
    expect(problems({ ...base, GUANG_METRICS_PORT: '9464', GUANG_METRICS_HOST: 'not a host!' })).toMatch(/^GUANG_METRICS_HOST: expected an address to listen on/);
    expect(problems({ ...base, GUANG_METRICS_HOST: '0.0.0.0' })).toMatch(/^GUANG_METRICS_HOST: set GUANG_METRICS_PORT too/);
    expect(problems({ ...base, PORT: '3000', GUANG_METRICS_PORT: '3000' })).toMatch(/^GUANG_METRICS_PORT: expected a port other than PORT \(3000\)/);
  });

  it('stops with the parent process unless GUANG_STOP_WITH_PARENT=off', () => {
    expect(loadConfig(base).stopWithParent).toBe(true);
    expect(loadConfig({ ...base, GUANG_STOP_WITH_PARENT: 'off' }).stopWithParent).toBe(false);
    expect(problems({ ...base, GUANG_STOP_WITH_PARENT: 'no' })).toBe('GUANG_STOP_WITH_PARENT: expected on or off');
    expect([stopWithParentSetting({}), stopWithParentSetting({ GUANG_STOP_WITH_PARENT: 'off' })]).toEqual([true, false]);
    expect(() => stopWithParentSetting({ GUANG_STOP_WITH_PARENT: 'no' })).toThrow(ConfigError);
  });

  it('holds a broadcast run 30 s unless GUANG_PUSH_LEASE_SECONDS says otherwise, never under the 10 s an API call may take', () => {
    expect(loadConfig(base).pushLeaseMs).toBe(30_000);
    expect(loadConfig({ ...base, GUANG_PUSH_LEASE_SECONDS: '12' }).pushLeaseMs).toBe(12_000);
    expect(problems({ ...base, GUANG_PUSH_LEASE_SECONDS: '5' })).toBe('GUANG_PUSH_LEASE_SECONDS: expected at least 10 seconds (an API call may take 10)');
  });
});
