/**
 * `/api/broadcasts`: the admin API of broadcasts, as an express Router to mount behind the admin token.
 *   GET    /                  list (?account=ID, default `default`)
 *   POST   /                  create (body: the broadcast JSON) → 201 the broadcast
 *   GET    /settings          the account's push settings; PUT /settings to change them
 *   GET    /:id               one broadcast with its runs, each with its outcome (unknown followers masked)
 *   GET    /:id/runs/:run     one run in full: outcome, unknown and failed followers (full openids)
 *   GET    /:id/preview       audience size and skipped counts by reason
 *   POST   /:id/send          plans (or resumes) a run now → 202 {run}; the scheduler's sender drains it
 *   POST   /:id/cancel        cancels it (and its unfinished run)
 *   GET    /:id/replies.csv   collected replies
 * Every route answers 404 `unknown_account` for an `?account=` that is not a row of the accounts table.
 * Errors: `{ error: { code, message, details? } }` with 400 / 404 / 409, as the rest of the admin API
 * (src/admin/http.ts); anything unexpected is a JSON 500 without a stack trace.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { ApiError, errorHandler, validate } from '../http.ts';
import type { Logger } from '../../core/log.ts';
import { silentLogger } from '../../core/log.ts';
import type { AccountStore } from '../../db/accounts.ts';
import { isTimeZone } from '../../push/model.ts';
import { repliesCsv } from '../../push/replies.ts';
import type { BroadcastService } from '../../push/service.ts';
import { PushError } from '../../push/store.ts';

const hhmm = (field: string) =>
  z.string({ error: `${field}: a time HH:MM, e.g. 22:00` }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${field}: a time HH:MM from 00:00 to 23:59, e.g. 22:00`);
const CAP = 'weekly_cap: how many broadcasts a follower may receive per week, a whole number from 0 to 100';
/**
 * The body of `PUT /settings`. A time zone is checked against the runtime's zone database: a name it does
 * not know would be stored and break every later preview and send of the account.
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

const STATUS = { not_found: 404, conflict: 409, validation: 400, blocked: 409 } as const;

/**
 * @example app.use('/api/broadcasts', ...guard.both, broadcastsApi({ service, accounts, kick: () => scheduler.tick() }));
 */
export function broadcastsApi(options: {
  readonly service: BroadcastService;
  /** The accounts that exist; an `?account=` not among them is 404. */
  readonly accounts: Pick<AccountStore, 'get'>;
  readonly kick?: () => void;
  readonly logger?: Logger;
}): Router {
  const { service, accounts } = options;
  const logger = options.logger ?? silentLogger;
  const router = express.Router();
  router.use(express.json({ limit: '256kb' }));
  const account = (req: Request) => {
    const id = (typeof req.query.account === 'string' && req.query.account.trim()) || 'default';
    if (!accounts.get(id)) throw new ApiError(404, 'unknown_account', `no account ${id}; accounts are rows of the accounts table (default: default)`);
    return id;
  };
  const id = (req: Request) => {
    const n = Number(req.params.id);
    if (!Number.isInteger(n) || n < 1) throw new PushError('validation', 'id: a broadcast id (a number)');
    return n;
  };
  const wrap = (fn: (req: Request, res: Response) => void) => (req: Request, res: Response, next: NextFunction) => {
    try {
      fn(req, res);
    } catch (err) {
      next(err);
    }
  };

  router.get('/', wrap((req, res) => void res.json({ broadcasts: service.list(account(req)).map((b) => service.json(b)) })));
  router.post('/', wrap((req, res) => void res.status(201).json(service.json(service.create(account(req), req.body)))));
  router.get('/settings', wrap((req, res) => {
    const s = service.settings(account(req));
    res.json({ weekly_cap: s.weeklyCap, quiet_start: s.quietStart, quiet_end: s.quietEnd, tz: s.tz });
  }));
  router.put('/settings', wrap((req, res) => {
    const id = account(req);
    if (req.body === undefined) throw new ApiError(400, 'validation', 'send a JSON body with Content-Type: application/json');
    const p = validate(settingsSchema, req.body, 'body');
    const s = service.saveSettings(id, { weeklyCap: p.weekly_cap, quietStart: p.quiet_start, quietEnd: p.quiet_end, tz: p.tz });
    res.json({ weekly_cap: s.weeklyCap, quiet_start: s.quietStart, quiet_end: s.quietEnd, tz: s.tz });
  }));
  router.get('/:id', wrap((req, res) => void res.json(service.json(service.get(id(req), account(req))))));
  router.get('/:id/runs/:run', wrap((req, res) => {
    const run = Number(req.params.run);
    if (!Number.isInteger(run) || run < 1) throw new PushError('validation', 'run: a run id (a number)');
    res.json(service.runDetail(id(req), run, account(req)));
  }));
  router.get('/:id/preview', wrap((req, res) => void res.json(service.preview(id(req), account(req)))));
  router.post('/:id/send', wrap((req, res) => {
    const b = service.get(id(req), account(req));
    if (b.status === 'cancelled' || b.status === 'done') throw new PushError('conflict', `broadcast ${b.id} is ${b.status}`);
    service.requireClient(b.account); // refuse before planning: a run with nowhere to go would sit "sending"
    const run = service.store.openRun(b.id) ?? service.startRun(b, `manual:${Date.now()}`);
    options.kick?.();
    res.status(202).json({ run: run.id, status: run.status, ...run.counts });
  }));
  router.post('/:id/cancel', wrap((req, res) => void res.json(service.json(service.cancel(id(req), account(req))))));
  router.get('/:id/replies.csv', wrap((req, res) => {
    const b = service.get(id(req), account(req));
    res.type('text/csv; charset=utf-8').attachment(`broadcast-${b.id}-replies.csv`).send(repliesCsv(service.db, b.id));
  }));
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof PushError) {
      res.status(STATUS[err.code]).json({ error: { code: err.code, message: err.message } });
      return;
    }
    if (err instanceof SyntaxError) {
      res.status(400).json({ error: { code: 'validation', message: 'the body is not JSON' } });
      return;
    }
    next(err);
  });
  // Everything else (a 404 of ours, a body error, a fault) as JSON, never express's HTML page with a stack.
  router.use(errorHandler((err) => logger.error({ err }, 'broadcasts API error')));
  return router;
}
