/**
 * The official accounts, as the header's switcher and the 公众号 tab see them: one list from the API, and a
 * signal when the tab changed it, so the switcher shows a new account without a reload.
 */
import { api } from './api.ts';

export interface AccountSummary {
  readonly id: string;
  readonly name: string;
}

const CHANGED = 'guang:accounts-changed';

/** Every account's id and name (anyone signed in may list them). */
export const listAccounts = async (): Promise<AccountSummary[]> => (await api<{ items: AccountSummary[] }>('GET', '/accounts')).items;

/** The default account's name on screen (its stored name is the environment's `default`). */
export const accountLabel = (a: AccountSummary): string => (a.id === 'default' ? '默认公众号' : a.name);

/** Tells the switcher the list changed (an account added or renamed). */
export const announceAccountsChanged = (): void => void dispatchEvent(new Event(CHANGED));

/** Calls `handler` whenever the list changed; returns the unsubscribe. */
export function onAccountsChanged(handler: () => void): () => void {
  addEventListener(CHANGED, handler);
  return () => removeEventListener(CHANGED, handler);
}
