/** What the embedded simulator is told of followers' doings (src/app/simulator-mount.ts), so its 48-hour window is real. */
import { describe, expect, it } from 'vitest';
import { simulatorInteraction } from '../../src/app/simulator-mount.ts';
import { inbound } from '../helpers/inbound.ts';

const local = { apiBase: null };

describe('the interactions the embedded simulator records', () => {
  it('records every message a follower writes', () => {
    expect(simulatorInteraction(local, inbound({ kind: 'text', text: '你好' }))).toBe('message');
    expect(simulatorInteraction(local, inbound({ kind: 'image', picUrl: 'http://x/p.jpg', mediaId: 'm1' }))).toBe('message');
  });

  it('records the events that open the customer-service window: follow, menu click, QR scan', () => {
    expect(simulatorInteraction(local, inbound({ kind: 'follow', scene: null, ticket: null }))).toBe('follow');
    expect(simulatorInteraction(local, inbound({ kind: 'menu_click', key: 'NEW' }))).toBe('click');
    expect(simulatorInteraction(local, inbound({ kind: 'scan', scene: 'store_1', ticket: null }))).toBe('scan');
  });

  it('records no other event', () => {
    expect(simulatorInteraction(local, inbound({ kind: 'unfollow' }))).toBeNull();
    expect(simulatorInteraction(local, inbound({ kind: 'menu_view', url: 'http://x' }))).toBeNull();
  });

  it('records nothing for an account whose API is elsewhere', () => {
    expect(simulatorInteraction({ apiBase: 'https://api.example.com' }, inbound({ kind: 'text', text: '你好' }))).toBeNull();
  });
});
