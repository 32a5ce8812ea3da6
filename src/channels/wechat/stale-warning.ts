/**
 * The warning for deliveries refused as stale. Refusals are logged at debug only (an attacker must not be able
 * to fill the log), but one kind is an operator's problem rather than an attack: when this server's clock has
 * drifted beyond the allowed skew, every genuine delivery is refused, and without a warning nobody would know.
 * Only signed requests get as far as the timestamp check, so the count is of requests made with the account's
 * Token (the platform's, or replays of them). At most one line per interval, whatever the rate.
 */

/** What the warn line says: how many were refused since the last line, and the latest one's offset. */
export interface StaleReport {
  readonly refused: number;
  /** This server's clock minus the request's timestamp, in whole seconds (positive: the server is ahead). */
  readonly serverAheadSeconds: number;
}

export interface StaleWarning {
  /** Counts one stale refusal; returns what to warn about when a line is due, else null. */
  note(nowMs: number, serverAheadSeconds: number): StaleReport | null;
}

/** @example const stale = staleWarning(60_000); const due = stale.note(clock.now(), 420); if (due) logger.warn(due, '…'); */
export function staleWarning(intervalMs: number): StaleWarning {
  let refused = 0;
  let lastWarnMs = -Infinity;
  return {
    note(nowMs, serverAheadSeconds) {
      refused += 1;
      if (nowMs - lastWarnMs < intervalMs) return null;
      const report = { refused, serverAheadSeconds };
      refused = 0;
      lastWarnMs = nowMs;
      return report;
    },
  };
}

/** The warn line's text (fixed, apart from numbers this server computed). */
export function staleMessage(report: StaleReport, maxSkewSeconds: number): string {
  return (
    `${report.refused} ${report.refused === 1 ? 'delivery' : 'deliveries'} refused: their timestamp is more than ${maxSkewSeconds} s ` +
    `from this server's clock (the latest by ${report.serverAheadSeconds} s) — check the clock (NTP) or WECHAT_MAX_CLOCK_SKEW_SECONDS`
  );
}
