import { describe, expect, it } from 'vitest';
import { NoPuppetError, wechatySettings } from '../../src/channels/wechaty/settings.ts';
import { ConfigError } from '../../src/core/config.ts';

describe('the Wechaty bot settings', () => {
  it('needs a puppet named, and nothing from WECHAT_*', () => {
    expect(() => wechatySettings({})).toThrow(NoPuppetError);
    expect(() => wechatySettings({ WECHATY_PUPPET: ' ' })).toThrow(NoPuppetError);
    expect(wechatySettings({ WECHATY_PUPPET: 'wechaty-puppet-mock', GUANG_DB: 'x.db' })).toMatchObject({
      puppet: 'wechaty-puppet-mock', puppetOptions: null, dbPath: 'x.db', publicUrl: null, linkBase: 'http://localhost:3000',
    });
  });

  it('passes the token to the puppet, and refuses a puppet that needs one when none is set', () => {
    expect(() => wechatySettings({ WECHATY_PUPPET: 'wechaty-puppet-service' })).toThrow(/WECHATY_PUPPET_TOKEN.*WECHATY_PUPPET_SERVICE_TOKEN/);
    expect(() => wechatySettings({ WECHATY_PUPPET: 'wechaty-puppet-padlocal' })).toThrow(ConfigError);
    expect(wechatySettings({ WECHATY_PUPPET: 'wechaty-puppet-padlocal', WECHATY_PUPPET_TOKEN: 'puppet_padlocal_x' }).puppetOptions).toEqual({ token: 'puppet_padlocal_x' });
    // The puppet's own variable is read by the puppet itself.
    expect(wechatySettings({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_SERVICE_TOKEN: 'insecure_x' }).puppetOptions).toBeNull();
  });

  it('takes links from GUANG_PUBLIC_URL and refuses what is not a package name or a URL', () => {
    expect(wechatySettings({ WECHATY_PUPPET: 'wechaty-puppet-mock', GUANG_PUBLIC_URL: 'https://shop.example.com/' }).linkBase).toBe('https://shop.example.com');
    expect(() => wechatySettings({ WECHATY_PUPPET: '../../evil.js' })).toThrow(/WECHATY_PUPPET: expected the npm name/);
    expect(() => wechatySettings({ WECHATY_PUPPET: 'wechaty-puppet-mock', GUANG_PUBLIC_URL: 'nope' })).toThrow(/GUANG_PUBLIC_URL/);
  });

  it('takes the login session place from WECHATY_SESSION, with or without Wechaty\'s own ending', () => {
    const mock = { WECHATY_PUPPET: 'wechaty-puppet-mock' };
    expect(wechatySettings(mock).session).toBeNull();
    expect(wechatySettings({ ...mock, WECHATY_SESSION: ' ' }).session).toBeNull();
    expect(wechatySettings({ ...mock, WECHATY_SESSION: '/srv/bot/shop' }).session).toBe('/srv/bot/shop');
    expect(wechatySettings({ ...mock, WECHATY_SESSION: '/srv/bot/shop.memory-card.json' }).session).toBe('/srv/bot/shop');
  });
});
