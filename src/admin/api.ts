/**
 * The admin REST API under `/api`: rules, catalogue (products, hotels, deals), stores and QR codes,
 * subscribers, reports, settings, broadcasts, staff sessions, the audit log and the official accounts. JSON in and out;
 * `Authorization: Bearer <GUANG_ADMIN_TOKEN>` or a staff session cookie (src/admin/auth.ts; roles in
 * permissions.ts) on every route but sign-in, the OpenAPI document and its reference page (`/api/docs`);
 * every change is recorded in the audit log; one zod schema per body,
 * query and answer; errors `{error: {code, message, details?}}`; lists paginate with `limit` and `cursor`. The
 * account is `?account=ID` (default `default`).
 */
import { tmpdir } from 'node:os';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { langOf, type Lang } from '../core/lang.ts';
import { createAuditLog, type AuditLog } from '../db/audit-log.ts';
import { createStaffSessions } from '../db/staff-sessions.ts';
import { createStaffUsers } from '../db/staff-users.ts';
import { adminGuard, MIN_ADMIN_TOKEN_LENGTH } from './auth.ts';
import { ApiError, errorHandler, isAnswerLike, validate, type ApiRequest, type Caller, type Route, type Upload } from './http.ts';
import { inChinese } from './messages-zh.ts';
import { authorize } from './permissions.ts';
import { accountRoutes } from './routes/accounts.ts';
import { auditRoutes } from './routes/audit.ts';
import { sessionRoutes, type SessionHooks } from './routes/session.ts';
import { staffRoutes } from './routes/staff.ts';
import type { AdminApiOptions } from './options.ts';
import { apiDocs } from './docs.ts';
import { checkOperationIds, openApiDocument } from './openapi.ts';
import { broadcastRoutes } from './routes/broadcasts.ts';
import { catalogueRoutes } from './routes/catalogue.ts';
import { conversationRoutes } from './routes/conversation.ts';
import { reportRoutes } from './routes/reports.ts';
import { conversionRoutes } from './routes/conversion.ts';
import { ruleRoutes } from './routes/rules.ts';
import { settingsRoutes } from './routes/settings.ts';
import { storeRoutes } from './routes/stores.ts';
import { followerRoutes } from './routes/followers.ts';
import { synonymRoutes } from './routes/synonyms.ts';
import { noticeRoutes } from './routes/notices.ts';
import { orderRoutes } from './routes/orders.ts';
import { orderSettingsRoutes } from './routes/order-settings.ts';
import { serviceAnswerRoutes } from './routes/service-answers.ts';
import { referrerRoutes } from './routes/referrers.ts';
import { menuRoutes } from './routes/menu.ts';
import { multipartToFile, rawToFile, removeUpload, storedUpload } from './upload.ts';

const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const JSON_LIMIT = '4mb';

/** Every route of the API, for the router and the OpenAPI document (and the tests that hold them to each other). */
export function adminRoutes(deps: AdminApiOptions, hooks: SessionHooks = { failedSignIn: () => {} }): Route[] {
  return [
    ...ruleRoutes(deps), ...catalogueRoutes(deps), ...storeRoutes(deps), ...followerRoutes(deps), ...reportRoutes(deps), ...settingsRoutes(deps), ...broadcastRoutes(deps),
    ...sessionRoutes(deps, hooks), ...staffRoutes(deps), ...auditRoutes(deps), ...accountRoutes(deps), ...conversationRoutes(deps),
    ...synonymRoutes(deps), ...noticeRoutes(deps), ...orderRoutes(deps), ...referrerRoutes(deps), ...orderSettingsRoutes(deps), ...serviceAnswerRoutes(deps), ...conversionRoutes(deps),
    ...menuRoutes(deps),
  ];
}

/**
 * The `/api` router. Without a usable token (empty, or shorter than 16 characters outside demo mode) and
 * without any staff user, every route answers 503 `api_disabled` and says how to turn the API on; the rest
 * of the server runs as usual. A staff user added later (`guang users add`) turns it on without a restart.
 * `enabled` says whether it answers at start (a usable token, or a staff user who may sign in).
 * @example app.use('/api', adminApi({ db, clock, logger, accounts, qrClient, broadcasts: { service }, token, demo, baseUrl }).router);
 */
