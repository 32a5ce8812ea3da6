/**
 * The server's notice worker: the account's template and customer-service messages, and the merchant's webhook.
 * (Wechaty notices are the Wechaty bot's: src/app/wechaty-bot.ts runs a worker for those.)
 */
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/log.ts';
import { secretsOf } from '../../db/db.ts';
import { createOrderSettingsStore } from '../order-settings.ts';
import { accountDeliverer, type AccountDelivererOptions } from './deliver-account.ts';
import { webhookDeliverer } from './deliver-webhook.ts';
import type { NoticeVia } from './model.ts';
import { createNoticeWorker, type NoticeWorker, type NoticeWorkerOptions } from './worker.ts';
import type { SecretBox } from '../../db/secrets.ts';
import type { Sql } from '../../db/sql/sql.ts';

const SERVER_VIAS: readonly NoticeVia[] = ['template', 'customer_service', 'webhook'];

export interface ServerNoticeWorkerOptions extends Pick<NoticeWorkerOptions, 'leaseMs' | 'pollMs' | 'batch' | 'delays'> {
  /** The outbox's database, and the account deliverer's. */
  readonly sql: Sql;
  /** The secrets (default: `sql`'s). */
  readonly secrets?: SecretBox;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly client: AccountDelivererOptions['client'];
  readonly linkOf?: AccountDelivererOptions['linkOf'];
  /** The webhook's answer time limit (default 5 s). */
  readonly webhookTimeoutMs?: number;
}

/** @example const notices = createServerNoticeWorker({ sql, clock, logger, client: clients.forId }); notices.start(); … await notices.stop(); */
export function createServerNoticeWorker(options: ServerNoticeWorkerOptions): NoticeWorker {
  const { sql, clock, logger, client, linkOf, webhookTimeoutMs, secrets = secretsOf(sql), ...tuning } = options;
  const orderSettings = createOrderSettingsStore(sql, secrets, clock);
  const settings = (account: string) => orderSettings.get(account);
  const toAccount = accountDeliverer({ sql, clock, client, settings, ...(linkOf ? { linkOf } : {}) });
  const toWebhook = webhookDeliverer({ clock, settings, ...(webhookTimeoutMs !== undefined ? { timeoutMs: webhookTimeoutMs } : {}) });
  return createNoticeWorker({
    sql, clock, logger: logger.child({ component: 'notices' }), vias: SERVER_VIAS, ...tuning,
    deliver: (notice) => (notice.via === 'webhook' ? toWebhook(notice) : toAccount(notice)),
  });
}
