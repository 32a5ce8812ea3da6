/** `/api/settings`: the bot's name and voice, the account's name, store attribution. */
import { createSettingsStore, settingsPatchSchema, settingsToJson } from '../../merchant/settings.ts';
import type { AdminApiOptions } from '../options.ts';
import { route, type Route } from '../http.ts';

export function settingsRoutes(deps: AdminApiOptions): Route[] {
  const settings = createSettingsStore(deps.db, deps.clock);
  const tag = 'settings';
  const change = route({
    method: 'patch', path: '/settings', tag, body: settingsPatchSchema,
    summary: 'Change settings: bot_name, account_name, voice (lively | gentle | brief), store_attribution (first | last); null resets a field',
    handler: ({ account, body }) => settingsToJson(settings.update(account, body)),
  });
  return [
    route({ method: 'get', path: '/settings', tag, summary: 'The account\'s settings (defaults filled in)', handler: ({ account }) => settingsToJson(settings.get(account)) }),
    change,
    { ...change, method: 'put', summary: 'Same as PATCH: given fields change, absent ones stay' },
  ];
}
