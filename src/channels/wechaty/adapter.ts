/**
 * The Wechaty channel: a bot's messages in, the agent's replies out. It reads each Wechaty message into
 * a plain `ChatMessage`, lets `toInbound` decide whether it is for the agent, applies the rate limits,
 * hands the `Inbound` to the same agent the webhook uses, and says the rendered reply in the same chat
 * (in a group, @mentioning the asker), one message at a time.
 *
 * Only types come from 'wechaty' here (erased at run time); the package itself is loaded by start.ts.
 */
import type { Contact, Message, Room, Wechaty } from 'wechaty';
import type { Agent } from '../../agent/agent.ts';
import type { AccountId } from '../../core/messages.ts';
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import type { Logger } from '../../core/log.ts';
import { maskId, silentLogger } from '../../core/log.ts';
import { DEFAULT_ACCOUNT } from '../../db/accounts.ts';
import { MAX_AGE_MS, toInbound, type ChatMessage, type SkipReason } from './inbound.ts';
import { CHAT_LIMITS, createRateLimiter, createSendPacer, SEND_GAP_MS, type ChatLimits, type Scope } from './rate-limit.ts';
import { MAX_CARDS, renderForChat, type ChatMessageOut } from './render.ts';

export interface WechatyChannelOptions {
  readonly bot: Wechaty;
  readonly agent: Agent;
  /** Whose catalogue answers (default: the account configured from the environment). */
  readonly account?: AccountId;
  readonly logger?: Logger;
  /** Drives the rate limits and the age check. */
  readonly clock?: Clock;
  readonly limits?: ChatLimits;
  readonly maxCards?: number;
  readonly sendGapMs?: number;
  readonly maxAgeMs?: number;
}

interface ChannelStats {
  answered: number;
  skipped: Partial<Record<SkipReason, number>>;
  limited: Partial<Record<Scope, number>>;
  failed: number;
}

/**
 * Listens to the bot's messages until `detach()`.
 * @example const channel = wechatyChannel({ bot, agent }); … channel.detach(); await channel.settle();
 */
export function wechatyChannel(options: WechatyChannelOptions) {
  const { bot, agent, account = DEFAULT_ACCOUNT, clock = systemClock, logger = silentLogger } = options;
  const maxCards = options.maxCards ?? MAX_CARDS;
  const limiter = createRateLimiter(options.limits ?? CHAT_LIMITS, clock);
  const pace = createSendPacer(options.sendGapMs ?? SEND_GAP_MS);
  const inflight = new Set<Promise<void>>();
  const stats: ChannelStats = { answered: 0, skipped: {}, limited: {}, failed: 0 };

  async function read(message: Message, room: Room | undefined): Promise<ChatMessage> {
    const talker = message.talker();
    const type = message.type();
    const kind = type === bot.Message.Type.Text ? 'text' : type === bot.Message.Type.Location ? 'location' : 'other';
    const self = message.self();
    let location: ChatMessage['location'] = null;
    if (kind === 'location' && !self) {
      // Straight from the puppet: Message#toLocation() in wechaty 1.20 throws (it builds an un-wechatified class).
      const l = await bot.puppet.messageLocation(message.id);
      location = { lat: l.latitude, lng: l.longitude, label: [l.name, l.address].filter(Boolean).join(' ') };
    }
    let mentionsSelf = false;
    let textWithoutMentions = message.text();
    const selfNames: string[] = [];
    if (room && !self) {
      mentionsSelf = await message.mentionSelf();
      if (mentionsSelf) textWithoutMentions = await message.mentionText();
      const me = bot.currentUser;
      selfNames.push(me.name(), (await room.alias(me)) ?? '');
    }
    return {
      id: message.id,
      kind,
      text: kind === 'text' ? message.text() : '',
      location,
      self,
      talkerId: talker.id,
      talkerIsOfficial: talker.type() === bot.Contact.Type.Official,
      roomId: room?.id ?? null,
      mentionsSelf,
      textWithoutMentions,
      selfNames,
      createdAt: Math.floor(message.date().getTime() / 1000),
    };
  }

  async function say(out: ChatMessageOut, to: Room | Contact, asker: Contact, room: Room | undefined): Promise<void> {
    if (out.kind === 'text') {
      await pace(() => (room ? room.say(out.text, asker) : to.say(out.text)));
    } else {
      // Built from the reply alone: UrlLink.create(url) would fetch the page.
      await pace(() => to.say(new bot.UrlLink({ ...out.card })));
    }
  }

  async function handle(message: Message): Promise<void> {
    const room = message.room();
    const chat = await read(message, room);
    const result = toInbound(chat, { account, now: clock.now(), maxAgeMs: options.maxAgeMs ?? MAX_AGE_MS });
    const who = { contact: maskId(chat.talkerId), room: chat.roomId ? maskId(chat.roomId) : undefined };
    if (!result.accepted) {
      stats.skipped[result.reason] = (stats.skipped[result.reason] ?? 0) + 1;
      if (result.reason !== 'self') logger.debug({ ...who, reason: result.reason }, 'not for the agent');
      return;
    }
    const admitted = limiter.take({ contact: chat.talkerId, room: chat.roomId });
    if (!admitted.ok) {
      stats.limited[admitted.scope] = (stats.limited[admitted.scope] ?? 0) + 1;
      logger.warn({ ...who, scope: admitted.scope, retryInS: Math.ceil(admitted.retryInMs / 1000) }, 'rate limited: message skipped, not answered');
      return;
    }
    const started = performance.now();
    const turn = await agent.receive(result.inbound);
    // A puppet that re-delivers a message (reconnects do) gets no second answer.
    if (turn.duplicate) return;
    const reply = await turn.answer;
    const outs = renderForChat(reply, { maxCards });
    if (outs.length === 0 && reply.type === 'image') logger.warn({ ...who }, 'an image reply cannot be sent through a puppet; nothing sent');
    const to: Room | Contact = room ?? message.talker();
    for (const out of outs) await say(out, to, message.talker(), room);
    stats.answered++;
    logger.info(
      { ...who, reply: reply.type, messages: outs.length, ms: Math.round(performance.now() - started) },
      'answered',
    );
  }

  // One person's messages in one chat are answered in order (「连衣裙」 then 「更多」 typed quickly).
  const conversations = new Map<string, Promise<void>>();
  const listener = (message: Message) => {
    const key = `${message.room()?.id ?? ''}/${message.talker().id}`;
    const done = (conversations.get(key) ?? Promise.resolve())
      .then(() => handle(message))
      .catch((err: unknown) => {
        stats.failed++;
        logger.error({ err, msgId: message.id }, 'could not answer a chat message');
      })
      .finally(() => {
        inflight.delete(done);
        if (conversations.get(key) === done) conversations.delete(key);
      });
    conversations.set(key, done);
    inflight.add(done);
  };
  bot.on('message', listener);

  return {
    stats,
    /** Stops listening (messages already being answered carry on). */
    detach(): void {
      bot.off('message', listener);
    },
    /** Resolves when every message being answered has been answered. */
    async settle(): Promise<void> {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
  };
}
export type WechatyChannel = ReturnType<typeof wechatyChannel>;
