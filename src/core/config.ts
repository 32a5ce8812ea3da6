/**
 * Environment → typed, validated configuration. Validation happens once, at start; a bad value stops
 * the process with a message naming the variable and what it expects.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { z } from 'zod';

const ACCOUNT_TYPES = ['subscription', 'service'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/**
 * How the webhook takes deliveries. `safe`: only `encrypt_type=aes` with a verified msg_signature (the
 * platform sends that in its compatible AND safe modes); `compatible`: plaintext or encrypted, for a
 * merchant switching over; `plain`: plaintext (an encrypted delivery is still opened when a key is set).
 */
const ENCRYPT_MODES = ['plain', 'compatible', 'safe'] as const;
export type EncryptMode = (typeof ENCRYPT_MODES)[number];

/** The mode when none is chosen: safe as soon as there is a key to be safe with. */
export function defaultEncryptMode(aesKey: string | null): EncryptMode {
  return aesKey ? 'safe' : 'plain';
}

/** The platform's clock and ours may differ a little; a delivery signed further away than this is refused. */
export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 300;

/**
 * Which peers may name the client in X-Forwarded-For (express's `trust proxy`): a hop count, or a list of
 * addresses, CIDR ranges and the names loopback, linklocal, uniquelocal. The client address it yields keys the
 * admin API's rate limit and lock-out, so behind a proxy on another host it must name that proxy, or every
 * operator shares the proxy's address (and one lock-out). Never "every address": then any client could pick
 * its own address with the header and walk out of a lock-out.
 */
export type TrustProxy = number | readonly string[];
const DEFAULT_TRUST_PROXY: TrustProxy = ['loopback'];
const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * GUANG_TRUST_PROXY's value, or a message saying what is wrong with it.
 * @example parseTrustProxy('10.0.0.0/8, 192.168.1.5') // ['10.0.0.0/8', '192.168.1.5']; parseTrustProxy('1') // 1
 */
export function parseTrustProxy(value: string): TrustProxy | { error: string } {
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops <= 10 ? hops : { error: 'a hop count of at most 10' };
  }
  if (/^(true|\*|all)$/i.test(v)) return { error: 'a hop count or a list of proxy addresses, not every address (any client could then choose its own address)' };
  const entries = v.split(',').map((e) => e.trim());
  for (const entry of entries) {
    if (TRUST_PROXY_NAMES.has(entry)) continue;
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    if (family === 0 || rest.length > 0 || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= max))) {
      return { error: `a hop count, or addresses and CIDR ranges (e.g. 10.0.0.0/8,192.168.1.5) or loopback, linklocal, uniquelocal; "${entry.slice(0, 60)}" is none of these` };
    }
  }
  return entries;
}

const AES_KEY = /^[A-Za-z0-9+/]{43}$/;
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;

/** Empty strings count as unset, the way `.env` files write "no value". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

/**
 * An address to listen on: an IP address, or a host name (resolved by the system, e.g. localhost). What
 * passes here can still fail to bind (an address this host does not have); listen's error says so at start.
 */
const LISTEN_HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const listenHost = z.string().trim().refine((v) => isIP(v) !== 0 || LISTEN_HOST.test(v), 'an address to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::');
const port = z.coerce.number({ error: 'a port number' }).int('a port number').min(0, 'a port number from 0 to 65535').max(65535, 'a port number from 0 to 65535');
const onOff = z.enum(['on', 'off'], { error: 'on or off' });

