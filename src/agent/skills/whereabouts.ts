/** Where the follower is: their last location (from the subscriber record), if recent, and its city. */
import type { TurnContext } from '../context.ts';
import { LOCATION_FRESH_MS } from './hotels.ts';

export interface KnownLocation {
  readonly lat: number;
  readonly lng: number;
  /** When it was sent (ms). */
  readonly at: number;
}

/** The follower's last location (one read of the subscriber record). */
export async function lastLocation(ctx: TurnContext): Promise<KnownLocation | null> {
  return (await ctx.subscribers.get(ctx.inbound.account, ctx.inbound.user))?.lastLocation ?? null;
}

/** `last`, if recent enough to count as where the follower is. */
export function fresh(ctx: TurnContext, last: KnownLocation | null): { lat: number; lng: number } | null {
  return last && ctx.now - last.at <= LOCATION_FRESH_MS ? { lat: last.lat, lng: last.lng } : null;
}

/** The city of a location, or null. */
export function cityOf(ctx: TurnContext, location: { lat: number; lng: number } | null): string | null {
  return location ? ctx.search.cityNear(ctx.inbound.account, location) : null;
}
