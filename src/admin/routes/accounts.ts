/**
 * `/api/accounts`: the official accounts this deployment serves. Everyone signed in may list them (the
 * console's account switcher); only the owner sees their settings and adds or changes one. Secrets (Token,
 * AppSecret, EncodingAESKey) are written, never read back: answers carry them masked (`••••abcd`), and the
 * audit log records the route and the account's id only. The webhook looks accounts up in memory
 * (src/db/account-directory.ts): a new account's `/wechat/<id>` answers at once on this instance (the write's
 * `onChange` refreshes it) and within a second on the others, without a restart.
 */
import { z } from 'zod';
import { defaultEncryptMode, type AccountType, type EncryptMode } from '../../core/config.ts';
import { MerchantError } from '../../core/errors.ts';
import { accountId } from '../../core/messages.ts';
import { parseWith } from '../../core/problems.ts';
import { AccountExistsError, createAccountStore, DEFAULT_ACCOUNT, type Account } from '../../db/accounts.ts';
import { ApiError, created, notFound, route, type Caller, type Route } from '../http.ts';
import type { AdminApiOptions } from '../options.ts';

const TYPES = ['subscription', 'service'] as const satisfies readonly AccountType[];
const MODES = ['plain', 'compatible', 'safe'] as const satisfies readonly EncryptMode[];

/** The platform's formats (基本配置): see docs/wechat-protocol.md and the samples there. */
const FORMATS = {
  id: /^[a-z0-9][a-z0-9_-]{0,31}$/,
  appId: /^wx[0-9a-f]{16}$/,
  appSecret: /^[0-9A-Za-z]{32}$/,
  token: /^[A-Za-z0-9]{3,32}$/,
  aesKey: /^[A-Za-z0-9]{43}$/,
};

type Lang = 'en' | 'zh';

const MESSAGES = {
  en: {
    id: 'id: 1–32 lowercase letters, digits, "-" or "_", starting with a letter or digit (it becomes the webhook path /wechat/<id>)',
    name: 'name: 1–64 characters',
    appId: 'app_id: the AppID, "wx" followed by 16 hex digits (e.g. wx2c2769f8efd9abc2)',
    appSecret: 'app_secret: the AppSecret, 32 letters or digits',
    token: 'token: the Token from 基本配置, 3–32 letters or digits',
    aesKey: 'aes_key: the EncodingAESKey, 43 letters or digits',
    type: 'type: subscription or service',
    mode: 'encrypt_mode: plain, compatible or safe',
    needsAppIdForKey: 'app_id: needed with an EncodingAESKey (safe and compatible modes check it)',
    needsAppIdForSecret: 'app_id: needed with the AppSecret to call the WeChat API',
    needsKey: 'aes_key: compatible and safe modes need the EncodingAESKey',
    exists: (id: string) => `account ${id} exists already`,
    defaultFixed: 'the default account is configured by the environment (WECHAT_TOKEN, WECHAT_APPID, …) and reset from it at every start: change it there',
  },
  zh: {
    id: 'id: 1–32 位小写字母、数字、“-”或“_”，以字母或数字开头（它是接口地址 /wechat/<id> 的一部分）',
    name: 'name: 名称为 1–64 个字符',
    appId: 'app_id: AppID 为“wx”加 16 位十六进制字符（如 wx2c2769f8efd9abc2）',
    appSecret: 'app_secret: AppSecret 为 32 位字母或数字',
    token: 'token: 令牌（Token）为 3–32 位字母或数字',
    aesKey: 'aes_key: EncodingAESKey 为 43 位字母或数字',
    type: 'type: 请选择订阅号或服务号',
    mode: 'encrypt_mode: 请选择明文、兼容或安全模式',
    needsAppIdForKey: 'app_id: 填写 EncodingAESKey 时必须同时填写 AppID',
    needsAppIdForSecret: 'app_id: 填写 AppSecret 时必须同时填写 AppID（调用微信接口需要）',
    needsKey: 'aes_key: 兼容模式和安全模式需要 EncodingAESKey',
    exists: (id: string) => `公众号 ${id} 已存在`,
    defaultFixed: '默认公众号由服务器环境变量（WECHAT_TOKEN、WECHAT_APPID 等）配置，每次启动都会按其重置，请在那里修改',
  },
} satisfies Record<Lang, Record<string, string | ((id: string) => string)>>;

