/**
 * Transitional, for src/admin/routes/broadcasts.ts (rewritten in parallel) alone: reply collection is
 * reply-collection.ts now. Delete this file once that import points there.
 */
export { repliesCsv } from './reply-collection.ts';
