/** `/api/settings`: the bot's name and voice, the account's name, store attribution. */
import { z } from 'zod';
import { createSettingsStore, settingsPatchSchema, settingsToJson } from '../../merchant/settings.ts';
import type { AdminApiOptions } from '../options.ts';
import { route, type Route } from '../http.ts';

/** The settings with the defaults filled in: every field of the patch, none of them null. */
const settingsJson = z.strictObject({
  bot_name: z.string(),
  account_name: z.string(),
  voice: settingsPatchSchema.shape.voice.unwrap().unwrap(),
  store_attribution: settingsPatchSchema.shape.store_attribution.unwrap().unwrap(),
});

export function settingsRoutes(deps: AdminApiOptions): Route[] {
  const settings = createSettingsStore(deps.db, deps.clock);
  const tag = 'settings';
  const change = route({
    method: 'patch', path: '/settings', id: 'updateSettings', tag, body: settingsPatchSchema, response: settingsJson,
    summary: 'Change settings: bot_name, account_name, voice (lively | gentle | brief), store_attribution (first | last); null resets a field',
    handler: ({ account, body }) => settingsToJson(settings.update(account, body)),
  });
  return [
    route({
      method: 'get', path: '/settings', id: 'getSettings', tag, summary: 'The account\'s settings (defaults filled in)', response: settingsJson,
      handler: ({ account }) => settingsToJson(settings.get(account)),
    }),
    change,
    { ...change, method: 'put', id: 'setSettings', summary: 'Same as PATCH: given fields change, absent ones stay' },
  ];
}
