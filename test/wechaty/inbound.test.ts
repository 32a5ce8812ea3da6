import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { chatUser, toInbound, type ChatMessage } from '../../src/channels/wechaty/inbound.ts';

const now = Date.UTC(2026, 0, 1);
const chat = (over: Partial<ChatMessage> = {}): ChatMessage => ({
  id: 'm1', kind: 'text', text: '连衣裙', location: null, self: false, talkerId: 'wxid_alice', talkerIsOfficial: false,
  roomId: null, mentionsSelf: false, textWithoutMentions: over.text ?? '连衣裙', selfNames: ['小逛'], createdAt: now / 1000, ...over,
});
const read = (m: ChatMessage) => toInbound(m, { account: accountId('default'), now });
const text = (m: ChatMessage) => {
  const r = read(m);
  return r.accepted && r.inbound.kind === 'text' ? r.inbound.text : r.accepted ? r.inbound.kind : `skip:${r.reason}`;
};

describe('reading chat messages', () => {
  it('gives a private chat message to the agent as wechaty text with an id that cannot be an openid', () => {
    const r = read(chat());
    expect(r).toMatchObject({ accepted: true, inbound: { channel: 'wechaty', kind: 'text', text: '连衣裙', user: 'wechaty:wxid_alice', dedupKey: 'wechaty:m1' } });
  });

  it('gives each person in each group their own identity, apart from their private chat', () => {
    expect(chatUser('wxid_alice', '1@chatroom')).toBe('wechaty:1@chatroom/wxid_alice');
    expect(new Set([chatUser('wxid_alice', null), chatUser('wxid_alice', '1@chatroom'), chatUser('wxid_alice', '2@chatroom'), chatUser('wxid_bob', '1@chatroom')]).size).toBe(4);
  });

  it('ignores group messages that do not mention the bot', () => {
    expect(text(chat({ roomId: '1@chatroom' }))).toBe('skip:not_mentioned');
    expect(text(chat({ roomId: '1@chatroom', text: '@小红 连衣裙', textWithoutMentions: '@小红 连衣裙' }))).toBe('skip:not_mentioned');
  });

  it('takes the mention out of a group message that mentions the bot', () => {
    expect(text(chat({ roomId: '1@chatroom', text: '@小逛\u2005连衣裙', textWithoutMentions: '连衣裙', mentionsSelf: true }))).toBe('连衣裙');
    // A puppet without mention lists: the bot's name (or its alias in the group) in the text is the mention.
    expect(text(chat({ roomId: '1@chatroom', text: '连衣裙 @逛逛 ', selfNames: ['小逛', '逛逛'] }))).toBe('连衣裙');
    expect(text(chat({ roomId: '1@chatroom', text: '@小逛', mentionsSelf: true, textWithoutMentions: '' }))).toBe('帮助');
  });

  it("never gives the agent the bot's own messages, official accounts' pushes, stale backlog or media", () => {
    expect(text(chat({ self: true }))).toBe('skip:self');
    expect(text(chat({ talkerIsOfficial: true }))).toBe('skip:official');
    expect(text(chat({ createdAt: now / 1000 - 600 }))).toBe('skip:stale');
    expect(text(chat({ kind: 'other', text: '' }))).toBe('skip:not_text');
  });

  it('gives a shared location to the agent as a location', () => {
    const r = read(chat({ kind: 'location', text: '', location: { lat: 31.23, lng: 121.47, label: '人民广场' } }));
    expect(r).toMatchObject({ accepted: true, inbound: { kind: 'location', lat: 31.23, lng: 121.47, label: '人民广场' } });
  });
});
