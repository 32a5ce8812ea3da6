/** The Wechaty group a conversation happens in, from the follower's id. Pure. */
import type { Inbound } from '../../core/messages.ts';

/**
 * The room id of a Wechaty group message: the channel names a group member `wechaty:<roomId>/<talkerId>`
 * (channels/wechaty/inbound.ts `chatUser`, a layer above this one); null in a private chat or on the official account.
 * @example roomOf({ channel: 'wechaty', user: 'wechaty:R1@chatroom/wxid_a', ... }) // 'R1@chatroom'
 */
export function roomOf(m: Pick<Inbound, 'channel' | 'user'>): string | null {
  if (m.channel !== 'wechaty') return null;
  const match = /^wechaty:([^/]+)\/./.exec(m.user);
  return match ? match[1]! : null;
}
