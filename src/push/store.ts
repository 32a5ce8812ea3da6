/**
 * Transitional, for src/admin/routes/broadcasts.ts (rewritten in parallel) alone: PushError now lives in
 * model.ts and push's tables in outbox.ts. Delete this file once that import points to model.ts.
 */
export { PushError } from './model.ts';