const envSchema = z.object({
  PORT: optional(port).default(3000),
  GUANG_METRICS_PORT: optional(port),
  GUANG_METRICS_HOST: optional(listenHost),
  GUANG_STOP_WITH_PARENT: optional(onOff).default('on'),
  GUANG_DB: optional(z.string()).default('data/guang.db'),
  GUANG_ADMIN_TOKEN: optional(z.string()),
  GUANG_PUBLIC_URL: optional(z.url({ error: 'an http(s) URL such as https://shop.example.com' })),
  GUANG_SECRET_KEY: optional(z.string().trim().min(16, '32 random bytes in base64 (openssl rand -base64 32) or hex, or a passphrase of at least 16 characters')),
  GUANG_LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `one of ${LOG_LEVELS.join(', ')}` })).default('info'),
  GUANG_TURN_BUDGET_MS: optional(z.coerce.number({ error: 'milliseconds, e.g. 300' }).int().min(10, 'at least 10 ms').max(4000, 'at most 4000 ms (the platform waits 5 s)')).default(300),
  GUANG_ADMIN_RATE: optional(z.coerce.number({ error: 'requests per second, e.g. 20' }).positive('more than 0').max(10_000)).default(20),
  GUANG_TRUST_PROXY: optional(z.string()),
  GUANG_ADMIN_BURST: optional(z.coerce.number({ error: 'a number of requests, e.g. 60' }).int().min(1).max(100_000)).default(60),
  // At least 10 s: the lease is renewed between API calls, and a call may take its whole 10-second timeout; a
  // shorter lease would hand a live sender's run to another instance mid-call (its rows then end `unknown`).
  GUANG_PUSH_LEASE_SECONDS: optional(z.coerce.number({ error: 'a number of seconds, e.g. 30' }).int('a whole number of seconds').min(10, 'at least 10 seconds (an API call may take 10)').max(3600, 'at most 3600 seconds')).default(30),
  WECHAT_TOKEN: z.string({ error: 'the Token from the platform\'s 基本配置 page (3–32 letters or digits)' })
    .regex(/^[A-Za-z0-9]{3,32}$|^[A-Za-z0-9-]{3,32}$/, '3–32 letters or digits'),
  WECHAT_APPID: optional(z.string().regex(/^wx[0-9A-Za-z]{6,30}$/, 'an AppID starting with "wx"')),
  WECHAT_APPSECRET: optional(z.string().min(8, 'the AppSecret (32 characters)')),
  WECHAT_AES_KEY: optional(z.string().regex(AES_KEY, 'a 43-character EncodingAESKey (letters and digits)')),
  WECHAT_AES_KEY_PREVIOUS: optional(z.string().regex(AES_KEY, 'a 43-character EncodingAESKey (letters and digits)')),
  WECHAT_API_BASE: optional(z.url({ error: 'an http(s) base URL such as https://api.weixin.qq.com' })),
  WECHAT_ACCOUNT_TYPE: optional(z.enum(ACCOUNT_TYPES, { error: 'subscription or service' })).default('service'),
  WECHAT_CUSTOMER_SERVICE: optional(onOff).default('on'),
  GUANG_SIMULATOR: optional(onOff),
  WECHAT_ENCRYPT_MODE: optional(z.enum(ENCRYPT_MODES, { error: ENCRYPT_MODES.join(', ') })),
  WECHAT_MAX_CLOCK_SKEW_SECONDS: optional(z.coerce.number({ error: 'a number of seconds' }).int().min(1).max(86_400))
    .default(DEFAULT_MAX_CLOCK_SKEW_SECONDS),
  WECHAT_FOLLOWER_BURST: optional(z.coerce.number({ error: 'a whole number (0 turns the limit off)' }).int().min(0).max(10_000)).default(10),
  // At least a millisecond: a value that rounds to 0 ms made the bucket's refill 0/0 (NaN), and NaN tokens
  // never reach 1 — every follower was dropped after a first message, for good.
  WECHAT_FOLLOWER_REFILL_SECONDS: optional(z.coerce.number({ error: 'a number of seconds' }).min(0.001, 'at least 0.001 seconds').max(3600)).default(1),
});

export interface WechatAccountConfig {
  readonly token: string;
  readonly appId: string | null;
  readonly appSecret: string | null;
  readonly aesKey: string | null;
  readonly previousAesKey: string | null;
  readonly accountType: AccountType;
  /** null: the platform's API when an AppSecret is set (see wechat-api/access.ts), else none or the simulator. */
  readonly apiBase: string | null;
  readonly customerService: boolean;
  /** Which deliveries the webhook accepts; absent (an account saved by older code): `defaultEncryptMode(aesKey)`. */
  readonly encryptMode?: EncryptMode;
}

