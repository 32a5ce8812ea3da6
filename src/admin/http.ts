/**
 * The admin API's small framework: routes are data (method, path, schemas, handler), registered on an
 * express router and described in the OpenAPI document from the same objects, so the document cannot drift
 * from what the server accepts. Bodies and queries are validated by one zod schema per input; every error
 * is JSON `{ "error": { "code", "message", "details"? } }`.
 */
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { MerchantError } from '../core/errors.ts';
import type { Lang } from '../core/lang.ts';
import { parseWith, type Problem } from '../core/problems.ts';
import { inChinese, wantsChinese } from '../core/localised.ts';
import type { StaffSession } from '../db/staff-sessions.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly Problem[],
    /** Headers to send with the error, e.g. Retry-After. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

const ANSWER = Symbol('answer');
/** A successful answer with a status other than 200 (201 created, 202 accepted, 204 no content), or a file. */
export interface Answer<T = unknown> {
  readonly [ANSWER]: true;
  readonly status: number;
  readonly body?: T;
  /** A download: `body` (a string) sent as this type, with `Content-Disposition: attachment; filename=…`. */
  readonly file?: { readonly type: string; readonly name: string };
  /** Headers to send with it, e.g. Set-Cookie. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
}
export const created = <T>(body: T): Answer<T> => ({ [ANSWER]: true, status: 201, body });
export const accepted = <T>(body: T): Answer<T> => ({ [ANSWER]: true, status: 202, body });
export const noContent: Answer<never> = { [ANSWER]: true, status: 204 };
/** An answer with headers: `withHeaders(body, { 'Set-Cookie': … })`, or `withHeaders(noContent, …)`. */
export const withHeaders = <T>(answer: T | Answer<T>, headers: Readonly<Record<string, string | readonly string[]>>): Answer<T> =>
  isAnswerLike(answer) ? { ...(answer as Answer<T>), headers } : { [ANSWER]: true, status: 200, body: answer as T, headers };
/**
 * A file: text, or bytes (a workbook) sent as they are. A non-ASCII name goes out RFC 5987-encoded (filename*).
 * @example download(csv, 'text/csv; charset=utf-8', 'broadcast-7-replies.csv')
 */
export const download = (body: string | Buffer, type: string, name: string): Answer<string> =>
  ({ [ANSWER]: true, status: 200, body: body as string, file: { type, name } });
export const isAnswerLike = (v: unknown): v is Answer => typeof v === 'object' && v !== null && ANSWER in v;

/** The `response` of a route that answers 204 with no body (`noContent`). */
export const noBody = z.never();
/** A time in the API's answers: ISO 8601 in UTC, e.g. 2026-11-01T02:00:00.000Z. */
export const isoTime = z.iso.datetime();

/** An uploaded file, on disk for as long as the handler runs (removed after it). */
export interface Upload {
  /** The name the client gave it (or `upload.csv` etc. from the content type): it decides the format. */
  readonly name: string;
  /** The temporary file holding it. */
  readonly path: string;
  readonly size: number;
}

export interface ApiRequest<Q, B> {
  readonly account: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Q;
  readonly body: B;
  /** `upload` routes: the file, from multipart `file` or a raw body. */
  readonly file: Upload | null;
  /** Who is asking: the bearer token (scripts, acting as owner) or a signed-in staff user. */
  readonly caller: Caller;
  /** The client's address (as `trust proxy` decides) and whether it came over https. */
  readonly client: { readonly ip: string; readonly secure: boolean };
  /** The language the client asked for (`Accept-Language: zh…` → zh), for routes whose messages come in both. */
  readonly lang: Lang;
}

/** The bearer token, or a staff session (its user, role and store). */
export type Caller = { readonly kind: 'token' } | { readonly kind: 'session'; readonly session: StaffSession } | { readonly kind: 'anonymous' };

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The document's tags: one per area of the API. */
export const TAGS = {
  catalogue: 'Products, hotels and group-buy deals: one item at a time, or a file import',
  rules: 'Merchant reply rules: keyword and event rules, and their import',
  stores: 'Stores, their QR codes, and the followers they brought',
  broadcasts: 'Broadcasts, their runs, previews, collected replies, and the push settings',
  reports: 'What followers ask, what went unanswered, rule hits, intents, per-store counts',
  settings: 'The bot\'s name and voice, the account\'s name, store attribution, the answers to service questions',
  session: 'Staff sign-in: the session cookie, its CSRF token, sign-out, password change',
  staff: 'The console\'s staff users and their roles (owner only)',
  audit: 'Who changed what, and when (owner only)',
  accounts: 'The official accounts served: listed for everyone signed in (the switcher), added and changed by the owner',
  orders: 'Orders from chat and the mobile page: list, confirm, ship, deliver, cancel, notes, export; referrers, notices and order settings',
  menu: 'The account\'s custom menu (up to 3 buttons of up to 5 sub-buttons): publish, read back, delete',
} as const;
export type Tag = keyof typeof TAGS;

/** Readonly all the way down: a handler may answer with readonly data where the schema's type is mutable. */
type Frozen<T> = T extends readonly (infer U)[] ? readonly Frozen<U>[] : T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;
type Reply<R> = R | Answer<R> | Promise<R | Answer<R>>;

export interface Route<Q = unknown, B = unknown, R = unknown> {
  readonly method: Method;
  /** Express path under /api, e.g. `/rules/:id`. */
  readonly path: string;
  /** The document's operationId: camelCase, unique, stable (clients generate method names from it), e.g. `listRules`. */
  readonly id: string;
  readonly summary: string;
  readonly tag: Tag;
  readonly query?: z.ZodType<Q>;
  /** A JSON body, or `upload` for a file (multipart field `file`, or the raw body with `?filename=`). */
  readonly body?: z.ZodType<B> | 'upload' | 'json-or-upload';
  /** The body's schema with its messages in the request's language (validates instead of `body`, which the document shows). */
  readonly bodyIn?: (lang: Lang) => z.ZodType<B>;
  /** For the document: the body's schema when `body` validates loosely (catalogue items, broadcasts, the rules import). */
  readonly doc?: z.ZodType;
  /**
   * What a success answers: the handler's result is typed by it (so the two cannot drift), the document shows
   * it, and the tests parse real answers with it. `noBody` for 204; `z.string()` for a download.
   */
  readonly response: z.ZodType<R>;
  /** For the document: what a success returns, in words (default OK). */
  readonly returns?: string;
  /** For the document: the success's content type when it is not JSON (a `download`). */
  readonly produces?: string;
  /** The largest JSON body this route reads (default 4mb). */
  readonly jsonLimit?: string;
  /** The success status (default 200; 204 when `response` is `noBody`). */
  readonly status?: number;
  /**
   * A POST or DELETE that changes nothing the merchant has (a dry run, the console's test follower): not audited, no
   * `onChange`, and open to the roles that may read the tag.
   */
  readonly sandboxed?: boolean;
  readonly handler: (req: ApiRequest<Q, B>) => Reply<NoInfer<R | Frozen<R>>>;
}

/** Declares a route, typed through its schemas: the handler must answer what `response` describes. */
export const route = <Q = Record<string, never>, B = undefined, R = unknown>(r: Route<Q, B, R>): Route => r as unknown as Route;

/** The status of a route's success. */
export const successStatus = (r: Route): number => r.status ?? (r.response === noBody ? 204 : 200);

/** Lists: `limit` (1–200, default 50) and an opaque `cursor` from the previous page's `next_cursor`. */
export const pageQuery = z.object({
  limit: z.coerce.number({ error: 'limit: a number from 1 to 200' }).int('limit: a whole number from 1 to 200').min(1, 'limit: a number from 1 to 200').max(200, 'limit: a number from 1 to 200').default(50),
  cursor: z.string().optional(),
});

export interface Page<T> {
  readonly items: T[];
  readonly next_cursor: string | null;
}

/** The `response` of a list: one page of `item`s. */
export const pageOf = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item), next_cursor: z.string().nullable() });

