/**
 * The webhook's front door, the same for the URL check (GET) and for deliveries (POST): the signature (a decoy
 * token for an unknown account, so both cost the same), a fresh numeric timestamp, and the record of requests
 * already taken; and the one answer, `400 invalid request`, to whatever is refused anywhere on the way in.
 */
import type { ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock.ts';
import { defaultEncryptMode, type EncryptMode } from '../../core/config.ts';
import type { Logger } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import type { Account, AccountLookup } from '../../db/accounts.ts';
import { logWriteError } from '../../db/write-health.ts';
import { answer, INVALID_REQUEST, PLAIN } from './answer.ts';
import { freshness, requestKey } from './freshness.ts';
import type { ReplayGuard } from './replay-guard.ts';
import { verifySignature } from './signature.ts';
import { staleMessage, staleWarning } from './stale-warning.ts';

/** At most one warn line a minute about deliveries refused as stale (see stale-warning.ts). */
const STALE_WARNING_INTERVAL_MS = 60_000;
/** Checked in place of an unknown account's token, so that `/wechat/<unknown>` costs what a bad signature costs. */
const DECOY_TOKEN = 'guang-no-such-account';

/** The mode an account's webhook runs in (an account saved without one: safe when it has a key). */
export function encryptModeOf(account: Pick<Account, 'encryptMode' | 'aesKey'>): EncryptMode {
  return account.encryptMode ?? defaultEncryptMode(account.aesKey);
}

/**
 * Why a request was refused: `reason`, the label of the rejected metric, and `detail`, for the debug line
 * only. Never shown to the caller — and /metrics is public: a label per decryption failure (bad padding vs a
 * wrong AppID) would be the padding oracle again, one GET after each forged ciphertext.
 */
export class Rejection extends Error {
  constructor(
    readonly reason: string,
    readonly detail?: string,
    /** For a stale timestamp: this server's clock minus the request's, in seconds. */
    readonly serverAheadSeconds?: number,
  ) {
    super(reason);
  }
}

/**
 * What the front door reads of a request: the account its path names ('default' for `/wechat`) and its query
 * string, parsed (a repeated parameter is an array, as node:querystring and express give it).
 */
export interface WebhookRequest {
  readonly account: string;
  readonly query: Readonly<Record<string, unknown>>;
}

/** A verified request's signed parameters. */
export interface Signed {
  readonly timestamp: string;
  readonly nonce: string;
  readonly signature: string;
}

export interface FrontDoor {
  /**
   * The account, a valid signature and a fresh timestamp, or a Rejection. An unknown account goes through
   * the same checks against a decoy token: it must not answer sooner (or otherwise) than a bad signature.
   */
  verify(req: WebhookRequest): { account: Account; signed: Signed };
  /**
   * Records the request; resolves false for a replay (seen before with another body; the platform's retries
   * repeat the whole request). Never rejects: when the database cannot be written, the signature and the
   * timestamp still hold, and answering matters more.
   */
  admitOnce(account: Account, signed: Signed, hash: string): Promise<boolean>;
  /** Answers a Rejection with the one `400 invalid request` (and counts and logs its reason); rethrows anything else. */
  reject(req: WebhookRequest, res: ServerResponse, err: unknown): void;
}

/** A query parameter as a string ('' when absent or repeated). */
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** @example const door = createFrontDoor({ accounts, replay, metrics, logger, clock, maxSkewSeconds: 300 }); */
export function createFrontDoor(options: {
  readonly accounts: AccountLookup;
  readonly replay: ReplayGuard;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly maxSkewSeconds: number;
}): FrontDoor {
  const { accounts, replay, metrics, logger, clock, maxSkewSeconds } = options;
  const stale = staleWarning(STALE_WARNING_INTERVAL_MS);

  return {
    verify(req) {
      const account = accounts.get(req.account);
      const q = req.query;
      const signature = str(q.signature);
      const timestamp = str(q.timestamp);
      const nonce = str(q.nonce);
      const fresh = freshness(timestamp, clock.now(), maxSkewSeconds);
      const signed = nonce !== '' && verifySignature(account?.token ?? DECOY_TOKEN, timestamp, nonce, signature);
      // Counted as a bad signature, which it also is: a label of its own on the public /metrics would say which
      // accounts exist. The debug line says which.
      if (!account) throw new Rejection('bad signature', 'unknown account');
      if (!signed) throw new Rejection('bad signature');
      if (fresh === 'stale') throw new Rejection('stale timestamp', undefined, Math.round(clock.now() / 1000 - Number(timestamp)));
      if (fresh !== 'fresh') throw new Rejection('timestamp not numeric');
      return { account, signed: { timestamp, nonce, signature } };
    },

    admitOnce(account, signed, hash) {
      return replay.admit(account.id, Number(signed.timestamp), requestKey(signed.signature), hash).catch((err: unknown) => {
        // A storage failure is logged once per burst by the group commit's health (src/db/write-health.ts).
        logWriteError(logger, err, 'could not record the request for the replay check; taking it unchecked');
        return true;
      });
    },

    reject(req, res, err) {
      if (err instanceof Rejection) {
        metrics.rejected.inc({ reason: err.reason });
        if (logger.isLevelEnabled('debug')) {
          const account = req.account.slice(0, 64);
          logger.debug({ account, reason: err.reason, ...(err.detail ? { detail: err.detail } : {}) }, 'webhook request rejected');
        }
        if (err.serverAheadSeconds !== undefined) {
          // A drifted clock refuses every genuine delivery: say so, once a minute at most, in numbers only.
          const due = stale.note(clock.now(), err.serverAheadSeconds);
          if (due) logger.warn(due, staleMessage(due, maxSkewSeconds));
        }
        answer(res, PLAIN, INVALID_REQUEST, 400);
        return;
      }
      throw err;
    },
  };
}
