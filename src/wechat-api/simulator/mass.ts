/**
 * Mass sends: `sendall` (to all, or by tag), `send` (to a list of openids) and `preview` (to one follower).
 * Together at most `rateLimitPerMinute` calls a minute (45009). Subscription accounts: 1 sendall a day (45028),
 * no openid-list send (48001). Service accounts: each follower receives at most 4 mass messages a calendar
 * month, those over the cap are filtered out. A repeated `clientmsgid` delivers nothing and answers 45065 with
 * the original msg_id. Previews count against no mass quota.
 */
import { deliver, shanghaiDay, shanghaiMonth, type SimState } from './state.ts';
import { fail, hasPostData, isObject, isRefusal, messagePayload, nonEmpty, refuse, type Answer, type ApiRequest, type Refusal } from './wire.ts';

const MINUTE = 60_000;
const MASS_PER_FOLLOWER_PER_MONTH = 4;

/** The per-minute limit shared by the mass endpoints; records the call when it passes. */
function withinRate(s: SimState, now: number): boolean {
  s.massCalls = s.massCalls.filter((t) => now - t < MINUTE);
  if (s.massCalls.length >= s.config.ratePerMinute) return false;
  s.massCalls.push(now);
  return true;
}

/** Who a mass job goes to, or why it goes nowhere. */
type Audience = { readonly openids: readonly string[] } | Refusal;

/** A mass job: `clientmsgid` dedup, the payload, the audience, the daily and monthly quotas, then delivery. */
function massJob(s: SimState, body: Record<string, unknown>, recipients: () => Audience, now: number): Answer {
  const clientMsgId = body.clientmsgid;
  if (clientMsgId !== undefined) {
    if (typeof clientMsgId !== 'string' || clientMsgId.length > 64) return fail(45067, 'clientmsgid size out of limit');
    const earlier = s.clientMsgIds.get(clientMsgId);
    if (earlier) {
      return { errcode: 45065, errmsg: 'clientmsgid exist', msg_id: earlier.msgId, msg_data_id: earlier.msgDataId };
    }
  }
  const payload = messagePayload(body);
  if (isRefusal(payload)) return payload.refused;
  const audience = recipients();
  if (isRefusal(audience)) return audience.refused;
  const to = audience.openids;
  const { accountType } = s.config;
  const day = shanghaiDay(now);
  if (accountType === 'subscription' && (s.sendallPerDay.get(day) ?? 0) >= 1) {
    return fail(45028, 'has no masssend quota');
  }
  if (accountType === 'subscription') s.sendallPerDay.set(day, (s.sendallPerDay.get(day) ?? 0) + 1);
  const msgId = s.nextMsgId++;
  const msgDataId = 2_247_483_647 + msgId - 1_000_000_000;
  const month = shanghaiMonth(now);
  let sent = 0;
  for (const openid of new Set(to)) {
    if (accountType === 'service') {
      const key = `${openid}|${month}`;
      const received = s.massPerFollowerMonth.get(key) ?? 0;
      if (received >= MASS_PER_FOLLOWER_PER_MONTH) continue; // filtered: the follower's monthly cap
      s.massPerFollowerMonth.set(key, received + 1);
    }
    deliver(s, { touser: openid, api: 'mass', msgId: String(msgId), ...payload }, now);
    sent++;
  }
  if (typeof clientMsgId === 'string') s.clientMsgIds.set(clientMsgId, { msgId, msgDataId });
  s.config.logger.debug({ msgId, recipients: to.length, sent }, 'simulator: mass job');
  return { errcode: 0, errmsg: 'send job submission success', msg_id: msgId, msg_data_id: msgDataId };
}

/** `POST /cgi-bin/message/mass/sendall`: to every follower the simulator knows, or to those with a tag. */
export function massSendAll(s: SimState, req: ApiRequest, now: number): Answer {
  if (!withinRate(s, now)) return fail(45009, 'reach max api minute-quota limit');
  const body: unknown = req.body;
  if (!hasPostData(body)) return fail(44002, 'empty post data');
  const filter = body.filter;
  if (!isObject(filter) || typeof filter.is_to_all !== 'boolean') return fail(40097, 'invalid args: filter.is_to_all');
  if (!filter.is_to_all && (typeof filter.tag_id !== 'number' || !Number.isInteger(filter.tag_id))) {
    return fail(40097, 'invalid args: filter.tag_id');
  }
  const tagId = filter.tag_id;
  return massJob(
    s,
    body,
    () => ({
      openids: [...s.followers].filter(([, f]) => filter.is_to_all || f.tags.has(tagId as number)).map(([openid]) => openid),
    }),
    now,
  );
}

/** `POST /cgi-bin/message/mass/send`: to 2 to 10,000 openids (service accounts only). */
export function massSend(s: SimState, req: ApiRequest, now: number): Answer {
  if (s.config.accountType === 'subscription') {
    return fail(48001, 'api unauthorized: openid-list mass send needs a verified service account');
  }
  if (!withinRate(s, now)) return fail(45009, 'reach max api minute-quota limit');
  const body: unknown = req.body;
  if (!hasPostData(body)) return fail(44002, 'empty post data');
  const touser = body.touser;
  return massJob(
    s,
    body,
    () => {
      if (!Array.isArray(touser) || touser.length < 2 || touser.length > 10_000) {
        return refuse(40130, 'invalid openid list size, at least two openid');
      }
      if (!touser.every(nonEmpty)) return refuse(40003, 'invalid openid');
      return { openids: touser as string[] };
    },
    now,
  );
}

/** `POST /cgi-bin/message/mass/preview`: one follower, a job id of its own, no mass quota. */
export function massPreview(s: SimState, req: ApiRequest, now: number): Answer {
  if (!withinRate(s, now)) return fail(45009, 'reach max api minute-quota limit');
  const body: unknown = req.body;
  if (!hasPostData(body)) return fail(44002, 'empty post data');
  if (!nonEmpty(body.touser)) return fail(40003, 'invalid openid');
  const payload = messagePayload(body);
  if (isRefusal(payload)) return payload.refused;
  const msgId = s.nextMsgId++;
  deliver(s, { touser: body.touser, api: 'preview', msgId: String(msgId), ...payload }, now);
  return { errcode: 0, errmsg: 'preview success', msg_id: msgId };
}
