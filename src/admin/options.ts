/** What the admin API's routes are given: the database, the clock, the broadcast service, and the server's hooks. */
import type { Clock } from '../core/clock.ts';
import type { CatalogueOffer } from '../core/persona.ts';
import type { Logger } from '../core/log.ts';
import type { AccountLookup } from '../db/accounts.ts';
import type { Sql } from '../db/sql/sql.ts';
import type { BroadcastService } from '../push/service.ts';
import type { WechatClient } from '../wechat-api/client.ts';
import type { SessionLimits } from '../db/staff-sessions.ts';
import type { UserLockout } from '../db/staff-users.ts';
import type { Lockout, RateLimit } from './rate-limit.ts';
import type { ConsoleChat, DryRunner } from './conversation-types.ts';

export interface AdminApiOptions {
  /** The database (either kind), through the data layer every store is written against. */
  readonly sql: Sql;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The accounts as this instance knows them (in memory, current within a poll). */
  readonly accounts: AccountLookup;
  /** The API client that creates QR codes for an account; null when the account has no API access. */
  readonly qrClient: (account: string) => Pick<WechatClient, 'createQrCode'> | null;
  /** The API client that publishes, reads and deletes an account's custom menu; null (or absent) when it has no API access. */
  readonly menuClient?: (account: string) => Pick<WechatClient, 'createMenu' | 'getMenu' | 'deleteMenu'> | null;
  /** GUANG_ADMIN_TOKEN; null or short: the API is off (demo mode accepts a short one). */
  readonly token: string | null;
  readonly demo: boolean;
  /** The server's base URL for the OpenAPI document's `servers`. */
  readonly baseUrl: () => string;
  /** Requests per client (default 20/s, bursts of 60) and the lock-out after failed authentication. */
  readonly rate?: RateLimit;
  readonly lockout?: Lockout;
  /** Staff sessions' idle and absolute lifetimes (default 12 hours, 7 days), and a user's lock-out (5 failures, 15 minutes). */
  readonly sessionLimits?: SessionLimits;
  readonly userLockout?: UserLockout;
  /** Awaited after every successful write, so this process applies it before answering (others within their poll). */
  readonly onChange?: () => unknown;
  /** Broadcasts: the service the scheduler and the CLI share, and `kick` to wake the scheduler's sender after a send is planned. */
  readonly broadcasts: { readonly service: BroadcastService; readonly kick?: () => void };
  /** What an account's catalogue offers (its derived example queries), as the bot sees it: see search/offer.ts. Absent (tests without a catalogue): DEMO_OFFER. */
  readonly offers?: (account: string) => CatalogueOffer;
  /** Where uploads are written while they are imported (default the system's temporary directory). */
  readonly uploadDir?: string;
  /** The dry run of the real pipeline (`testRule`); absent: the route answers 503. */
  readonly dryRun?: DryRunner;
  /** The console's test follower talking to the live bot (`chatAsFollower`); absent: the route answers 503. */
  readonly chat?: ConsoleChat;
}
