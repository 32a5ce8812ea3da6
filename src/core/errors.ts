/**
 * Errors a merchant can act on, from the rule, settings and store modules; the admin API maps `code` to an
 * HTTP status and the CLI prints `message`.
 */
import type { Problem } from './problems.ts';

export type MerchantErrorCode = 'validation' | 'conflict' | 'not_found' | 'limit' | 'unavailable' | 'upstream';

export class MerchantError extends Error {
  constructor(
    readonly code: MerchantErrorCode,
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.name = 'MerchantError';
  }
}
