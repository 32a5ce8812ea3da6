/**
 * Environment → the Wechaty bot's settings, validated once at start. The bot shares GUANG_DB and
 * GUANG_PUBLIC_URL with the server but needs no WECHAT_* setting; it needs a puppet, named explicitly.
 */
import { z } from 'zod';
import { ConfigError } from '../../core/config.ts';

/** Puppets that cannot log in without a token, and the variable each also reads on its own. */
const TOKEN_PUPPETS: Readonly<Record<string, string>> = {
  'wechaty-puppet-padlocal': 'WECHATY_PUPPET_PADLOCAL_TOKEN',
  'wechaty-puppet-service': 'WECHATY_PUPPET_SERVICE_TOKEN',
};

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const schema = z.object({
  WECHATY_PUPPET: optional(z.string().trim().regex(NPM_NAME, 'the npm name of a puppet, e.g. wechaty-puppet-padlocal')),
  WECHATY_PUPPET_TOKEN: optional(z.string().trim()),
  GUANG_DB: optional(z.string()).default('data/guang.db'),
  GUANG_PUBLIC_URL: optional(z.url({ error: 'an http(s) URL such as https://shop.example.com' })),
  GUANG_LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `one of ${LOG_LEVELS.join(', ')}` })).default('info'),
  PORT: optional(z.coerce.number({ error: 'a port number' }).int().min(0).max(65535)).default(3000),
  WECHATY_SESSION: optional(z.string().trim()),
});

export interface WechatySettings {
  readonly puppet: string;
  readonly puppetOptions: Record<string, unknown> | null;
  readonly dbPath: string;
  /** GUANG_PUBLIC_URL, or null when links can only point at this machine. */
  readonly publicUrl: string | null;
  /** Where links point: GUANG_PUBLIC_URL, else the local server `guang serve` would run on PORT. */
  readonly linkBase: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /**
   * WECHATY_SESSION: where the login session is kept, as the path Wechaty appends `.memory-card.json` to (a path
   * given with that ending is taken as meant), or null for the default place (beside the SQLite file).
   */
  readonly session: string | null;
}

/** Thrown when no puppet is named: Guang never falls back to a default puppet. */
export class NoPuppetError extends Error {
  constructor() {
    super(
      [
        'WECHATY_PUPPET is not set: name the Wechaty puppet the bot logs in with, for example',
        '  WECHATY_PUPPET=wechaty-puppet-padlocal WECHATY_PUPPET_TOKEN=puppet_padlocal_… npx guang wechaty',
        '  WECHATY_PUPPET=wechaty-puppet-service WECHATY_PUPPET_TOKEN=… npx guang wechaty   (WeCom, or any puppet service)',
        'Guang does not fall back to a default puppet: each one logs in to a different kind of account, with its own risks.',
        'Install the puppet next to Guang (npm install wechaty-puppet-padlocal); see the README, "Personal WeChat and WeCom (Wechaty)".',
      ].join('\n'),
    );
    this.name = 'NoPuppetError';
  }
}

/**
 * @example const settings = wechatySettings(process.env); // throws NoPuppetError or ConfigError
 */
export function wechatySettings(env: NodeJS.ProcessEnv): WechatySettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        return `${name}: expected ${issue.message}${env[name] === undefined ? ' (not set)' : ''}`;
      }),
    );
  }
  const e = parsed.data;
  if (!e.WECHATY_PUPPET) throw new NoPuppetError();
  const ownVariable = TOKEN_PUPPETS[e.WECHATY_PUPPET];
  if (ownVariable && !e.WECHATY_PUPPET_TOKEN && !env[ownVariable]?.trim()) {
    throw new ConfigError([`WECHATY_PUPPET_TOKEN: expected the token ${e.WECHATY_PUPPET} logs in with (or set ${ownVariable})`]);
  }
  const publicUrl = e.GUANG_PUBLIC_URL?.replace(/\/$/, '') ?? null;
  return {
    puppet: e.WECHATY_PUPPET,
    puppetOptions: e.WECHATY_PUPPET_TOKEN ? { token: e.WECHATY_PUPPET_TOKEN } : null,
    dbPath: e.GUANG_DB,
    publicUrl,
    linkBase: publicUrl ?? `http://localhost:${e.PORT}`,
    logLevel: e.GUANG_LOG_LEVEL,
    session: e.WECHATY_SESSION?.replace(/\.memory-card\.json$/, '') || null,
  };
}
