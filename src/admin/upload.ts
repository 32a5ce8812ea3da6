/**
 * File uploads go to a temporary file, never into memory: a 50 MB catalogue held as a Buffer (and then
 * decoded whole) took the server to 945 MB and stalled the webhook. A multipart field `file` is written by
 * multer's disk storage; a raw body is piped to disk here. The file is 0600 in `dir` and the route handler
 * removes it when it is done, whatever the outcome (`removeUpload`); a failed or aborted upload removes its
 * own partial file.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, createWriteStream, openSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { ApiError } from './http.ts';

/** What an upload middleware leaves on the request for the handler. */
export interface StoredUpload {
  /** The name the client gave (multipart file name, or `?filename=`), or null. */
  readonly originalName: string | null;
  readonly path: string;
  readonly size: number;
}

const tempName = () => `guang-upload-${randomUUID()}`;

/** Multipart: the field `file` to a temporary file (multer removes it itself when the upload fails). */
export function multipartToFile(dir: string, maxBytes: number): RequestHandler {
  // multer opens the file with the process umask (0644: readable by every local user in a shared /tmp); made
  // here first, 0600, its open (flags 'w') truncates it and keeps that mode.
  const storage = multer.diskStorage({
    destination: dir,
    filename: (_req, _file, cb) => {
      const name = tempName();
      try {
        closeSync(openSync(path.join(dir, name), 'wx', 0o600));
        cb(null, name);
      } catch (err) {
        cb(err as Error, name);
      }
    },
  });
  const single = multer({ storage, limits: { fileSize: maxBytes, files: 1 } }).single('file');
  return (req, res, next) => {
    single(req, res, (err?: unknown) => {
      const f = (req as Request & { file?: Express.Multer.File }).file;
      if (f) setUpload(req, { originalName: f.originalname || null, path: f.path, size: f.size });
      next(err);
    });
  };
}

/** Any other body: piped to a temporary file, at most `maxBytes` (413 beyond, the partial file removed). */
export function rawToFile(dir: string, maxBytes: number): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const declared = Number(req.get('content-length') ?? NaN);
    if (declared > maxBytes) return next(new ApiError(413, 'too_large', `the body is too large (at most ${maxBytes} bytes)`));
    const file = path.join(dir, tempName());
    const out = createWriteStream(file, { mode: 0o600 });
    let size = 0;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(out);
      out.destroy();
      void rm(file, { force: true });
      next(err);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(new ApiError(413, 'too_large', `the body is too large (at most ${maxBytes} bytes)`));
    });
    req.on('aborted', () => fail(new ApiError(400, 'aborted', 'the upload was interrupted')));
    req.on('error', fail);
    out.on('error', fail);
    out.on('finish', () => {
      if (failed) return;
      if (size === 0) {
        void rm(file, { force: true });
        return next();
      }
      setUpload(req, { originalName: null, path: file, size });
      next();
    });
    req.pipe(out);
  };
}

const UPLOAD = Symbol('upload');
type WithUpload = Request & { [UPLOAD]?: StoredUpload };
const setUpload = (req: Request, u: StoredUpload) => ((req as WithUpload)[UPLOAD] = u);

/** The file an upload middleware stored for this request, if any. */
export const storedUpload = (req: Request): StoredUpload | null => (req as WithUpload)[UPLOAD] ?? null;

/** Removes the request's temporary file (a missing one is fine). */
export async function removeUpload(req: Request): Promise<void> {
  const u = storedUpload(req);
  if (u) await rm(u.path, { force: true });
}
