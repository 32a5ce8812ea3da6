/**
 * The console's 对话 screen: a staff member talks to the live bot as their test follower (`console-<username>`,
 * core/test-follower.ts) through the very agent the webhook feeds, so the conversation persists like a phone's
 * (「女装」, then 「更多」, then 「2」). Called directly rather than through signed XML to the server's own
 * webhook: the answer is awaited whole (a phone would get a late one by customer-service message), and a rule's
 * further replies come back to the console instead of going to the WeChat API for an openid that does not exist.
 */
import { randomUUID } from 'node:crypto';
import type { Agent } from '../agent/agent.ts';
import type { AnsweredBy } from '../core/answered-by.ts';
import type { Clock } from '../core/clock.ts';
import { accountId, userId, type Inbound, type Reply } from '../core/messages.ts';
import { isTestFollower } from '../core/test-follower.ts';
import type { ConsoleChat } from '../admin/conversation-types.ts';

interface Turn {
  answeredBy: AnsweredBy | null;
  readonly followUps: Reply[];
}

/**
 * The agent's hooks first (it needs them when it is created), then `bind(agent)`.
 * @example const chat = createConsoleChat(clock); createShopAgent({ …, followUps: chat.takeFollowUps(cs.followUps), onHandled: chat.onHandled }); chat.bind(agent, sessions)
 */
export function createConsoleChat(clock: Clock) {
  const turns = new Map<string, Turn>();
  let bound: { agent: Agent; forget: (account: string, user: string) => Promise<void> } | null = null;
  const turnOf = (inbound: Inbound) => (isTestFollower(inbound.user) ? turns.get(inbound.dedupKey) : undefined);

  const chat: ConsoleChat = {
    async say({ account, user, input }) {
      if (!bound) throw new Error('console chat: bind(agent) first');
      const meta = { channel: 'wechat' as const, account: accountId(account), user: userId(user), createdAt: Math.floor(clock.now() / 1000), dedupKey: `console:${randomUUID()}` };
      const msgId = `console${Date.now()}${Math.floor(Math.random() * 1e6)}`;
      const inbound: Inbound =
        input.kind === 'text' ? { ...meta, kind: 'text', msgId, text: input.text, viaVoice: false }
        : input.kind === 'location' ? { ...meta, kind: 'location', msgId, lat: input.lat, lng: input.lng, scale: 15, label: input.label }
        : input.kind === 'follow' ? { ...meta, kind: 'follow', scene: input.scene, ticket: null }
        : { ...meta, kind: 'menu_click', key: input.key };
      const turn: Turn = { answeredBy: null, followUps: [] };
      turns.set(meta.dedupKey, turn);
      try {
        const handling = await bound.agent.receive(inbound);
        const reply = await handling.answer;
        return { answeredBy: turn.answeredBy, reply, followUps: turn.followUps };
      } finally {
        turns.delete(meta.dedupKey);
      }
    },
    async restart({ account, user }) {
      if (!bound) throw new Error('console chat: bind(agent) first');
      await bound.forget(account, user);
    },
  };

  return {
    chat,
    /** Wraps the server's follow-up sender: a test follower's further replies are kept for its answer instead. */
    takeFollowUps:
      (send: (inbound: Inbound, replies: readonly Reply[]) => void) =>
      (inbound: Inbound, replies: readonly Reply[]): void => {
        const turn = turnOf(inbound);
        if (turn) turn.followUps.push(...replies);
        else if (!isTestFollower(inbound.user)) send(inbound, replies);
      },
    /** The agent's `onHandled`: notes who answered a test follower's turn. */
    onHandled: ({ inbound, answeredBy }: { inbound: Inbound; answeredBy: AnsweredBy | null }): void => {
      const turn = turnOf(inbound);
      if (turn) turn.answeredBy = answeredBy;
    },
    bind(agent: Agent, sessions: { forget(account: ReturnType<typeof accountId>, user: ReturnType<typeof userId>): Promise<void> }): void {
      bound = { agent, forget: (account, user) => sessions.forget(accountId(account), userId(user)) };
    },
  };
}
