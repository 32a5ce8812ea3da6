/**
 * The test controls, relative to where the router is mounted: `POST /interactions`, `POST /tags`,
 * `GET|POST /templates`, `POST /followers`, `GET /menu`, `POST /errors`, `POST /timeouts`, `POST /oauth/user`, `POST /reset`, `GET|DELETE /deliveries`, `GET /stats`. No authentication:
 * the simulator is mounted only where the real API is not configured.
 */
import type { Request, Response, Router } from 'express';
import { recordInteraction } from './customer-service.ts';
import { addTemplate } from './template.ts';
import { follower, INTERACTION_KINDS, resetState, type InteractionKind, type SimState } from './state.ts';
import { isObject, nonEmpty } from './wire.ts';

/** The next API calls answer these errcodes, one each, in order (-599…-500: that HTTP status instead). */
export function injectErrors(s: SimState, codes: readonly number[]): void {
  if (!Array.isArray(codes) || !codes.every((c) => Number.isInteger(c))) {
    throw new TypeError('injectErrors: expected an array of integer error codes');
  }
  s.forcedErrors.push(...codes);
}

/** The next `n` API calls are processed, then answered after `ms`. */
export function injectTimeouts(s: SimState, n: number, ms = 30_000): void {
  if (!Number.isInteger(n) || n < 0 || !Number.isFinite(ms) || ms < 0) {
    throw new TypeError('injectTimeouts: expected a count (integer ≥ 0) and a delay in ms');
  }
  for (let i = 0; i < n; i++) s.forcedTimeouts.push(ms);
}

/** `POST /interactions {openid, kind?, at?}`: as `Simulator.recordInteraction`. */
function postInteraction(s: SimState, req: Request, res: Response): void {
  const body: unknown = req.body;
  if (!isObject(body) || !nonEmpty(body.openid)) {
    res.status(400).json({ error: 'expected {openid, kind?, at?}' });
    return;
  }
  const kind = body.kind ?? 'message';
  if (!INTERACTION_KINDS.includes(kind as InteractionKind)) {
    res.status(400).json({ error: `kind: expected one of ${INTERACTION_KINDS.join(', ')}` });
    return;
  }
  const at = body.at === undefined ? s.config.clock.now() : typeof body.at === 'number' ? body.at : Date.parse(String(body.at));
  if (!Number.isFinite(at)) {
    res.status(400).json({ error: 'at: expected ms since the epoch or an ISO 8601 time' });
    return;
  }
  recordInteraction(s, body.openid, kind as InteractionKind, at);
  res.json({ ok: true });
}

/** `POST /tags {openid, tagId}`: puts a follower under a tag. */
function postTag(s: SimState, req: Request, res: Response): void {
  const body: unknown = req.body;
  if (!isObject(body) || !nonEmpty(body.openid) || typeof body.tagId !== 'number' || !Number.isInteger(body.tagId)) {
    res.status(400).json({ error: 'expected {openid, tagId}' });
    return;
  }
  follower(s, body.openid).tags.add(body.tagId);
  res.json({ ok: true });
}

/** `POST /templates {template_id, fields?}`: the account gets a template (fields: its keys; none: any). */
function postTemplate(s: SimState, req: Request, res: Response): void {
  const body: unknown = req.body;
  const fields = isObject(body) ? (body.fields ?? []) : undefined;
  if (!isObject(body) || !nonEmpty(body.template_id) || !Array.isArray(fields) || !fields.every((f) => typeof f === 'string')) {
    res.status(400).json({ error: 'expected {template_id, fields?: string[]}' });
    return;
  }
  try {
    addTemplate(s, body.template_id, fields as string[]);
  } catch (err) {
    res.status(400).json({ error: (err as Error).message });
    return;
  }
  res.json({ ok: true });
}

/** `POST /followers {openid}`: a follower the simulator knows (template messages reach only followers). */
function postFollower(s: SimState, req: Request, res: Response): void {
  const body: unknown = req.body;
  if (!isObject(body) || !nonEmpty(body.openid)) {
    res.status(400).json({ error: 'expected {openid}' });
    return;
  }
  follower(s, body.openid);
  res.json({ ok: true });
}

/** `POST /errors {codes}`: queues forced errcodes. */
function postErrors(s: SimState, req: Request, res: Response): void {
  const codes: unknown = isObject(req.body) ? req.body.codes : undefined;
  if (!Array.isArray(codes) || !codes.every((c) => Number.isInteger(c))) {
    res.status(400).json({ error: 'expected {codes: number[]}' });
    return;
  }
  injectErrors(s, codes as number[]);
  res.json({ ok: true, queued: s.forcedErrors.length });
}

/** `POST /timeouts {count, ms?}`: queues delayed answers. */
function postTimeouts(s: SimState, req: Request, res: Response): void {
  const body: unknown = req.body;
  const n = isObject(body) ? body.count : undefined;
  const ms = isObject(body) && body.ms !== undefined ? body.ms : 30_000;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || typeof ms !== 'number' || !(ms >= 0)) {
    res.status(400).json({ error: 'expected {count, ms?}' });
    return;
  }
  injectTimeouts(s, n, ms);
  res.json({ ok: true, queued: s.forcedTimeouts.length });
}

/** `POST /oauth/user {openid}` (null: ask): who the browser is at the authorize endpoint. */
function postOauthUser(s: SimState, req: Request, res: Response): void {
  const body: unknown = req.body;
  if (!isObject(body) || !(body.openid === null || nonEmpty(body.openid))) {
    res.status(400).json({ error: 'expected {openid} (or {openid: null} to ask on the page)' });
    return;
  }
  s.oauthUser = body.openid;
  res.json({ ok: true });
}

/** Mounts the test controls on the simulator's router. */
export function mountControls(router: Router, s: SimState): void {
  router.post('/oauth/user', (req, res) => postOauthUser(s, req, res));
  router.post('/interactions', (req, res) => postInteraction(s, req, res));
  router.post('/tags', (req, res) => postTag(s, req, res));
  router.post('/errors', (req, res) => postErrors(s, req, res));
  router.post('/templates', (req, res) => postTemplate(s, req, res));
  router.get('/templates', (_req, res) => {
    res.json({ templates: [...s.templates].map(([template_id, fields]) => ({ template_id, fields })) });
  });
  router.post('/followers', (req, res) => postFollower(s, req, res));
  router.post('/timeouts', (req, res) => postTimeouts(s, req, res));
  router.post('/reset', (_req, res) => {
    resetState(s);
    res.json({ ok: true });
  });
  router.get('/deliveries', (_req, res) => {
    res.json({ deliveries: s.delivered });
  });
  router.delete('/deliveries', (_req, res) => {
    s.delivered = [];
    res.json({ ok: true });
  });
  router.get('/menu', (_req, res) => {
    res.json({ menu: s.menu });
  });
  router.get('/stats', (_req, res) => {
    res.json({ requests: s.requests });
  });
}