function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends string | number>(cursor: string | undefined, type: 'string' | 'number'): T | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof v === type) return v as T;
  } catch {
    // fall through
  }
  throw new ApiError(400, 'bad_cursor', 'cursor: pass next_cursor from the previous page unchanged');
}

/**
 * One page from a query that fetched `limit + 1` rows: the extra row only says there is more.
 * @example page(rows, 50, (r) => r.id)
 */
export function page<T, U>(rows: readonly T[], limit: number, keyOf: (row: T) => string | number, toJson: (row: T) => U): Page<U> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items: items.map(toJson), next_cursor: more && items.length > 0 ? encodeCursor(keyOf(items[items.length - 1]!)) : null };
}

/** Validates one input with its schema; a 400 `validation` error lists every problem. */
export function validate<T>(schema: z.ZodType<T>, input: unknown, what: string, lang: Lang = 'en'): T {
  const r = parseWith(schema, input, lang);
  if (r.ok) return r.value;
  throw new ApiError(400, 'validation', `${what}: ${r.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`, r.problems);
}

const STATUS: Record<MerchantError['code'], number> = { validation: 400, conflict: 409, not_found: 404, limit: 422, unavailable: 503, upstream: 502 };

/** The messages registered with `say` (core/localised.ts) in Chinese; the rest stay as they are. */
function inChineseError(e: ApiError): ApiError {
  if (!e.details) return new ApiError(e.status, e.code, inChinese(e.message), undefined, e.headers);
  const details = e.details.map((p) => ({ path: p.path, message: inChinese(p.message, p.path.replace(/\[\d+\]/g, '').split('.').pop()) }));
  const translated = details.some((p, i) => p.message !== e.details![i]!.message);
  return translated ? new ApiError(e.status, e.code, details.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '), details, e.headers) : e;
}

/** The error middleware: every failure as JSON with a code and a message. */
export function errorHandler(log: (err: unknown) => void) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    let e: ApiError;
    if (err instanceof ApiError) e = err;
    else if (err instanceof MerchantError) e = new ApiError(STATUS[err.code], err.code, err.message, err.problems.length ? err.problems : undefined);
    else if (isBodyError(err)) e = bodyError(err);
    else if (isBadPath(err)) e = new ApiError(400, 'bad_request', 'the path could not be decoded: a % must be followed by two hex digits of valid UTF-8 (e.g. %E5%BA%97)');
    else {
      log(err);
      e = new ApiError(500, 'internal', 'something went wrong on the server; it has been logged');
    }
    if (e.headers) res.set(e.headers);
    if (wantsChinese(req.headers['accept-language'])) e = inChineseError(e);
    res.status(e.status).json({ error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } });
  };
}

/**
 * A path parameter that is not valid percent-encoding (`/api/rules/%ff`): the router's decodeURIComponent
 * throws a URIError it marks 400. The client's fault, so 400, not a 500 with an error-level stack in the log.
 */
const isBadPath = (err: unknown): boolean => err instanceof URIError && (err as URIError & { status?: unknown }).status === 400;

type BodyError = Error & { type?: string; status?: number; code?: string };
const isBodyError = (err: unknown): err is BodyError =>
  err instanceof Error && (typeof (err as BodyError).type === 'string' || (err as BodyError).name === 'MulterError');

function bodyError(err: BodyError): ApiError {
  if (err.type === 'entity.parse.failed') return new ApiError(400, 'bad_json', `the body is not valid JSON: ${err.message}`);
  if (err.type === 'entity.too.large' || err.code === 'LIMIT_FILE_SIZE') return new ApiError(413, 'too_large', 'the body is too large');
  if (err.name === 'MulterError') return new ApiError(400, 'bad_upload', `upload: ${err.message} (send the file in the multipart field "file")`);
  return new ApiError(err.status ?? 400, 'bad_request', err.message);
}
