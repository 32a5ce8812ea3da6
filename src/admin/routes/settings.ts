/**
 * `/api/settings`: the bot's name and voice, the account's name, store attribution, and the bot's own
 * welcome, help and fallback texts and example queries. Reading also gives what an unset field stands for:
 * the examples derived from the catalogue and each voice's built-in texts (templates, see agent/texts.ts).
 */
import { z } from 'zod';
import { createSettingsStore, settingsPatchSchema, settingsToJson, type AccountSettings } from '../../merchant/settings.ts';
import { builtinTemplates, PLACEHOLDERS } from '../../agent/texts.ts';
import { DEMO_OFFER, VOICES, type CatalogueOffer } from '../../core/persona.ts';
import type { AdminApiOptions } from '../options.ts';
import { route, type Route } from '../http.ts';

const shape = settingsPatchSchema.shape;
const voiceTexts = z.strictObject({
  welcome_text: z.string(),
  help_text: z.string(),
  fallback_text: z.string(),
  sample: z.string().describe('a greeting, to hear the voice'),
});

/** The settings with the defaults filled in, and what the unset texts and examples stand for. */
const settingsJson = z.strictObject({
  bot_name: z.string(),
  account_name: z.string(),
  voice: shape.voice.unwrap().unwrap(),
  store_attribution: shape.store_attribution.unwrap().unwrap(),
  welcome_text: z.string().nullable().describe('null: the built-in text of the voice (default_texts)'),
  help_text: z.string().nullable(),
  fallback_text: z.string().nullable(),
  example_queries: z.array(z.string()).nullable().describe('null: example_queries_effective, derived from the catalogue'),
  example_queries_effective: z.array(z.string()).describe('the examples the texts suggest now: example_queries, or those derived from the catalogue (its largest categories, a city with hotels, a city with deals)'),
  example_queries_derived: z.array(z.string()).describe('the examples derived from the catalogue, used when example_queries is null'),
  default_texts: z.record(shape.voice.unwrap().unwrap(), voiceTexts).describe('each voice\'s built-in texts for this account\'s catalogue, as templates'),
  placeholders: z.array(z.string()).describe('what a text may hold: {bot_name}, {account_name}, {examples} (the examples, each in 「」)'),
});

function settingsAnswer(s: AccountSettings, offer: CatalogueOffer): z.infer<typeof settingsJson> {
  const defaults = Object.fromEntries(
    VOICES.map((v) => {
      const t = builtinTemplates(v, offer);
      return [v, { welcome_text: t.welcome, help_text: t.help, fallback_text: t.fallback, sample: t.greeting }];
    }),
  ) as z.infer<typeof settingsJson>['default_texts'];
  return {
    ...settingsToJson(s),
    example_queries: s.exampleQueries ? [...s.exampleQueries] : null,
    example_queries_effective: [...(s.exampleQueries ?? offer.examples)],
    example_queries_derived: [...offer.examples],
    default_texts: defaults,
    placeholders: [...PLACEHOLDERS],
  };
}

export function settingsRoutes(deps: AdminApiOptions): Route[] {
  const settings = createSettingsStore(deps.sql, deps.clock);
  const answer = (account: string, s: AccountSettings) => settingsAnswer(s, deps.offers?.(account) ?? DEMO_OFFER);
  const tag = 'settings';
  const change = route({
    method: 'patch', path: '/settings', id: 'updateSettings', tag, body: settingsPatchSchema, response: settingsJson,
    summary: 'Change settings: bot_name, account_name, voice (lively | gentle | brief), store_attribution (first | last), welcome_text, help_text, fallback_text (templates with {bot_name}, {account_name}, {examples}), example_queries (up to 5); null resets a field',
    handler: async ({ account, body }) => answer(account, await settings.update(account, body)),
  });
  return [
    route({
      method: 'get', path: '/settings', id: 'getSettings', tag, response: settingsJson,
      summary: 'The account\'s settings (defaults filled in), the example queries in effect and each voice\'s built-in texts',
      handler: async ({ account }) => answer(account, await settings.get(account)),
    }),
    change,
    { ...change, method: 'put', id: 'setSettings', summary: 'Same as PATCH: given fields change, absent ones stay' },
  ];
}
