/**
 * The WeChat XML wire format: parsing a delivery into fields, mapping fields to the channel-neutral
 * `Inbound`, and rendering a `Reply` as a passive-reply XML. Pure; no I/O.
 */
import xml2js from 'xml2js';
import { parseFlatXml } from './flat-xml.ts';
import { userId } from '../../core/messages.ts';
import type { AccountId, Article, Inbound, InboundMeta, Reply } from '../../core/messages.ts';

export type XmlErrorCode = 'dtd' | 'malformed';

/** A delivery that is not a flat WeChat `<xml>` document (`dtd`: it declares a DTD or entities). */
export class XmlError extends Error {
  override readonly name = 'XmlError';
  readonly code: XmlErrorCode;
  constructor(code: XmlErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const malformed = (message: string): XmlError => new XmlError('malformed', message);

// ---------------------------------------------------------------------------------------------- parse

/** CDATA sections, comments and processing instructions, matched left to right as an XML lexer would. */
const OPAQUE = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
const DECLARATION = /<\s*!\s*(?:doctype|entity|element|attlist|notation)\b|<\s*!\s*\[\s*(?:include|ignore)\b/i;
/** Fields the protocol defines as text: one of these arriving nested or repeated makes the document malformed. */
const TEXT_FIELDS: ReadonlySet<string> = new Set([
  'ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'MsgId', 'MsgID', 'Content', 'PicUrl', 'MediaId',
  'Format', 'Recognition', 'ThumbMediaId', 'Location_X', 'Location_Y', 'Scale', 'Label', 'Title',
  'Description', 'Url', 'Event', 'EventKey', 'Ticket', 'Latitude', 'Longitude', 'Precision', 'Status',
  'TotalCount', 'FilterCount', 'SentCount', 'ErrorCount', 'Encrypt',
]);
const PARSER_OPTIONS: xml2js.ParserOptions = { explicitArray: false, trim: true, ignoreAttrs: true, explicitRoot: true };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses a flat WeChat `<xml>` document into field → string (values trimmed; numbers such as the 64-bit
 * MsgId stay exact strings). Rejects DTDs and entity declarations before parsing (`XmlError` 'dtd'), and
 * anything that is not one `<xml>` root of text fields ('malformed'). Nested fields the protocol does not
 * define as text (e.g. `CopyrightCheckResult`) are skipped.
 * @example const fields = await parseWechatXml(req.body); // { ToUserName: 'gh_…', MsgType: 'text', … }
 */
export async function parseWechatXml(body: string): Promise<Record<string, string>> {
  // Nearly every delivery is the simple flat shape, read without a general XML parser (see flat-xml.ts).
  return (typeof body === 'string' && parseFlatXml(body)) || parseWithXml2js(body);
}

/**
 * `parseWechatXml` for any document, through xml2js with its checks; exported so the fast path can be
 * tested against it.
 */
export async function parseWithXml2js(body: string): Promise<Record<string, string>> {
  if (typeof body !== 'string') throw malformed('the body is not a string');
  // Fast path for the usual delivery: no `<!` other than CDATA openers (so no declaration) and one <xml>.
  const first = body.indexOf('<xml');
  const plain = !/<\s*!(?!\[CDATA\[)/.test(body) && first !== -1 && body.indexOf('<xml', first + 4) === -1;
  if (plain) {
    if (!/^<xml[\s/>]/.test(body.slice(first, first + 5)) || !/<\/xml\s*>\s*$/.test(body)) {
      throw malformed('expected exactly one <xml>…</xml> root element');
    }
  } else {
    const markup = body.replace(OPAQUE, '');
    if (DECLARATION.test(markup)) throw new XmlError('dtd', 'DTD and entity declarations are not accepted');
    if (/<\s*!/.test(markup)) throw malformed('unterminated CDATA section or comment');
    if (markup.match(/<xml[\s/>]/g)?.length !== 1 || !/<\/xml\s*>\s*$/.test(markup)) {
      throw malformed('expected exactly one <xml>…</xml> root element');
    }
  }
  let doc: unknown;
  try {
    doc = await xml2js.parseStringPromise(body, PARSER_OPTIONS);
  } catch (err) {
    throw malformed(`not well-formed XML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  if (!isRecord(doc) || Object.keys(doc).length !== 1 || !Object.hasOwn(doc, 'xml')) {
    throw malformed('the root element must be <xml>');
  }
  const root = doc['xml'];
  if (root === '') return {};
  if (!isRecord(root) || Object.hasOwn(root, '_')) throw malformed('<xml> must contain only fields');
  const fields: [string, string][] = [];
  for (const [name, value] of Object.entries(root)) {
    // xml2js trims text but keeps whitespace-only text as it was; a field is its trimmed text either way.
    if (typeof value === 'string') fields.push([name, value.trim()]);
    else if (TEXT_FIELDS.has(name)) throw malformed(`<${name}> must be a single text value`);
  }
  return Object.fromEntries(fields);
}

// -------------------------------------------------------------------------------------------- inbound

function need(fields: Record<string, string>, name: string): string {
  const value = fields[name];
  if (value === undefined) throw malformed(`missing <${name}>`);
  return value;
}

/** A decimal field (coordinates, precision, scale) as a number, optionally range-checked. */
function decimal(value: string, name: string, limit = Infinity): number {
  const n = /^[+-]?\d+(?:\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(Math.abs(n) <= limit)) throw malformed(`<${name}> must be a number${limit < Infinity ? ` within ±${limit}` : ''}`);
  return n;
}

/** A non-negative integer field (counts, CreateTime). */
function integer(value: string, name: string): number {
  const n = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(n)) throw malformed(`<${name}> must be a non-negative integer`);
  return n;
}

/**
 * Maps parsed fields to the channel-neutral `Inbound`: every message type and event of the protocol, and
 * `unknown` for the rest. Throws `XmlError` 'malformed' for missing FromUserName/MsgType/CreateTime (or MsgId
 * on messages, or a field a kind needs) and for non-numeric coordinates or counts.
 * @example const inbound = toInbound(await parseWechatXml(body), accountId('default'));
 */
export function toInbound(fields: Record<string, string>, account: AccountId): Inbound {
  const from = need(fields, 'FromUserName');
  const msgType = need(fields, 'MsgType');
  const createTime = need(fields, 'CreateTime');
  if (from === '' || msgType === '') throw malformed('<FromUserName> and <MsgType> must not be empty');
  const meta = { channel: 'wechat', account, user: userId(from), createdAt: integer(createTime, 'CreateTime') } as const;
  const type = msgType.toLowerCase();
  return type === 'event' ? toEvent(fields, meta, from, createTime) : toMessage(fields, meta, type, from, createTime);
}

type Meta = Omit<InboundMeta, 'dedupKey'>;

const KNOWN_MESSAGE_TYPES: ReadonlySet<string> = new Set(['text', 'image', 'voice', 'video', 'shortvideo', 'location', 'link']);

/** An optional field ('' when absent). */
function opt(f: Record<string, string>, name: string): string {
  return f[name] ?? '';
}

/**
 * A message's dedup key: the MsgId and the openid. A MsgId alone is the sender's word, not a secret: keyed on
 * it, a follower sending someone else's MsgId was handed that person's stored answer. The MsgId leads because
 * it grows with time: new records then land at the end of the table's B-tree, a page or two per commit, where
 * an openid first scatters every insert over the whole tree (measured: a third of the webhook's throughput).
 * (The account is the record's other key; events are keyed by CreateTime + openid + Event + EventKey.)
 */
function messageKey(from: string, msgId: string): string {
  return `${msgId}:${from}`;
}

function toMessage(f: Record<string, string>, meta: Meta, type: string, from: string, createTime: string): Inbound {
  const msgId = f['MsgId'] ?? f['MsgID'];
  if (!KNOWN_MESSAGE_TYPES.has(type)) {
    const msgType = need(f, 'MsgType');
    return { ...meta, dedupKey: msgId ? messageKey(from, msgId) : `${createTime}:${from}:${msgType}`, kind: 'unknown', msgType, event: null };
  }
  if (!msgId) throw malformed('missing <MsgId> on a message');
  if (type === 'text') {
    // Nearly every delivery: written out, with the fields in the order the spreads below give them; two
    // spreads of growing objects cost more than the rest of the mapping.
    const { channel, account, user, createdAt } = meta;
    return { channel, account, user, createdAt, dedupKey: messageKey(from, msgId), msgId, kind: 'text', text: need(f, 'Content'), viaVoice: false };
  }
  const m = { ...meta, dedupKey: messageKey(from, msgId), msgId };
  switch (type) {
    case 'image':
      return { ...m, kind: 'image', picUrl: need(f, 'PicUrl'), mediaId: need(f, 'MediaId') };
    case 'voice': {
      const recognition = opt(f, 'Recognition').trim();
      if (recognition) return { ...m, kind: 'text', text: recognition, viaVoice: true };
      return { ...m, kind: 'voice', mediaId: need(f, 'MediaId'), format: opt(f, 'Format') };
    }
    case 'video':
    case 'shortvideo':
      return {
        ...m,
        kind: 'video',
        mediaId: need(f, 'MediaId'),
        thumbMediaId: opt(f, 'ThumbMediaId'),
        short: type === 'shortvideo',
      };
    case 'location':
      return {
        ...m,
        kind: 'location',
        lat: decimal(need(f, 'Location_X'), 'Location_X', 90),
        lng: decimal(need(f, 'Location_Y'), 'Location_Y', 180),
        scale: f['Scale'] ? decimal(f['Scale'], 'Scale') : 0,
        label: opt(f, 'Label'),
      };
    default:
      return { ...m, kind: 'link', title: opt(f, 'Title'), description: opt(f, 'Description'), url: need(f, 'Url') };
  }
}

function toEvent(f: Record<string, string>, meta: Meta, from: string, createTime: string): Inbound {
  const event = need(f, 'Event');
  const eventKey = f['EventKey'];
  const dedupKey = `${createTime}:${from}:${event}:${eventKey ?? ''}`;
  const ticket = f['Ticket'] || null;
  switch (event.toLowerCase()) {
    case 'subscribe': {
      const scene = eventKey?.startsWith('qrscene_') ? eventKey.slice('qrscene_'.length) : '';
      return { ...meta, dedupKey, kind: 'follow', scene: scene || null, ticket };
    }
    case 'unsubscribe':
      return { ...meta, dedupKey, kind: 'unfollow' };
    case 'scan':
      return { ...meta, dedupKey, kind: 'scan', scene: need(f, 'EventKey'), ticket };
    case 'location':
      return {
        ...meta,
        dedupKey,
        kind: 'location_report',
        lat: decimal(need(f, 'Latitude'), 'Latitude', 90),
        lng: decimal(need(f, 'Longitude'), 'Longitude', 180),
        precision: decimal(need(f, 'Precision'), 'Precision'),
      };
    case 'click':
      return { ...meta, dedupKey, kind: 'menu_click', key: need(f, 'EventKey') };
    case 'view':
      return { ...meta, dedupKey, kind: 'menu_view', url: need(f, 'EventKey') };
    case 'masssendjobfinish': {
      const msgId = jobMsgId(f);
      return {
        ...meta,
        dedupKey: `${dedupKey}:${msgId}`,
        kind: 'mass_send_finished',
        msgId,
        status: f['Status'] ?? '',
        totalCount: integer(need(f, 'TotalCount'), 'TotalCount'),
        filterCount: integer(need(f, 'FilterCount'), 'FilterCount'),
        sentCount: integer(need(f, 'SentCount'), 'SentCount'),
        errorCount: integer(need(f, 'ErrorCount'), 'ErrorCount'),
      };
    }
    case 'templatesendjobfinish': {
      const msgId = jobMsgId(f);
      return { ...meta, dedupKey: `${dedupKey}:${msgId}`, kind: 'template_send_finished', msgId, status: f['Status'] ?? '' };
    }
    default:
      return { ...meta, dedupKey, kind: 'unknown', msgType: need(f, 'MsgType'), event };
  }
}

/** Job-finished events spell it `MsgID`; accept `MsgId` too. */
function jobMsgId(f: Record<string, string>): string {
  const msgId = f['MsgID'] ?? f['MsgId'];
  if (!msgId) throw malformed('missing <MsgID> on a job-finished event');
  return msgId;
}

// --------------------------------------------------------------------------------------------- render

/** Characters XML 1.0 does not allow anywhere, not even in CDATA (control characters, lone surrogates). */
const INVALID_XML_CHARS = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/** The same characters but lone surrogates, found by a plain scan (the `u` scan above is slower). */
const CONTROL_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

/** The value without characters XML does not allow; the value itself (no copy) when it has none. */
function xmlSafe(value: string): string {
  const wellFormed = (value as string & { isWellFormed(): boolean }).isWellFormed();
  return wellFormed && !CONTROL_CHARS.test(value) ? value : value.replace(INVALID_XML_CHARS, '');
}

/** A CDATA section that cannot be broken out of: `]]>` is split across two sections. */
function cdata(value: string): string {
  return `<![CDATA[${xmlSafe(value).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

const TAG_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Builds a flat `<xml>` document: strings in CDATA, numbers bare (pass 64-bit ids as strings).
 * Used to play the WeChat server in tests, the chat CLI and the benchmark.
 * @example buildMessageXml({ ToUserName: 'gh_x', FromUserName: 'o1', CreateTime: 1409735668, MsgType: 'text', Content: 'hi', MsgId: '6054768590064713728' })
 */
export function buildMessageXml(fields: Record<string, string | number>): string {
  let out = '<xml>';
  for (const [name, value] of Object.entries(fields)) {
    if (!TAG_NAME.test(name)) throw new Error(`'${name}' is not a valid XML element name`);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`<${name}> must be a finite number`);
    out += `<${name}>${typeof value === 'number' ? String(value) : cdata(value)}</${name}>`;
  }
  return `${out}</xml>`;
}

export interface ReplyContext {
  /** The follower's openid (the inbound FromUserName). */
  readonly toUser: string;
  /** The account's gh_ id (the inbound ToUserName). */
  readonly fromAccount: string;
  /** Seconds since the epoch (not milliseconds). */
  readonly createdAt: number;
  /** True when answering a follower's message: news is then capped at one article. */
  readonly toUserMessage: boolean;
}

const MAX_ARTICLES_TO_MESSAGE = 1;
const MAX_ARTICLES = 8;

/**
 * Renders a passive-reply XML, or null when there is nothing to send (`none`, empty text, no articles,
 * empty media id): answer the literal `success` for null, never an XML reply with empty Content.
 * Text is capped at 2048 UTF-8 bytes with `fitText`.
 * @example renderReply(text('你好'), { toUser: openid, fromAccount: 'gh_…', createdAt: nowSeconds, toUserMessage: true }) ?? 'success'
 */
export function renderReply(reply: Reply, ctx: ReplyContext): string | null {
  if (!Number.isFinite(ctx.createdAt) || ctx.createdAt < 0 || ctx.createdAt >= 1e11) {
    throw new RangeError(`createdAt must be seconds since the epoch, not milliseconds (got ${ctx.createdAt})`);
  }
  switch (reply.type) {
    case 'none':
      return null;
    case 'text': {
      // The follower's message goes on to the account's customer-service staff; the platform sends nothing itself.
      if (reply.transfer) return `${head(ctx, 'transfer_customer_service')}</xml>`;
      const content = fitText(xmlSafe(reply.text).trim());
      return content ? `${head(ctx, 'text')}<Content>${cdata(content)}</Content></xml>` : null;
    }
    case 'image':
      return reply.mediaId.trim()
        ? `${head(ctx, 'image')}<Image><MediaId>${cdata(reply.mediaId)}</MediaId></Image></xml>`
        : null;
    case 'news': {
      const articles = reply.articles.slice(0, ctx.toUserMessage ? MAX_ARTICLES_TO_MESSAGE : MAX_ARTICLES);
      if (articles.length === 0) return null;
      return `${head(ctx, 'news')}<ArticleCount>${articles.length}</ArticleCount><Articles>${articles.map(item).join('')}</Articles></xml>`;
    }
  }
}

function head(ctx: ReplyContext, msgType: string): string {
  return (
    `<xml><ToUserName>${cdata(ctx.toUser)}</ToUserName><FromUserName>${cdata(ctx.fromAccount)}</FromUserName>` +
    `<CreateTime>${Math.floor(ctx.createdAt)}</CreateTime><MsgType>${cdata(msgType)}</MsgType>`
  );
}

function item(a: Article): string {
  return (
    `<item><Title>${cdata(a.title)}</Title><Description>${cdata(a.description ?? '')}</Description>` +
    `<PicUrl>${cdata(a.imageUrl ?? '')}</PicUrl><Url>${cdata(a.url)}</Url></item>`
  );
}

// ---------------------------------------------------------------------------------------------- fitText

const ELLIPSIS = '…';
/** `<a …>…</a>` elements and lone tags are atoms: kept whole or dropped whole. */
const MARKUP_ATOM = /(<a\b[^>]*>[\s\S]*?<\/a\s*>|<[^<>\n]*>)/i;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The text as indivisible pieces: markup atoms and grapheme clusters (so emoji and CJK are never split). */
function* atoms(text: string): Generator<string> {
  for (const [i, part] of text.split(MARKUP_ATOM).entries()) {
    if (i % 2 === 1) yield part;
    else for (const { segment } of graphemes.segment(part)) yield segment;
  }
}

/**
 * Caps text at `maxBytes` UTF-8 bytes (WeChat's 2048 for text replies). Text that fits is returned as is;
 * otherwise it is cut on a line boundary when that keeps at least half of the budget (else between
 * characters) and '…' is appended. Never cuts inside a character, an emoji or an `<a href>` element;
 * the result without the final '…' is always a prefix of the input.
 * @example fitText('第一行\n第二行', 14) // '第一行\n…'
 */
export function fitText(text: string, maxBytes = 2048): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(ELLIPSIS);
  if (budget < 0) return '';
  let used = 0;
  let end = 0;
  let lineEnd = 0;
  let lineBytes = 0;
  for (const atom of atoms(text)) {
    const size = Buffer.byteLength(atom);
    if (used + size > budget) break;
    used += size;
    end += atom.length;
    if (atom.endsWith('\n')) [lineEnd, lineBytes] = [end, used];
  }
  return text.slice(0, lineEnd > 0 && lineBytes * 2 >= budget ? lineEnd : end) + ELLIPSIS;
}
