/**
 * Enqueues the notices of an order change in the transaction that makes the change (the outbox pattern): a
 * notice exists exactly when its order change does. Delivery is the worker's job (see README "Taking orders").
 */
import type { Db } from '../../db/db.ts';
import type { OrderHooks } from '../order-store.ts';

/** PLACEHOLDER until the notices outbox lands: enqueues nothing. */
export function createNoticeEnqueuer(_db: Db): OrderHooks {
  return {};
}
