/**
 * What to do with an answer that is not ready when the platform's 5-second deadline nears.
 * Pure: the webhook supplies the facts, this decides.
 */
export type LatePlan =
  /** Answer `success` now and send the answer through the customer-service API when it is ready. */
  | 'customer_service'
  /** Keep the request open: WeChat drops it at 5 s and retries; the retry finds the stored answer. */
  | 'hold_for_retry'
  /** The last retry: answer `success`; the answer cannot reach the follower any more. */
  | 'give_up';

/** WeChat delivers a message at most three times. */
export const MAX_DELIVERIES = 3;

export function planLateAnswer(facts: {
  readonly attempt: number;
  /** The account may use the customer-service API (verified, API reachable). */
  readonly customerService: boolean;
  /** The inbound opens a customer-service window (a message, a follow, a menu click or a QR scan). */
  readonly opensWindow: boolean;
}): LatePlan {
  if (facts.customerService && facts.opensWindow) return 'customer_service';
  return facts.attempt < MAX_DELIVERIES ? 'hold_for_retry' : 'give_up';
}
