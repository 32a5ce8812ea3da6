/**
 * A usage error found by a command after parsing (a value out of range, options that do not go together):
 * the CLI prints its message as one line on stderr, like the parser's own errors, and exits 2.
 * @example throw new UsageError('--scene goes with --follow');
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
