/**
 * `/api/broadcasts`: broadcasts and the account's push settings — list, create, edit, read, a run's outcome in full,
 * preview (of a saved broadcast, or of a definition not saved), the calendar, send, cancel, the collected replies (JSON, CSV). Through src/push/service.ts, the service the scheduler
 * and the CLI share; push's refusals become the API's errors here, in `fromPushError`.
 */
import { z } from 'zod';
import { MerchantError } from '../../core/errors.ts';
import type { Problem } from '../../core/problems.ts';
import { say } from '../../core/localised.ts';
import { broadcastSchema, isTimeZone, parseBroadcast } from '../../push/model.ts';
import { repliesCsv } from '../../push/reply-collection.ts';
import { PushError } from '../../push/model.ts';
import type { AdminApiOptions } from '../options.ts';
import { accepted, ApiError, created, decodeCursor, download, page, pageOf, pageQuery, route, type Route } from '../http.ts';
import { broadcastJson, calendarJson, draftPreviewJson, repliesJson, runDetailJson, savedPreviewJson, sendJson } from './broadcast-json.ts';

const hhmm = (field: string) =>
  z.string({ error: say({ en: `${field}: a time HH:MM, e.g. 22:00`, zh: '请选择时间，例如 22:00' }) })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, say({ en: `${field}: a time HH:MM from 00:00 to 23:59, e.g. 22:00`, zh: '时间格式为 时:分，从 00:00 到 23:59，例如 22:00' }));
const CAP = say({ en: 'weekly_cap: how many broadcasts a follower may receive per week, a whole number from 0 to 100', zh: '每周上限是 0 到 100 之间的整数' });
/**
 * The body of `PUT /broadcasts/settings`. A time zone is checked against the runtime's zone database: a name
 * it does not know would be stored and break every later preview and send of the account.
 */
const settingsSchema = z.strictObject({
  weekly_cap: z.number({ error: CAP }).int(CAP).min(0, CAP).max(100, CAP),
  quiet_start: hhmm('quiet_start'),
  quiet_end: hhmm('quiet_end'),
  tz: z
    .string({ error: 'tz: an IANA time zone such as Asia/Shanghai' })
    .trim()
    .min(1, 'tz: an IANA time zone such as Asia/Shanghai')
    .max(64, 'tz: an IANA time zone such as Asia/Shanghai')
    .refine(isTimeZone, 'tz: not a time zone this server knows; an IANA name such as Asia/Shanghai or Europe/Paris')
    .default('Asia/Shanghai'),
}, { error: 'the settings: a JSON object with weekly_cap, quiet_start, quiet_end and tz' });

/** Any JSON: a broadcast is validated whole by `parseBroadcast`, whose problems become `details`; the document shows push's schema. */
const anyJson = z.unknown();

/** `message.content: the text to send` → its path and message; a problem that names no field has path ''. */
function problemOf(line: string): Problem {
  const m = /^([\w.[\]]+): ([^]*)$/.exec(line);
  return m ? { path: m[1]!, message: m[2]! } : { path: '', message: line };
}

/** A broadcast definition, or 400 `validation` with every problem in `details`. */
function checkBroadcast(body: unknown): void {
  const r = parseBroadcast(body);
  if (!r.ok) throw new ApiError(400, 'validation', r.problems.join('; '), r.problems.map(problemOf));
}

/** A positive whole number from the path, or 400 `validation` naming it. */
function idParam(params: Readonly<Record<string, string>>, name: 'id' | 'run', what: string): number {
  const n = Number(params[name]);
  if (!Number.isInteger(n) || n < 1) throw new ApiError(400, 'validation', `${name}: ${what} (a number)`);
  return n;
}

/**
 * Push's refusals in the API's terms, the one place they meet HTTP: not found, conflict and validation as the
 * merchant errors they are; `blocked` (no WeChat API to send with) 409 under its own code.
 */
function fromPushError(err: unknown): unknown {
  if (!(err instanceof PushError)) return err;
  return err.code === 'blocked' ? new ApiError(409, 'blocked', err.message) : new MerchantError(err.code, err.message);
}

const withPushErrors = (r: Route): Route => ({
  ...r,
  handler: async (req) => {
    try {
      return await r.handler(req);
    } catch (err) {
      throw fromPushError(err);
    }
  },
});

const DAY = 24 * 3600_000;
/** The longest calendar one request draws. */
const MAX_CALENDAR_DAYS = 92;
const calendarTime = (field: string) =>
  z.iso.datetime({ offset: true, error: `${field}: an ISO 8601 time with its offset, e.g. 2026-12-07T00:00:00+08:00` }).optional();