export function adminApi(options: AdminApiOptions): { router: Router; enabled: Promise<boolean>; uploadPaths: readonly string[] } {
  const router = express.Router();
  const token = options.token ?? '';
  const tokenUsable = token.length >= MIN_ADMIN_TOKEN_LENGTH || (options.demo && token.length > 0);
  const { sql } = options;
  const staff = createStaffUsers(sql);
  // One guard in front of every route (broadcasts included): one bucket per client, taken once per request.
  const guard = adminGuard({
    token: tokenUsable ? token : null, sessions: createStaffSessions(sql, options.sessionLimits), clock: options.clock, logger: options.logger,
    ...(options.rate ? { rate: options.rate } : {}), ...(options.lockout ? { lockout: options.lockout } : {}),
  });
  const routes = adminRoutes(options, { failedSignIn: guard.failed });
  const audit = createAuditLog(sql);
  // The routes that take a file: the server gives them the upload time limit (src/app/http-timeouts.ts).
  const uploadPaths = routes.filter((r) => r.body === 'upload' || r.body === 'json-or-upload').map((r) => r.path);
  router.use(guard.limit);
  // The document and its reference page need no token (they describe the API, they do not open it) and are
  // served even when the API is off; the rate limit above covers them too. A duplicate operationId stops the
  // server at start; the document (~100 ms of JSON Schema) is built on the first request, and again only if
  // the base URL changes (it is known once the server listens).
  checkOperationIds(routes);
  let document: { base: string; json: string } | null = null;
  router.get('/openapi.json', (_req, res) => {
    const base = options.baseUrl();
    if (document?.base !== base) document = { base, json: JSON.stringify(openApiDocument(routes, base)) };
    res.type('json').send(document.json);
  });
  router.use('/docs', apiDocs());
  const hasStaff = async () => (await staff.activeCount()) > 0;
  // Read at start, for the server's log line; the gate below asks again at each request.
  const enabled = tokenUsable ? Promise.resolve(true) : hasStaff();
  if (!tokenUsable) {
    router.use(async (_req, res, next) => {
      if (await hasStaff()) return next();
      res.status(503).json({
        error: {
          code: 'api_disabled',
          message: `the admin API is off: set GUANG_ADMIN_TOKEN to a random string of at least ${MIN_ADMIN_TOKEN_LENGTH} characters and restart, or add a staff user (guang users add NAME --role owner)`,
        },
      });
    });
  }
  router.use(guard.auth);
  const parsers = bodyParsers(options.uploadDir ?? tmpdir());
  for (const r of routes) router[r.method](r.path, ...parsers(r), handle(r, options, audit, guard.ipOf));
  router.use((req, res) => {
    res.status(404).json({ error: { code: 'no_such_route', message: `no ${req.method} ${req.baseUrl}${req.path}; see /api/openapi.json` } });
  });
  router.use(errorHandler((err) => options.logger.error({ err }, 'admin API error')));
  return { router, enabled, uploadPaths };
}

const jsonParser = (limit: string) => express.json({ limit, type: ['application/json', 'application/*+json'] });
const json = jsonParser(JSON_LIMIT);

function bodyParsers(uploadDir: string): (r: Route) => RequestHandler[] {
  // Files stream to disk (src/admin/upload.ts); only JSON bodies, at most 4 MB, are read into memory.
  const multipart = multipartToFile(uploadDir, MAX_UPLOAD_BYTES);
  const raw = rawToFile(uploadDir, MAX_UPLOAD_BYTES);
  return (r) => {
    if (r.body === undefined) return [];
    if (r.body === 'upload' || r.body === 'json-or-upload') {
      const acceptJson = r.body === 'json-or-upload';
      return [
        (req, res, next) => {
          const type = req.get('content-type') ?? '';
          if (/^multipart\/form-data/i.test(type)) return multipart(req, res, next);
          if (acceptJson && /^application\/json/i.test(type)) return json(req, res, next);
          return raw(req, res, next);
        },
      ];
    }
    return [r.jsonLimit ? jsonParser(r.jsonLimit) : json];
  };
}

const EXTENSIONS: Record<string, string> = {
  'text/csv': '.csv',
  'application/json': '.json',
  'application/x-ndjson': '.jsonl',
  'application/jsonl': '.jsonl',
  'application/jsonlines': '.jsonl',
};

