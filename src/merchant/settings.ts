/**
 * An account's settings a merchant edits (`/api/settings`): the bot's name and voice (the persona of every
 * built-in text), the account's name, and how followers are attributed to stores. Unset fields keep the
 * defaults. Writes take the next merchant revision, so every process picks them up within a poll.
 */
import { z } from 'zod';
import { DEFAULT_PERSONA, VOICES, type Persona, type Voice } from '../core/persona.ts';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import { createRevision } from './revision.ts';
import type { Db } from '../db/db.ts';

/** first: a follower belongs to the first store they came through; last: to the latest one. */
const ATTRIBUTIONS = ['first', 'last'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

export interface AccountSettings extends Persona {
  readonly voice: Voice;
  readonly storeAttribution: Attribution;
}

export const DEFAULT_SETTINGS: AccountSettings = { ...DEFAULT_PERSONA, voice: DEFAULT_PERSONA.voice ?? 'lively', storeAttribution: 'first' };

/**
 * Names go into every built-in text, and text replies may carry `<a href>` links: no control or format
 * characters (line breaks, zero-width, direction overrides) and no angle brackets.
 */
const PLAIN_NAME = /^[^\p{Cc}\p{Cf}<>]*$/u;

/** The body of `PUT|PATCH /api/settings`: any of the fields; null puts one back to its default. */
export const settingsPatchSchema = z.strictObject({
  bot_name: z.string({ error: 'bot_name: what the bot calls itself, e.g. 小美' }).trim().min(1, 'bot_name: at least one character').max(16, 'bot_name: at most 16 characters')
    .regex(PLAIN_NAME, 'bot_name: plain text on one line, without < or >').nullable().optional(),
  account_name: z.string({ error: 'account_name: the account\'s name, e.g. 聚美优品' }).trim().min(1, 'account_name: at least one character').max(30, 'account_name: at most 30 characters')
    .regex(PLAIN_NAME, 'account_name: plain text on one line, without < or >').nullable().optional(),
  voice: z.enum(VOICES, { error: `voice: one of ${VOICES.join(', ')} (lively: ～ and emoji; gentle: 您, warm; brief: to the point)` }).nullable().optional(),
  store_attribution: z.enum(ATTRIBUTIONS, { error: 'store_attribution: first (the first store a follower came through keeps them) or last' }).nullable().optional(),
}, { error: 'the settings: a JSON object with any of bot_name, account_name, voice, store_attribution' });
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

interface Row {
  account: string;
  bot_name: string | null;
  account_name: string | null;
  voice: Voice | null;
  store_attribution: Attribution | null;
}

const fromRow = (r: Row | undefined): AccountSettings => ({
  botName: r?.bot_name ?? DEFAULT_SETTINGS.botName,
  accountName: r?.account_name ?? DEFAULT_SETTINGS.accountName,
  voice: r?.voice ?? DEFAULT_SETTINGS.voice,
  storeAttribution: r?.store_attribution ?? DEFAULT_SETTINGS.storeAttribution,
});

export const settingsToJson = (s: AccountSettings) => ({
  bot_name: s.botName,
  account_name: s.accountName,
  voice: s.voice,
  store_attribution: s.storeAttribution,
});

/**
 * @example createSettingsStore(db).update('default', { bot_name: '小美', voice: 'gentle' })
 */
export function createSettingsStore(db: Db, clock: Clock = systemClock) {
  const revision = createRevision(db);
  const get = db.prepare<[string], Row>('SELECT * FROM account_settings WHERE account = ?');
  const all = db.prepare<[], Row>('SELECT * FROM account_settings');
  const upsert = db.prepare(`
    INSERT INTO account_settings (account, bot_name, account_name, voice, store_attribution, updated_at)
    VALUES (@account, @bot_name, @account_name, @voice, @store_attribution, @now)
    ON CONFLICT (account) DO UPDATE SET bot_name = excluded.bot_name, account_name = excluded.account_name,
      voice = excluded.voice, store_attribution = excluded.store_attribution, updated_at = excluded.updated_at`);
  return {
    get: (account: string): AccountSettings => fromRow(get.get(account)),
    /** Every account that has settings. */
    all: (): Map<string, AccountSettings> => new Map(all.all().map((r) => [r.account, fromRow(r)])),
    /** Applies a validated patch: given fields change, null resets one, absent ones stay. */
    update(account: string, patch: SettingsPatch): AccountSettings {
      return db
        .transaction(() => {
          const row = get.get(account);
          const pick = <K extends keyof SettingsPatch>(k: K) => (patch[k] === undefined ? (row?.[k] ?? null) : patch[k]);
          revision.next();
          upsert.run({
            account,
            bot_name: pick('bot_name'),
            account_name: pick('account_name'),
            voice: pick('voice'),
            store_attribution: pick('store_attribution'),
            now: clock.now(),
          });
          return fromRow(get.get(account));
        })
        .immediate();
    },
  };
}
