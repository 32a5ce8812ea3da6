/**
 * Customer-service messages (`POST /cgi-bin/message/custom/send`) and the allowances that permit them: a
 * follower message allows 5 messages within 48 h; a follow, menu click or QR scan allows 3 within 1 minute;
 * a new interaction opens a fresh allowance. None open → 45015; allowance used up → 45047.
 */
import { maskId } from '../../core/log.ts';
import { deliver, follower, INTERACTION_KINDS, type DeliveredArticle, type InteractionKind, type SimState } from './state.ts';
import {
  fail,
  hasPostData,
  isObject,
  isRefusal,
  messagePayload,
  nonEmpty,
  refuse,
  type Answer,
  type ApiRequest,
  type MessagePayload,
  type Refusal,
} from './wire.ts';

const MESSAGE_WINDOW_MS = 48 * 3600_000;
const MESSAGE_QUOTA = 5;
const EVENT_WINDOW_MS = 60_000;
const EVENT_QUOTA = 3;

/** A follower interacted at `at`: opens a fresh allowance of that kind (an older interaction changes nothing). */
export function recordInteraction(s: SimState, openid: string, kind: InteractionKind = 'message', at: number = s.config.clock.now()): void {
  if (!nonEmpty(openid)) throw new TypeError('recordInteraction: expected an openid');
  if (!INTERACTION_KINDS.includes(kind)) throw new TypeError(`recordInteraction: kind must be one of ${INTERACTION_KINDS.join(', ')}`);
  const f = follower(s, openid);
  if (kind === 'message') {
    if (f.messageAt === null || at >= f.messageAt) {
      f.messageAt = at;
      f.messageUsed = 0;
    }
  } else if (f.eventAt === null || at >= f.eventAt) {
    f.eventAt = at;
    f.eventUsed = 0;
  }
  // Every webhook delivery passes here (embedded simulator): build the line only when it is written.
  const { logger } = s.config;
  if (logger.isLevelEnabled('debug')) logger.debug({ openid: maskId(openid), kind }, 'simulator: interaction recorded');
}

/** Takes one customer-service message from the follower's allowance; 0 when allowed. */
function consumeAllowance(s: SimState, openid: string, now: number): 0 | 45015 | 45047 {
  const f = s.followers.get(openid);
  if (!f) return 45015;
  const eventOpen = f.eventAt !== null && now - f.eventAt < EVENT_WINDOW_MS;
  const messageOpen = f.messageAt !== null && now - f.messageAt < MESSAGE_WINDOW_MS;
  // The short allowance first: it expires soonest.
  if (eventOpen && f.eventUsed < EVENT_QUOTA) {
    f.eventUsed++;
    return 0;
  }
  if (messageOpen && f.messageUsed < MESSAGE_QUOTA) {
    f.messageUsed++;
    return 0;
  }
  return eventOpen || messageOpen ? 45047 : 45015;
}

type CustomPayload = MessagePayload | { readonly msgtype: 'news'; readonly articles: readonly DeliveredArticle[] };

/** A customer-service message: text or media as a mass message, or news with exactly one article. */
function customPayload(body: Record<string, unknown>): CustomPayload | Refusal {
  if (body.msgtype !== 'news') return messagePayload(body);
  const articles = isObject(body.news) ? body.news.articles : undefined;
  if (!Array.isArray(articles) || articles.length === 0) return refuse(44003, 'empty news data');
  if (articles.length > 1) return refuse(45008, 'article size out of limit');
  const a: unknown = articles[0];
  if (!isObject(a) || !nonEmpty(a.title) || !nonEmpty(a.url)) return refuse(44003, 'empty news data');
  const article: DeliveredArticle = {
    title: a.title,
    url: a.url,
    ...(typeof a.description === 'string' ? { description: a.description } : {}),
    ...(typeof a.picurl === 'string' ? { picurl: a.picurl } : {}),
  };
  return { msgtype: 'news', articles: [article] };
}

/** `POST /cgi-bin/message/custom/send`: delivers to a follower with an allowance open. */
export function customSend(s: SimState, req: ApiRequest, now: number): Answer {
  const body: unknown = req.body;
  if (!hasPostData(body)) return fail(44002, 'empty post data');
  if (!nonEmpty(body.touser)) return fail(40003, 'invalid openid');
  const payload = customPayload(body);
  if (isRefusal(payload)) return payload.refused;
  const refused = consumeAllowance(s, body.touser, now);
  if (refused === 45015) return fail(45015, 'response out of time limit or subscription is canceled');
  if (refused === 45047) return fail(45047, 'out of response count limit');
  deliver(s, { touser: body.touser, api: 'custom', ...payload }, now);
  return { errcode: 0, errmsg: 'ok' };
}