function fileOf(req: Request): Upload | null {
  const stored = storedUpload(req);
  if (!stored) return null;
  const given = typeof req.query.filename === 'string' ? req.query.filename : null;
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const name = stored.originalName ?? given ?? `upload${EXTENSIONS[type] ?? ''}`;
  return { name, path: stored.path, size: stored.size };
}

function handle(r: Route, options: AdminApiOptions, audit: AuditLog, ipOf: (req: Request) => string) {
  return async (req: Request, res: Response) => {
    try {
      await answer(r, options, req, res, { audit, ipOf });
    } catch (err) {
      // The console asks for Chinese: the staff and password messages have it (messages-zh.ts).
      throw req.acceptsLanguages('en', 'zh') === 'zh' ? inChinese(err) : err;
    } finally {
      // The upload's temporary file goes whatever happened (imported, refused, failed); also done before answering.
      await removeUpload(req);
    }
  };
}

async function answer(r: Route, options: AdminApiOptions, req: Request, res: Response, ctx: { audit: AuditLog; ipOf: (req: Request) => string }): Promise<void> {
  const caller = res.locals.caller as Caller;
  const params = req.params as Record<string, string>;
  // Who may, before what they sent is looked at: a refused caller learns nothing from validation messages.
  authorize(caller, r, params);
  const { account: rawAccount, ...rest } = req.query as Record<string, unknown>;
  const account = typeof rawAccount === 'string' && rawAccount.trim() ? rawAccount.trim() : 'default';
  if (!options.accounts.get(account)) throw new ApiError(404, 'unknown_account', `no account ${account}; accounts are rows of the accounts table (default: default)`);
  const query = r.query ? validateQuery(r, rest) : {};
  const isUpload = r.body === 'upload' || r.body === 'json-or-upload';
  const file = isUpload ? fileOf(req) : null;
  const lang = langOf(req.get('accept-language'));
  const body = r.body && !isUpload ? validateBody(r, req.body, lang) : isUpload && !file ? req.body : undefined;
  const client = { ip: ctx.ipOf(req), secure: req.secure };
  const request: ApiRequest<unknown, unknown> = { account, params, query, body, file, caller, client, lang };
  const result = await r.handler(request);
  await removeUpload(req); // before answering: a client that sees the answer sees the file gone
  if (r.method !== 'get' && !r.sandboxed) {
    await ctx.audit.record({ at: options.clock.now(), who: whoOf(caller, request), method: r.method.toUpperCase(), route: r.id, target: targetOf(params) ?? createdId(result), account });
    await options.onChange?.();
  }
  if (isAnswerLike(result)) {
    if (result.headers) res.set(result.headers as Record<string, string | string[]>);
    if (result.body === undefined) res.status(result.status).end();
    else if (result.file) res.status(result.status).type(result.file.type).attachment(result.file.name).send(result.body);
    else res.status(result.status).json(result.body);
  } else {
    res.status(r.status ?? 200).json(result);
  }
}

/** The audit log's `who`: the staff user, `token`, or for a sign-in the user it signed in. */
function whoOf(caller: Caller, req: ApiRequest<unknown, unknown>): string {
  if (caller.kind === 'token') return 'token';
  if (caller.kind === 'session') return caller.session.username;
  const body = req.body as { username?: unknown } | undefined;
  return typeof body?.username === 'string' ? body.username : 'anonymous';
}

const targetOf = (params: Readonly<Record<string, string>>): string | null => {
  const parts = Object.entries(params).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(',') : null;
};

/** What a creation made, when it answers with an `id` (a rule, a broadcast) or a `username` (a staff user): the audit row names it. */
function createdId(result: unknown): string | null {
  const body = isAnswerLike(result) ? result.body : result;
  if (typeof body !== 'object' || body === null) return null;
  const { id, username } = body as { id?: unknown; username?: unknown };
  if (typeof id === 'string' || typeof id === 'number') return `id=${id}`;
  return typeof username === 'string' ? `username=${username}` : null;
}

const validateQuery = (r: Route, q: unknown) => validate(r.query!, q, 'query');
function validateBody(r: Route, b: unknown, lang: Lang) {
  // express.json leaves the body undefined when the request is not JSON.
  if (b === undefined) throw new ApiError(400, 'validation', 'send a JSON body with Content-Type: application/json');
  return validate(r.bodyIn?.(lang) ?? (r.body as Exclude<Route['body'], string | undefined>), b, 'body', lang);
}
