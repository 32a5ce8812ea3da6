/**
 * What to do with an answer that is not ready when the platform's 5-second deadline nears, and how long a
 * retry may wait for an answer another process is working on. Pure: the webhook and the dedup supply the
 * facts (the delivery's attempt and the claim's age), this decides.
 *
 * The platform's schedule (docs/wechat-protocol.md): a message is delivered at ~0, ~5 and ~10 s after its
 * first delivery, each delivery dropped after 5 s, three deliveries at most. The claim is made by the first
 * delivery that reaches a server, so the claim's age tells which delivery this is even when the attempt
 * count cannot (a delivery refused while no server was up is never counted).
 */
export type LatePlan =
  /** Answer `success` now and send the answer through the customer-service API when it is ready. */
  | 'customer_service'
  /** Keep the request open: WeChat drops it at 5 s and retries; the retry finds the stored answer. */
  | 'hold_for_retry'
  /** The last retry: answer `success`; the answer cannot reach the follower any more. */
  | 'give_up';

/** WeChat delivers a message at most three times. */
const MAX_DELIVERIES = 3;
/** Deliveries arrive about this far apart. */
const RETRY_INTERVAL_MS = 5_000;
/** The platform drops a delivery not answered within this. */
const DELIVERY_TIMEOUT_MS = 5_000;
/**
 * A delivery arriving this long after the claim is the last one: the second comes at ~5 s, the third at ~10 s;
 * halfway between them leaves room for the platform's jitter either way.
 */
const LAST_DELIVERY_AFTER_MS = RETRY_INTERVAL_MS * (MAX_DELIVERIES - 2) + RETRY_INTERVAL_MS / 2;
/** When the last delivery's window closes, counted from the claim (~10 s + 5 s), plus a margin for jitter. */
const PLATFORM_WINDOW_MS = RETRY_INTERVAL_MS * (MAX_DELIVERIES - 1) + DELIVERY_TIMEOUT_MS + 1_000;

/**
 * Whether the platform will deliver this message again if this delivery gets no answer.
 * Wrongly saying "no" would answer `success` and stop retries that could have carried the answer, so it
 * says "no" only when the count or the claim's age shows this is the last delivery.
 * @example moreDeliveriesExpected({ attempt: 2, claimAgeMs: 9_800 }) // false: this is the ~10 s delivery
 */
export function moreDeliveriesExpected(facts: { readonly attempt: number; readonly claimAgeMs: number }): boolean {
  return facts.attempt < MAX_DELIVERIES && facts.claimAgeMs < LAST_DELIVERY_AFTER_MS;
}

/**
 * @example planLateAnswer({ attempt: 1, claimAgeMs: 0, customerService: false, opensWindow: true }) // 'hold_for_retry'
 */
export function planLateAnswer(facts: {
  readonly attempt: number;
  /** How long before this delivery arrived the message was claimed (0 for the delivery that claimed it). */
  readonly claimAgeMs: number;
  /** The account may use the customer-service API (verified, API reachable). */
  readonly customerService: boolean;
  /** The inbound opens a customer-service window (a message, a follow, a menu click or a QR scan). */
  readonly opensWindow: boolean;
}): LatePlan {
  if (facts.customerService && facts.opensWindow) return 'customer_service';
  return moreDeliveriesExpected(facts) ? 'hold_for_retry' : 'give_up';
}

/**
 * How long a retry may wait for the answer of a claim made `claimAgeMs` ago by a live process: until the
 * last delivery's window closes. Past that no delivery can carry the answer (a customer-service hand-off
 * is its owner's to send), so waiting longer only holds a connection nobody reads.
 * @example retryWaitMs(5_000) // 11_000
 */
export function retryWaitMs(claimAgeMs: number): number {
  return Math.max(0, PLATFORM_WINDOW_MS - Math.max(0, claimAgeMs));
}

/**
 * Whether a pending claim has outlived every delivery that could carry its answer: an orphan (its owner
 * gone, or this process no longer working on it) that old will never be answered, and is closed as failed.
 */
export function claimOutlivedWindow(claimAgeMs: number): boolean {
  return claimAgeMs >= PLATFORM_WINDOW_MS;
}

/**
 * How long to keep a delivery open when it cannot be answered now but a retry may be (the database
 * cannot be written): until the platform has dropped it, `elapsedMs` after it arrived.
 */
export function holdUntilDroppedMs(elapsedMs: number): number {
  return Math.max(0, DELIVERY_TIMEOUT_MS + 250 - elapsedMs);
}
