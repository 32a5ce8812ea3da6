/**
 * The local WeChat API simulator inside the server, only when asked for (demo mode or GUANG_SIMULATOR=on, and no
 * real API configured): made with the server, mounted at /sim, told what followers do so that its 48-hour
 * customer-service window is real. Also the start-up lines saying where the outbound API calls go.
 */
import type { Express } from 'express';
import type { Clock } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import { isUserMessage, type Inbound } from '../core/messages.ts';
import type { Account } from '../db/accounts.ts';
import { API_FEATURES, API_HOW, apiAccess } from '../wechat-api/access.ts';
import { createSimulator, type Simulator } from '../wechat-api/simulator/simulator.ts';

/** What the simulator counts as a follower's interaction (it opens the customer-service window). */
type Interaction = NonNullable<Parameters<Simulator['recordInteraction']>[1]>;

const SIMULATOR_KINDS: Partial<Record<Inbound['kind'], Interaction>> = {
  follow: 'follow',
  menu_click: 'click',
  scan: 'scan',
};

/** The embedded simulator when the configuration asks for one, else null. */
export function embeddedSimulator(config: Config, clock: Clock, logger: Logger): Simulator | null {
  return config.embedSimulator
    ? createSimulator({ clock, accountType: config.wechat.accountType, logger: logger.child({ component: 'simulator' }) })
    : null;
}

/**
 * The interaction the embedded simulator records for an inbound, or null: not one that opens the window, or the
 * account's API is elsewhere (its own `apiBase`).
 * @example simulatorInteraction({ apiBase: null }, followEvent) // 'follow'
 */
export function simulatorInteraction(account: Pick<Account, 'apiBase'>, inbound: Inbound): Interaction | null {
  if (account.apiBase) return null;
  return isUserMessage(inbound) ? 'message' : (SIMULATOR_KINDS[inbound.kind] ?? null);
}

/** The webhook's `onInbound`: the embedded simulator follows what followers actually did. */
export function followInteractions(simulator: Simulator | null, clock: Clock): (account: Account, inbound: Inbound) => void {
  return (account, inbound) => {
    if (!simulator) return;
    const kind = simulatorInteraction(account, inbound);
    if (kind) simulator.recordInteraction(inbound.user, kind, clock.now());
  };
}

/** Mounts the simulator at /sim (when there is one) and says at start-up which API outbound calls go to. */
export function mountSimulator(app: Express, simulator: Simulator | null, config: Config, logger: Logger): void {
  // Only when asked for (demo mode or GUANG_SIMULATOR=on): its control routes (/sim/deliveries, /sim/errors)
  // have no authentication and list every outbound message with openids.
  if (simulator) app.use('/sim', simulator.router); // it parses its own JSON, answering 47001 like the platform
  const access = apiAccess(config.wechat, simulator ? '/sim' : null);
  if (access.kind === 'none') logger.warn({ missing: access.missing }, `WeChat API off (${access.missing} not set): ${API_FEATURES} are off; to turn them on, ${API_HOW}`);
  else if (config.simulatorRequested && !simulator) logger.warn('GUANG_SIMULATOR=on ignored: a real WeChat API is configured (WECHAT_APPSECRET or WECHAT_API_BASE), so /sim is not mounted');
}
