/**
 * The shapes every simulated endpoint shares: the JSON answer, the request as a handler reads it, the
 * platform's `{errcode, errmsg}` refusals, and the message payloads (text and media) the send endpoints take.
 */

export type Answer = Record<string, unknown>;

/** What an API handler reads of a request: an express Request, or the fast path's own parse. */
export interface ApiRequest {
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

export const fail = (errcode: number, errmsg: string): Answer => ({ errcode, errmsg });

/** A request refused with this answer. */
export interface Refusal {
  readonly refused: Answer;
}
export const refuse = (errcode: number, errmsg: string): Refusal => ({ refused: fail(errcode, errmsg) });
export const isRefusal = (v: object): v is Refusal => 'refused' in v;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
/** A JSON object with at least one field; the send and QR endpoints answer anything else with 44002. */
export const hasPostData = (body: unknown): body is Record<string, unknown> => isObject(body) && Object.keys(body).length > 0;

/** A text or media message, as delivered. */
export interface MessagePayload {
  readonly msgtype: string;
  readonly content?: string;
  readonly mediaId?: string;
}

/** The text or media message in a send body (`text`, `image`, `voice`, `mpnews`); any other type → 40008. */
export function messagePayload(body: Record<string, unknown>): MessagePayload | Refusal {
  switch (body.msgtype) {
    case 'text': {
      const content = isObject(body.text) ? body.text.content : undefined;
      return nonEmpty(content) ? { msgtype: 'text', content } : refuse(44004, 'empty content');
    }
    case 'mpnews':
    case 'image':
    case 'voice': {
      const part = body[body.msgtype];
      const mediaId = isObject(part) ? part.media_id : undefined;
      return nonEmpty(mediaId) ? { msgtype: body.msgtype, mediaId } : refuse(40007, 'invalid media_id');
    }
    default:
      return refuse(40008, 'invalid message type');
  }
}