function schemas(lang: Lang) {
  const m = MESSAGES[lang];
  const text = (re: RegExp, message: string) => z.string({ error: message }).trim().regex(re, message);
  const fields = {
    name: z.string({ error: m.name }).trim().min(1, m.name).max(64, m.name),
    app_id: text(FORMATS.appId, m.appId),
    app_secret: text(FORMATS.appSecret, m.appSecret),
    token: text(FORMATS.token, m.token),
    aes_key: text(FORMATS.aesKey, m.aesKey),
    type: z.enum(TYPES, { error: m.type }),
    encrypt_mode: z.enum(MODES, { error: m.mode }),
  };
  const create = z.strictObject({
    id: text(FORMATS.id, m.id),
    name: fields.name,
    app_id: fields.app_id.nullable().optional(),
    app_secret: fields.app_secret.nullable().optional(),
    token: fields.token,
    aes_key: fields.aes_key.nullable().optional(),
    type: fields.type.default('subscription'),
    encrypt_mode: fields.encrypt_mode.optional(),
  });
  // Absent: unchanged. null clears an optional setting (the AppID, AppSecret, EncodingAESKey).
  const patch = z.strictObject({
    name: fields.name.optional(),
    app_id: fields.app_id.nullable().optional(),
    app_secret: fields.app_secret.nullable().optional(),
    token: fields.token.optional(),
    aes_key: fields.aes_key.nullable().optional(),
    type: fields.type.optional(),
    encrypt_mode: fields.encrypt_mode.optional(),
  });
  return { create, patch };
}
const EN = schemas('en');

/** Shows that a secret is set and which one, never what it is: the last 4 characters of a long one. */
const mask = (secret: string | null): string | null => (secret === null ? null : `••••${secret.length >= 12 ? secret.slice(-4) : ''}`);

const accountJson = z.strictObject({
  id: z.string(),
  name: z.string(),
  type: z.enum(TYPES).optional().describe('owner only, as are the fields below'),
  app_id: z.string().nullable().optional(),
  encrypt_mode: z.enum(MODES).optional(),
  webhook_url: z.string().optional().describe('the server address (URL) to paste into the platform\'s 基本配置'),
  api_access: z.boolean().optional().describe('AppID and AppSecret are set: the server can call the WeChat API (QR codes, broadcasts)'),
  secrets: z.strictObject({ token: z.string(), app_secret: z.string().nullable(), aes_key: z.string().nullable() }).optional().describe('masked: ••••abcd'),
});

const isOwner = (caller: Caller) => caller.kind === 'token' || (caller.kind === 'session' && caller.session.role === 'owner');

/** Cross-field rules, on the account as it would be saved. */
function checkWhole(a: Account, lang: Lang): void {
  const m = MESSAGES[lang];
  const found = [
    a.aesKey && !a.appId ? m.needsAppIdForKey : null,
    a.appSecret && !a.appId && !a.aesKey ? m.needsAppIdForSecret : null,
    a.encryptMode !== 'plain' && !a.aesKey ? m.needsKey : null,
  ].filter((x) => x !== null);
  // Each message names its field (`app_id: …`): the detail carries the field as its path.
  const problems = found.map((text) => ({ path: text.slice(0, text.indexOf(':')), message: text.slice(text.indexOf(':') + 2) }));
  if (problems.length) throw new MerchantError('validation', found.join('; '), problems);
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = parseWith(schema, input ?? {});
  if (r.ok) return r.value;
  throw new ApiError(400, 'validation', `body: ${r.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`, r.problems);
}

