/**
 * The app's last handlers: a JSON 404 for what no router answered, and a JSON error for anything that
 * escaped a router. Express's defaults answer HTML and, unless NODE_ENV is exactly 'production', put the
 * error's stack trace (source paths included) in the page; these never do, whatever NODE_ENV says.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from './log.ts';

export function notFoundJson(req: Request, res: Response): void {
  res.status(404).json({ error: { code: 'not_found', message: `no ${req.method} ${req.path}` } });
}

type HttpError = Error & { status?: unknown; statusCode?: unknown; expose?: unknown };

/** The status an error asks for when it is a client's fault (a 4xx from a body parser or a bad URL), else 500. */
function clientStatus(err: unknown): number | null {
  const e = err as HttpError | null;
  const s = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : null;
  return s !== null && s >= 400 && s < 500 ? s : null;
}

/**
 * @example app.use(finalErrorHandler(logger)); // after every router
 */
export function finalErrorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      // Too late for an error page: let Node end the response.
      next(err);
      return;
    }
    const status = clientStatus(err);
    if (status !== null) {
      logger.debug({ err, path: req.path }, 'request refused');
      res.status(status).json({ error: { code: 'bad_request', message: 'the request could not be read' } });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'something went wrong on the server; it has been logged' } });
  };
}
