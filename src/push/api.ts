/**
 * `/api/broadcasts`: the admin API of broadcasts, as an express Router to mount behind the admin token.
 *   GET    /                  list (?account=ID, default `default`)
 *   POST   /                  create (body: the broadcast JSON) → 201 the broadcast
 *   GET    /settings          the account's push settings; PUT /settings to change them
 *   GET    /:id               one broadcast with its runs
 *   GET    /:id/preview       audience size and skipped counts by reason
 *   POST   /:id/send          plans (or resumes) a run now → 202 {run}; the scheduler's sender drains it
 *   POST   /:id/cancel        cancels it (and its unfinished run)
 *   GET    /:id/replies.csv   collected replies
 * Errors: `{ error: { code, message } }` with 400 / 404 / 409.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { repliesCsv } from './replies.ts';
import type { BroadcastService } from './service.ts';
import { PushError } from './store.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, e.g. 22:00');
export const settingsSchema = z.strictObject({
  weekly_cap: z.number().int().min(0).max(100),
  quiet_start: hhmm,
  quiet_end: hhmm,
  tz: z.string().min(1).default('Asia/Shanghai'),
});

const STATUS = { not_found: 404, conflict: 409, validation: 400, blocked: 409 } as const;

/**
 * @example app.use('/api/broadcasts', ...guard.both, broadcastsApi({ service, accounts, kick: () => scheduler.tick() }));
 */
export function broadcastsApi(options: { readonly service: BroadcastService; readonly kick?: () => void }): Router {
  const { service } = options;
  const router = express.Router();
  router.use(express.json({ limit: '256kb' }));
  const account = (req: Request) => (typeof req.query.account === 'string' && req.query.account.trim()) || 'default';
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
    const parsed = settingsSchema.safeParse(req.body);
    if (!parsed.success) throw new PushError('validation', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const p = parsed.data;
    const s = service.saveSettings(account(req), { weeklyCap: p.weekly_cap, quietStart: p.quiet_start, quietEnd: p.quiet_end, tz: p.tz });
    res.json({ weekly_cap: s.weeklyCap, quiet_start: s.quietStart, quiet_end: s.quietEnd, tz: s.tz });
  }));
  router.get('/:id', wrap((req, res) => void res.json(service.json(service.get(id(req), account(req))))));
  router.get('/:id/preview', wrap((req, res) => void res.json(service.preview(id(req), account(req)))));
  router.post('/:id/send', wrap((req, res) => {
    const b = service.get(id(req), account(req));
    if (b.status === 'cancelled' || b.status === 'done') throw new PushError('conflict', `broadcast ${b.id} is ${b.status}`);
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
  return router;
}