export function accountRoutes(deps: AdminApiOptions): Route[] {
  // Read and written directly, not through the server's cached lookup: a new account is listed at once.
  const store = createAccountStore(deps.sql);
  const tag = 'accounts';
  const webhookUrl = (id: string) => `${deps.baseUrl()}/wechat${id === DEFAULT_ACCOUNT ? '' : `/${id}`}`;
  const toJson = (a: Account, full: boolean) =>
    !full
      ? { id: a.id, name: a.name }
      : {
          id: a.id,
          name: a.name,
          type: a.accountType,
          app_id: a.appId,
          encrypt_mode: a.encryptMode ?? defaultEncryptMode(a.aesKey),
          webhook_url: webhookUrl(a.id),
          api_access: Boolean(a.appId && a.appSecret),
          secrets: { token: mask(a.token)!, app_secret: mask(a.appSecret), aes_key: mask(a.aesKey) },
        };
  // The body is validated in the handler, in the request's language; `doc` shows the English schema.
  const loose = z.unknown();
  return [
    route({
      method: 'get', path: '/accounts', id: 'listAccounts', tag, response: z.strictObject({ items: z.array(accountJson) }),
      summary: 'The official accounts, by id: everyone signed in sees id and name (the account switcher); the owner sees their settings, secrets masked',
      handler: async ({ caller }) => ({ items: (await store.list()).map((a) => toJson(a, isOwner(caller))) }),
    }),
    route({
      method: 'post', path: '/accounts', id: 'createAccount', tag, body: loose, doc: EN.create, status: 201, response: accountJson,
      summary: 'Add an official account (served at /wechat/<id> within a second, no restart); answers it with its secrets masked',
      handler: async (req) => {
        const lang = req.lang;
        const b = parse(schemas(lang).create, req.body);
        const aesKey = b.aes_key ?? null;
        const account: Account = {
          id: accountId(b.id), name: b.name, token: b.token, appId: b.app_id ?? null, appSecret: b.app_secret ?? null, aesKey, previousAesKey: null,
          accountType: b.type, apiBase: null, customerService: false, encryptMode: b.encrypt_mode ?? defaultEncryptMode(aesKey),
        };
        checkWhole(account, lang);
        try {
          await store.create(account, deps.clock.now());
        } catch (err) {
          // Taken, by an earlier request or by one on another instance at the same moment.
          if (err instanceof AccountExistsError) throw new ApiError(409, 'conflict', MESSAGES[lang].exists(b.id), [{ path: 'id', message: MESSAGES[lang].exists(b.id) }]);
          throw err;
        }
        return created(toJson(account, true));
      },
    }),
    route({
      method: 'patch', path: '/accounts/:id', id: 'updateAccount', tag, body: loose, doc: EN.patch, response: accountJson,
      summary: 'Change an account: a field left out stays as it is (secrets too); null clears app_id, app_secret or aes_key. A new aes_key keeps the old one for messages still in flight',
      handler: async (req) => {
        const lang = req.lang;
        const id = req.params.id!;
        const b = parse(schemas(lang).patch, req.body);
        // The change is worked out from the account as stored when the write runs: two changes at once both land.
        const saved = await store.update(id, (old) => {
          if (id === DEFAULT_ACCOUNT) throw new ApiError(409, 'conflict', MESSAGES[lang].defaultFixed);
          const aesKey = b.aes_key === undefined ? old.aesKey : b.aes_key;
          const account: Account = {
            ...old,
            ...(b.name !== undefined ? { name: b.name } : {}),
            ...(b.token !== undefined ? { token: b.token } : {}),
            ...(b.type !== undefined ? { accountType: b.type } : {}),
            appId: b.app_id === undefined ? old.appId : b.app_id,
            appSecret: b.app_secret === undefined ? old.appSecret : b.app_secret,
            aesKey,
            // Rotation: the platform may still send messages under the old key for a while (docs/wechat-protocol.md).
            previousAesKey: aesKey === null ? null : aesKey !== old.aesKey ? old.aesKey : old.previousAesKey,
            encryptMode: b.encrypt_mode ?? old.encryptMode ?? defaultEncryptMode(aesKey),
          };
          checkWhole(account, lang);
          return account;
        }, deps.clock.now());
        if (!saved) throw notFound(`account ${id}`);
        return toJson(saved, true);
      },
    }),
  ];
}
