/**
 * Answers that go out as customer-service messages instead of the passive reply: a late answer (not ready within
 * the webhook's 5-second window; when that happens is the webhook's plan, src/channels/wechat/reply-budget.ts)
 * and a rule's further replies (reply_mode all: the first one is the passive reply). Only accounts the merchant
 * marked `customerService` (verified accounts) with API access send them. Every send goes into the send ledger:
 * the platform's 5-per-48-hours quota counts every customer-service message, not only broadcasts.
 */
import { sleep, type Clock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import type { Inbound, Reply } from '../core/messages.ts';
import type { Account, AccountLookup } from '../db/accounts.ts';
import type { Sql } from '../db/sql/sql.ts';
import { toCustomerMessage } from '../channels/wechat/customer-message.ts';
import type { CustomerMessage, WechatClient } from '../wechat-api/client.ts';
import { WechatTimeoutError } from '../wechat-api/errors.ts';
import { recordCustomerServiceSend } from '../push/ledger.ts';
import type { WechatClients } from './wechat-clients.ts';

/** A rule's further replies go out after the passive one has had time to reach the follower. */
const FOLLOW_UP_DELAY_MS = 300;

/** Why a customer-service message was sent (the ledger's `source`). */
type Source = 'late_answer' | 'rule_reply';

export interface CustomerServiceOptions {
  /** Where the send ledger is. */
  readonly sql: Sql;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly accounts: AccountLookup;
  readonly clients: WechatClients;
}

export interface CustomerService {
  /** For the webhook: sends the account's late answers, or null when the account cannot. */
  lateAnswers(account: Account): ((inbound: Inbound, reply: Reply) => Promise<void>) | null;
  /** For the shop agent: sends a rule's further replies after the passive one, or drops them when the account cannot. */
  followUps(inbound: Inbound, replies: readonly Reply[]): void;
  /** Resolves when every rule's further replies under way have been sent (or failed). */
  settle(): Promise<void>;
}

/**
 * What the send ledger records of a customer-service send that failed with `err`: a timed-out send may have
 * arrived, so it is recorded as `unknown` (and counted); any other failure never reached the follower (null).
 * @example failedSendOutcome(new WechatTimeoutError('message/custom/send', 'timeout', 10_000)) // 'unknown'
 */
export function failedSendOutcome(err: unknown): 'unknown' | null {
  return err instanceof WechatTimeoutError ? 'unknown' : null;
}

/**
 * @example const cs = createCustomerService({ sql, clock, logger, accounts, clients });
 * wechatWebhook({ …, customerService: cs.lateAnswers }); createShopAgent({ …, followUps: cs.followUps });
 */
export function createCustomerService(options: CustomerServiceOptions): CustomerService {
  const { sql, clock, logger, accounts, clients } = options;
  const followUpsInFlight = new Set<Promise<void>>();

  /** The client for the account's customer-service messages, or null: not marked for them, or no API access. */
  function clientFor(account: Account | null): WechatClient | null {
    return account?.customerService ? clients.forAccount(account) : null;
  }

  /** Sends, then writes the send ledger (a failed send too, when it may have arrived: see `failedSendOutcome`). */
  async function send(client: WechatClient, inbound: Inbound, message: CustomerMessage, source: Source): Promise<void> {
    const record = (outcome: 'sent' | 'unknown') =>
      recordCustomerServiceSend(sql, { account: inbound.account, user: inbound.user, at: clock.now(), source, outcome });
    try {
      await client.sendCustomerMessage(inbound.user, message);
    } catch (err) {
      const outcome = failedSendOutcome(err);
      if (outcome) await record(outcome);
      throw err;
    }
    await record('sent');
  }

  return {
    lateAnswers(account) {
      const client = clientFor(account);
      if (!client) return null;
      return async (inbound: Inbound, reply: Reply) => {
        const message = toCustomerMessage(reply);
        if (message) await send(client, inbound, message, 'late_answer');
      };
    },

    followUps(inbound, replies) {
      const client = clientFor(accounts.get(inbound.account));
      if (!client) {
        logger.debug({ account: inbound.account, dropped: replies.length }, 'no customer-service API: only the first reply of the rule was sent');
        return;
      }
      const sending: Promise<void> = (async () => {
        await sleep(FOLLOW_UP_DELAY_MS);
        for (const reply of replies) {
          const message = toCustomerMessage(reply);
          if (message) await send(client, inbound, message, 'rule_reply');
        }
      })()
        .catch((err: unknown) => logger.warn({ err, account: inbound.account }, 'could not send the further replies of a rule'))
        .finally(() => followUpsInFlight.delete(sending));
      followUpsInFlight.add(sending);
    },

    async settle() {
      await Promise.all(followUpsInFlight);
    },
  };
}
