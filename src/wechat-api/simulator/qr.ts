/**
 * `POST /cgi-bin/qrcode/create`: validated like the real endpoint. Temporary codes (`QR_SCENE`,
 * `QR_STR_SCENE`) get a new ticket each call; a permanent code (`QR_LIMIT_SCENE`, `QR_LIMIT_STR_SCENE`) for
 * the same scene keeps its ticket.
 */
import { randomBytes } from 'node:crypto';
import type { SimState } from './state.ts';
import { fail, hasPostData, isObject, type Answer, type ApiRequest } from './wire.ts';

const MAX_TEMP_QR_SECONDS = 2_592_000;

const ticket = () => `gQ${randomBytes(45).toString('base64')}`; // like the platform's: base64, with + / =
const qrUrl = () => `http://weixin.qq.com/q/${randomBytes(16).toString('base64url')}`;

/** The scene a code carries, as given in `action_info.scene`. */
interface Scene {
  readonly sceneId: unknown;
  readonly sceneStr: unknown;
}

const validId = (scene: Scene, max: number): boolean =>
  typeof scene.sceneId === 'number' && Number.isInteger(scene.sceneId) && scene.sceneId >= 1 && scene.sceneId <= max;
const validStr = (scene: Scene): boolean =>
  typeof scene.sceneStr === 'string' && scene.sceneStr.length >= 1 && scene.sceneStr.length <= 64;

export function qrCreate(s: SimState, req: ApiRequest): Answer {
  const body: unknown = req.body;
  if (!hasPostData(body)) return fail(44002, 'empty post data');
  const action = body.action_name;
  const given = isObject(body.action_info) && isObject(body.action_info.scene) ? body.action_info.scene : null;
  if (!given) return fail(40053, 'invalid action_info');
  const scene: Scene = { sceneId: given.scene_id, sceneStr: given.scene_str };
  switch (action) {
    case 'QR_SCENE':
    case 'QR_STR_SCENE':
      if (action === 'QR_SCENE' ? !validId(scene, 0xffff_ffff) : !validStr(scene)) return fail(40053, 'invalid action_info scene');
      return temporaryCode(body.expire_seconds);
    case 'QR_LIMIT_SCENE':
    case 'QR_LIMIT_STR_SCENE': {
      if (action === 'QR_LIMIT_SCENE' ? !validId(scene, 100_000) : !validStr(scene)) return fail(40053, 'invalid action_info scene');
      const key = action === 'QR_LIMIT_SCENE' ? `id:${String(scene.sceneId)}` : `str:${String(scene.sceneStr)}`;
      return permanentCode(s, key);
    }
    default:
      return fail(40097, 'invalid args: action_name');
  }
}

/** A temporary code: `expire_seconds` (default 60, at most 30 days). */
function temporaryCode(given: unknown): Answer {
  if (given !== undefined && (typeof given !== 'number' || !Number.isInteger(given) || given < 1)) {
    return fail(40097, 'invalid args: expire_seconds');
  }
  const expireSeconds = Math.min(MAX_TEMP_QR_SECONDS, given ?? 60); // the platform's default is 60 s
  return { ticket: ticket(), expire_seconds: expireSeconds, url: qrUrl() };
}

/** A permanent code: the same scene keeps its ticket and url. */
function permanentCode(s: SimState, key: string): Answer {
  let code = s.permanentQr.get(key);
  if (!code) {
    code = { ticket: ticket(), url: qrUrl() };
    s.permanentQr.set(key, code);
  }
  return { ticket: code.ticket, url: code.url };
}