export interface Config {
  readonly port: number;
  /**
   * Where /metrics (with /healthz and /readyz) is served, apart from the public port; null: metrics are not
   * served. GUANG_METRICS_PORT (0: any free port) and GUANG_METRICS_HOST (default 127.0.0.1).
   */
  readonly metrics: { readonly port: number; readonly host: string } | null;
  /** GUANG_STOP_WITH_PARENT: stop gracefully when the process that started this one exits (default on). */
  readonly stopWithParent: boolean;
  readonly dbPath: string;
  readonly adminToken: string | null;
  /** GUANG_SECRET_KEY: the key of the secrets at rest; null: a key file beside the database (src/db/secrets.ts). */
  readonly secretKey: string | null;
  readonly publicUrl: string | null;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly demo: boolean;
  readonly wechat: WechatAccountConfig & { readonly encryptMode: EncryptMode };
  /** Deliveries whose `timestamp` is further than this from our clock are refused (every account). */
  readonly maxClockSkewSeconds: number;
  /** Per-follower webhook limit: `burst` messages back to back, then one every `refillMs`; null: off. */
  readonly followerLimit: { readonly burst: number; readonly refillMs: number } | null;
  /** How long one message's pipeline may work before the fallback answers (GUANG_TURN_BUDGET_MS). */
  readonly turnBudgetMs: number;
  /** The admin API's rate limit per client: tokens per second and bucket size (GUANG_ADMIN_RATE, GUANG_ADMIN_BURST). */
  readonly adminRate: { readonly perSecond: number; readonly burst: number };
  /** Express's `trust proxy`: who may name the client in X-Forwarded-For (GUANG_TRUST_PROXY; default loopback). */
  readonly trustProxy: TrustProxy;
  /**
   * How long a broadcast sender's hold on a run lasts unless renewed (GUANG_PUSH_LEASE_SECONDS): when its holder
   * stops (a crash, a host gone), another instance takes the run over after this.
   */
  readonly pushLeaseMs: number;
  /**
   * True when the server embeds the API simulator under /sim and uses it as the API: asked for (demo mode, or
   * GUANG_SIMULATOR=on) and no real API configured (no AppSecret, no API base). Its control routes have no
   * authentication, so it is never mounted unless asked for.
   */
  readonly embedSimulator: boolean;
  /** GUANG_SIMULATOR (default: on in demo mode, off otherwise). */
  readonly simulatorRequested: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The package root, from src/ (tsx) and from dist/ alike: both sit one level below it. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Settings whose demo values, published in `.env.example`, are refused outside demo mode. */
const PUBLISHED_SECRETS = ['GUANG_ADMIN_TOKEN', 'WECHAT_TOKEN', 'WECHAT_APPSECRET', 'GUANG_SECRET_KEY'] as const;

/** The demo values shipped in `.env.example`; used for anything unset when running in demo mode. */
export function demoEnv(): Record<string, string> {
  const text = readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8');
  return parseEnv(text) as Record<string, string>;
}

/**
 * Reads the configuration.
 * @example loadConfig(process.env, { demo: true }) // the demo values fill whatever is unset
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: { demo?: boolean } = {}): Config {
  const demo = options.demo ?? false;
  const source: Record<string, string | undefined> = demo ? { ...demoEnv(), ...definedOnly(env) } : { ...env };
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        const given = source[name];
        return `${name}: expected ${issue.message}${given === undefined ? ' (not set)' : ''}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.WECHAT_AES_KEY_PREVIOUS && !e.WECHAT_AES_KEY) {
    problems.push('WECHAT_AES_KEY_PREVIOUS: set only while rotating; WECHAT_AES_KEY must be set too');
  }
  if (e.WECHAT_AES_KEY && !e.WECHAT_APPID) {
    problems.push('WECHAT_APPID: expected the AppID, needed to check messages in safe mode (WECHAT_AES_KEY is set)');
  }
  if (e.WECHAT_APPSECRET && !e.WECHAT_APPID) {
    problems.push('WECHAT_APPID: expected the AppID, needed with WECHAT_APPSECRET to call the API');
  }
  if ((e.WECHAT_ENCRYPT_MODE === 'safe' || e.WECHAT_ENCRYPT_MODE === 'compatible') && !e.WECHAT_AES_KEY) {
    problems.push(`WECHAT_ENCRYPT_MODE: ${e.WECHAT_ENCRYPT_MODE} mode needs WECHAT_AES_KEY (the EncodingAESKey from 基本配置)`);
  }
  if (!demo && e.GUANG_ADMIN_TOKEN !== undefined && e.GUANG_ADMIN_TOKEN.length < 16) {
    problems.push('GUANG_ADMIN_TOKEN: expected at least 16 characters (a long random string)');
  }
  if (!demo) {
    // A .env copied from .env.example and not edited would open the admin API, and let anyone sign webhook
    // messages, with values printed in this repository. (The demo AES key alone signs nothing.)
    const published = demoEnv();
    for (const name of PUBLISHED_SECRETS) {
      if (source[name] && source[name] === published[name]) problems.push(`${name}: still the demo value from .env.example; set your own (only demo mode accepts it)`);
    }
  }
  if (e.GUANG_METRICS_HOST !== undefined && e.GUANG_METRICS_PORT === undefined) {
    problems.push('GUANG_METRICS_HOST: set GUANG_METRICS_PORT too (metrics are served only on a port of their own)');
  }
  if (e.GUANG_METRICS_PORT !== undefined && e.GUANG_METRICS_PORT !== 0 && e.GUANG_METRICS_PORT === e.PORT) {
    problems.push(`GUANG_METRICS_PORT: expected a port other than PORT (${e.PORT}): metrics are kept off the public port`);
  }
  const trustProxy = e.GUANG_TRUST_PROXY === undefined ? DEFAULT_TRUST_PROXY : parseTrustProxy(e.GUANG_TRUST_PROXY);
  if (typeof trustProxy === 'object' && 'error' in trustProxy) problems.push(`GUANG_TRUST_PROXY: expected ${trustProxy.error}`);
  if (problems.length > 0) throw new ConfigError(problems);

  const simulatorRequested = (e.GUANG_SIMULATOR ?? (demo ? 'on' : 'off')) === 'on';
  return {
    port: e.PORT,
    metrics: e.GUANG_METRICS_PORT === undefined ? null : { port: e.GUANG_METRICS_PORT, host: e.GUANG_METRICS_HOST ?? '127.0.0.1' },
    stopWithParent: e.GUANG_STOP_WITH_PARENT === 'on',
    dbPath: e.GUANG_DB,
    adminToken: e.GUANG_ADMIN_TOKEN ?? null,
    secretKey: e.GUANG_SECRET_KEY ?? null,
    publicUrl: e.GUANG_PUBLIC_URL?.replace(/\/$/, '') ?? null,
    logLevel: e.GUANG_LOG_LEVEL,
    demo,
    wechat: {
      token: e.WECHAT_TOKEN,
      appId: e.WECHAT_APPID ?? null,
      appSecret: e.WECHAT_APPSECRET ?? null,
      aesKey: e.WECHAT_AES_KEY ?? null,
      previousAesKey: e.WECHAT_AES_KEY_PREVIOUS ?? null,
      accountType: e.WECHAT_ACCOUNT_TYPE,
      apiBase: e.WECHAT_API_BASE?.replace(/\/$/, '') ?? null,
      customerService: e.WECHAT_CUSTOMER_SERVICE === 'on',
      // Demo mode plays both forms (`guang chat` sends plaintext unless --encrypt), so it accepts both.
      encryptMode: e.WECHAT_ENCRYPT_MODE ?? (demo && e.WECHAT_AES_KEY ? 'compatible' : defaultEncryptMode(e.WECHAT_AES_KEY ?? null)),
    },
    maxClockSkewSeconds: e.WECHAT_MAX_CLOCK_SKEW_SECONDS,
    followerLimit: e.WECHAT_FOLLOWER_BURST === 0 ? null : { burst: e.WECHAT_FOLLOWER_BURST, refillMs: Math.round(e.WECHAT_FOLLOWER_REFILL_SECONDS * 1000) },
    embedSimulator: simulatorRequested && !e.WECHAT_APPSECRET && !e.WECHAT_API_BASE,
    simulatorRequested,
    turnBudgetMs: e.GUANG_TURN_BUDGET_MS,
    adminRate: { perSecond: e.GUANG_ADMIN_RATE, burst: e.GUANG_ADMIN_BURST },
    trustProxy: trustProxy as TrustProxy,
    pushLeaseMs: e.GUANG_PUSH_LEASE_SECONDS * 1000,
  };
}

/**
 * GUANG_STOP_WITH_PARENT alone, for the commands that do not read the whole configuration (`guang sim`,
 * `guang wechaty`). Throws ConfigError on a value other than on / off.
 */
export function stopWithParentSetting(env: NodeJS.ProcessEnv): boolean {
  const parsed = optional(onOff).default('on').safeParse(env.GUANG_STOP_WITH_PARENT);
  if (!parsed.success) throw new ConfigError([`GUANG_STOP_WITH_PARENT: expected on or off`]);
  return parsed.data === 'on';
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => kv[1] !== undefined && kv[1] !== ''));
}
