/**
 * A chat message (read off a Wechaty message by the adapter) as the agent's `Inbound`, or the reason it
 * is not one: the bot's own messages, group messages that do not @mention the bot, official accounts,
 * anything but text and locations, and backlog a puppet replays at login. Pure.
 *
 * Identities are per channel: a contact id is not an openid, so every user id starts with `wechaty:`.
 * In a group the id is the group's and the person's together, so each person has their own conversation
 * memory in each group (「更多」 continues *their* list), apart from their private chat.
 */
import type { AccountId, Inbound, UserId } from '../../core/messages.ts';
import { userId } from '../../core/messages.ts';

/** What the adapter reads off one Wechaty message. */
export interface ChatMessage {
  readonly id: string;
  readonly kind: 'text' | 'location' | 'other';
  /** The text as sent, mentions included ('' for anything but text). */
  readonly text: string;
  /** For a shared location: where (GCJ-02, as WeChat clients send it) and what the place is called. */
  readonly location: { readonly lat: number; readonly lng: number; readonly label: string } | null;
  /** Sent by the account the bot is logged in as. */
  readonly self: boolean;
  readonly talkerId: string;
  /** An official account (公众号) talking, e.g. pushing an article. */
  readonly talkerIsOfficial: boolean;
  /** The group, or null for a private chat. */
  readonly roomId: string | null;
  /** The puppet's mention list includes the bot. */
  readonly mentionsSelf: boolean;
  /** The text with the mentions the puppet knows of removed (Wechaty's `mentionText()`). */
  readonly textWithoutMentions: string;
  /** Names the bot goes by in this chat (its name, its alias in the group), to catch mentions the puppet did not list. */
  readonly selfNames: readonly string[];
  /** Seconds since the epoch. */
  readonly createdAt: number;
}

export type SkipReason = 'self' | 'official' | 'not_mentioned' | 'not_text' | 'stale' | 'empty';
export type ReadResult = { readonly accepted: true; readonly inbound: Inbound } | { readonly accepted: false; readonly reason: SkipReason };

/** Puppets replay what arrived while offline at login; answering that backlog would be a burst. */
export const MAX_AGE_MS = 2 * 60_000;

/** The agent's user id for a person, in a private chat (`roomId` null) or in a group. */
export function chatUser(talkerId: string, roomId: string | null): UserId {
  return userId(roomId ? `wechaty:${roomId}/${talkerId}` : `wechaty:${talkerId}`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `@name` followed by the separator WeChat puts after a mention (U+2005 on phones, a space on desktops) or the end. */
const mentionOf = (name: string) => new RegExp(`@${escape(name)}(?:[\\u2005\\u0020]|$)`, 'g');

/**
 * @example toInbound(chat, { account: accountId('default'), now: Date.now() })
 */
export function toInbound(m: ChatMessage, options: { account: AccountId; now: number; maxAgeMs?: number }): ReadResult {
  if (m.self) return { accepted: false, reason: 'self' };
  if (m.talkerIsOfficial) return { accepted: false, reason: 'official' };
  const names = m.selfNames.filter((n) => n.trim() !== '');
  let text = m.text;
  if (m.roomId !== null) {
    const byName = names.some((n) => mentionOf(n).test(m.text));
    if (!m.mentionsSelf && !byName) return { accepted: false, reason: 'not_mentioned' };
    text = names.reduce((t, n) => t.replace(mentionOf(n), ' '), m.mentionsSelf ? m.textWithoutMentions : m.text);
  }
  if (options.now - m.createdAt * 1000 > (options.maxAgeMs ?? MAX_AGE_MS)) return { accepted: false, reason: 'stale' };
  const meta = {
    channel: 'wechaty' as const,
    account: options.account,
    user: chatUser(m.talkerId, m.roomId),
    createdAt: m.createdAt,
    // Message ids are the puppet's; the prefix keeps them apart from the MsgIds of the official account.
    dedupKey: `wechaty:${m.id}`,
    msgId: m.id,
  };
  if (m.kind === 'location' && m.location) {
    const { lat, lng, label } = m.location;
    return { accepted: true, inbound: { ...meta, kind: 'location', lat, lng, scale: 0, label } };
  }
  if (m.kind !== 'text') return { accepted: false, reason: 'not_text' };
  text = text.replace(/\s+/g, ' ').trim();
  // A bare @mention asks what the bot can do.
  if (text === '' && m.roomId !== null) text = '帮助';
  if (text === '') return { accepted: false, reason: 'empty' };
  return { accepted: true, inbound: { ...meta, kind: 'text', text, viaVoice: false } };
}