const calendarQuery = z.object({
  from: calendarTime('from').describe('start (default now)'),
  to: calendarTime('to').describe(`end, excluded (default 28 days after from; at most ${MAX_CALENDAR_DAYS} days after it)`),
});

/** Broadcast bodies are small: a definition or the settings (the rest of the API reads up to 4 MB). */
const jsonLimit = '256kb';

export function broadcastRoutes(deps: AdminApiOptions): Route[] {
  const { service, kick } = deps.broadcasts;
  const tag = 'broadcasts';
  const settingsJson = (s: Awaited<ReturnType<typeof service.settings>>) => ({ weekly_cap: s.weeklyCap, quiet_start: s.quietStart, quiet_end: s.quietEnd, tz: s.tz });
  return [
    route({
      method: 'get', path: '/broadcasts', id: 'listBroadcasts', tag, summary: 'List broadcasts (by id), each with its runs and their outcomes (unknown followers masked)',
      query: pageQuery, response: pageOf(broadcastJson), returns: 'a page of broadcasts',
      handler: async ({ account, query }) => {
        const after = decodeCursor<number>(query.cursor, 'number') ?? 0;
        const all = await service.list(account);
        const from = all.findIndex((b) => b.id > after);
        const rows = from < 0 ? [] : all.slice(from, from + query.limit + 1);
        const shown = new Map<number, Awaited<ReturnType<typeof service.json>>>();
        for (const b of rows.slice(0, query.limit)) shown.set(b.id, await service.json(b));
        return page(rows, query.limit, (b) => b.id, (b) => shown.get(b.id)!);
      },
    }),
    route({
      method: 'post', path: '/broadcasts', id: 'createBroadcast', tag, summary: 'Create a broadcast (scheduled when it has a schedule, else a draft)',
      body: anyJson, doc: broadcastSchema, jsonLimit, status: 201, response: broadcastJson, returns: 'the broadcast',
      handler: async ({ account, body }) => {
        checkBroadcast(body);
        return created(await service.json(await service.create(account, body)));
      },
    }),
    route({
      method: 'post', path: '/broadcasts/preview', id: 'previewBroadcastDraft', tag, sandboxed: true,
      summary: 'Preview a broadcast not saved: validated as create validates it; the audience, who would be sent and who skipped and why, the message as sent, the next run times, and a warning when it would reach nobody (writes nothing)',
      body: anyJson, doc: broadcastSchema, jsonLimit, response: draftPreviewJson,
      handler: async ({ account, body }) => {
        checkBroadcast(body);
        return service.previewDraft(account, body);
      },
    }),
    // Before /broadcasts/:id, which would take "calendar" or "settings" for an id.
    route({
      method: 'get', path: '/broadcasts/calendar', id: 'getBroadcastCalendar', tag,
      summary: 'What is scheduled over a period, by week (Monday to Sunday): runs made and occurrences to come of every scheduled broadcast, with the weekly cap',
      query: calendarQuery, response: calendarJson,
      handler: async ({ account, query }) => {
        const from = query.from ? Date.parse(query.from) : deps.clock.now();
        const to = query.to ? Date.parse(query.to) : from + 28 * DAY;
        if (to <= from) throw new ApiError(400, 'validation', 'to: after from', [{ path: 'to', message: 'after from' }]);
        if (to - from > MAX_CALENDAR_DAYS * DAY) throw new ApiError(400, 'validation', `to: at most ${MAX_CALENDAR_DAYS} days after from`, [{ path: 'to', message: `at most ${MAX_CALENDAR_DAYS} days after from` }]);
        const c = await service.calendar(account, from, to);
        const iso = (ms: number) => new Date(ms).toISOString();
        return {
          from: iso(from), to: iso(to), weekly_cap: c.weekly_cap, tz: c.tz,
          weeks: c.weeks.map((w) => ({ start: iso(w.start), end: iso(w.end), pushes: w.pushes, entries: w.entries.map((e) => ({ ...e, at: iso(e.at) })) })),
        };
      },
    }),
    route({
      method: 'get', path: '/broadcasts/settings', id: 'getPushSettings', tag, summary: 'The account\'s push settings: weekly cap and quiet hours', response: settingsSchema,
      handler: async ({ account }) => settingsJson(await service.settings(account)),
    }),
    route({
      method: 'put', path: '/broadcasts/settings', id: 'replacePushSettings', tag, summary: 'Replace the push settings (weekly_cap 0–100, quiet_start and quiet_end HH:MM, tz)',
      body: settingsSchema, jsonLimit, response: settingsSchema,
      handler: async ({ account, body }) =>
        settingsJson(await service.saveSettings(account, { weeklyCap: body.weekly_cap, quietStart: body.quiet_start, quietEnd: body.quiet_end, tz: body.tz })),
    }),
    route({
      method: 'get', path: '/broadcasts/:id', id: 'getBroadcast', tag, summary: 'Read a broadcast with its runs, each with its outcome (unknown followers masked)', response: broadcastJson,
      handler: async ({ account, params }) => service.json(await service.get(idParam(params, 'id', 'a broadcast id'), account)),
    }),
    route({
      method: 'get', path: '/broadcasts/:id/runs/:run', id: 'getBroadcastRun', tag, summary: 'One run in full: its outcome and every unknown and failed follower (full openids)',
      response: runDetailJson,
      handler: ({ account, params }) => service.runDetail(idParam(params, 'id', 'a broadcast id'), idParam(params, 'run', 'a run id'), account),
    }),
    route({
      method: 'get', path: '/broadcasts/:id/preview', id: 'previewBroadcast', tag, summary: 'Audience size, how many would be sent now, and the skipped counts by reason (writes nothing)',
      response: savedPreviewJson,
      handler: async ({ account, params }) => {
        const b = await service.get(idParam(params, 'id', 'a broadcast id'), account);
        return { ...(await service.preview(b.id, account)), next_runs: b.status === 'scheduled' ? service.nextRuns(b.definition) : [] };
      },
    }),
    route({
      method: 'post', path: '/broadcasts/:id/send', id: 'sendBroadcast', tag, summary: 'Send now: plans a run (or resumes the unfinished one); the server\'s sender drains it',
      status: 202, response: sendJson, returns: 'the run planned (or resumed) and what planning counted',
      handler: async ({ account, params }) => {
        const b = await service.get(idParam(params, 'id', 'a broadcast id'), account);
        if (b.status === 'cancelled' || b.status === 'done') throw new MerchantError('conflict', `broadcast ${b.id} is ${b.status}`);
        service.requireClient(b.account); // refuse before planning: a run with nowhere to go would sit "sending"
        const run = (await service.store.openRun(b.id)) ?? (await service.startRun(b, `manual:${Date.now()}`));
        kick?.();
        return accepted({ run: run.id, status: run.status, ...run.counts });
      },
    }),
    route({
      method: 'put', path: '/broadcasts/:id', id: 'replaceBroadcast', tag,
      summary: 'Replace a broadcast\'s definition: a draft, or a scheduled one between runs (409 while it sends, and once done or cancelled); validated as create validates it',
      body: anyJson, doc: broadcastSchema, jsonLimit, response: broadcastJson, returns: 'the broadcast',
      handler: async ({ account, params, body }) => {
        const id = idParam(params, 'id', 'a broadcast id');
        checkBroadcast(body);
        return service.json(await service.update(id, body, account));
      },
    }),
    route({
      method: 'post', path: '/broadcasts/:id/cancel', id: 'cancelBroadcast', tag, summary: 'Cancel a broadcast, its unfinished run and every message not yet sent',
      response: broadcastJson, returns: 'the broadcast',
      handler: async ({ account, params }) => service.json(await service.cancel(idParam(params, 'id', 'a broadcast id'), account)),
    }),
    route({
      method: 'get', path: '/broadcasts/:id/replies', id: 'listBroadcastReplies', tag, summary: 'The replies collected for a broadcast (its replies.keyword), oldest first',
      response: repliesJson,
      handler: async ({ account, params }) => {
        const b = await service.get(idParam(params, 'id', 'a broadcast id'), account);
        return { items: (await service.store.replies(b.id)).map((r) => ({ openid: r.user, reason: r.reason, text: r.text, at: new Date(r.at).toISOString() })) };
      },
    }),
    route({
      method: 'get', path: '/broadcasts/:id/replies.csv', id: 'downloadBroadcastReplies', tag, summary: 'The collected replies, as CSV (UTF-8 with BOM): broadcast,openid,reason,text,at',
      produces: 'text/csv', response: z.string(), returns: 'a CSV file',
      handler: async ({ account, params }) => {
        const b = await service.get(idParam(params, 'id', 'a broadcast id'), account);
        return download(await repliesCsv(service.sql, b.id), 'text/csv; charset=utf-8', `broadcast-${b.id}-replies.csv`);
      },
    }),
  ].map(withPushErrors);
}
