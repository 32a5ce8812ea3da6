/**
 * The channel-neutral language of the agent: every channel turns its wire format into one `Inbound`
 * and renders one `Reply` back. Nothing past a channel knows XML, signatures or Wechaty objects.
 */

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** An account this deployment serves (`default` for the one configured from the environment). */
export type AccountId = Brand<string, 'AccountId'>;
/** A follower's identity within one channel of one account (an openid is not a Wechaty contact id). */
export type UserId = Brand<string, 'UserId'>;

export const accountId = (s: string): AccountId => s as AccountId;
export const userId = (s: string): UserId => s as UserId;

export type Channel = 'wechat' | 'wechaty';

/** What every inbound carries, whatever its kind. */
export interface InboundMeta {
  readonly channel: Channel;
  readonly account: AccountId;
  readonly user: UserId;
  /** Seconds since the epoch, as the platform stamped it. */
  readonly createdAt: number;
  /**
   * The key retries of this very delivery share: user + MsgId for messages (a MsgId alone can be sent by
   * anyone; it is a 64-bit integer, kept a string), user + CreateTime + event (+ key) for events.
   */
  readonly dedupKey: string;
}

/** A message a follower typed or sent. Voice with speech recognition arrives here as text (`viaVoice`). */
export type MessageBody =
  | { readonly kind: 'text'; readonly msgId: string; readonly text: string; readonly viaVoice: boolean }
  | { readonly kind: 'image'; readonly msgId: string; readonly picUrl: string; readonly mediaId: string }
  | { readonly kind: 'voice'; readonly msgId: string; readonly mediaId: string; readonly format: string }
  | {
      readonly kind: 'video';
      readonly msgId: string;
      readonly mediaId: string;
      readonly thumbMediaId: string;
      readonly short: boolean;
    }
  | {
      readonly kind: 'location';
      readonly msgId: string;
      readonly lat: number;
      readonly lng: number;
      readonly scale: number;
      readonly label: string;
    }
  | {
      readonly kind: 'link';
      readonly msgId: string;
      readonly title: string;
      readonly description: string;
      readonly url: string;
    };

/** Something that happened rather than something typed. */
type EventBody =
  /** A new follower; `scene` is set when they followed through a parametric QR code (`qrscene_` stripped). */
  | { readonly kind: 'follow'; readonly scene: string | null; readonly ticket: string | null }
  | { readonly kind: 'unfollow' }
  /** An existing follower scanned a parametric QR code. */
  | { readonly kind: 'scan'; readonly scene: string; readonly ticket: string | null }
  /** The periodic location report (not a location message). */
  | { readonly kind: 'location_report'; readonly lat: number; readonly lng: number; readonly precision: number }
  | { readonly kind: 'menu_click'; readonly key: string }
  | { readonly kind: 'menu_view'; readonly url: string }
  | {
      readonly kind: 'mass_send_finished';
      readonly msgId: string;
      readonly status: string;
      readonly totalCount: number;
      readonly filterCount: number;
      readonly sentCount: number;
      readonly errorCount: number;
    }
  | { readonly kind: 'template_send_finished'; readonly msgId: string; readonly status: string }
  /** A message type or event this version does not know; kept so it is logged, not dropped silently. */
  | { readonly kind: 'unknown'; readonly msgType: string; readonly event: string | null };

export type InboundBody = MessageBody | EventBody;
export type Inbound = InboundMeta & InboundBody;
type InboundKind = InboundBody['kind'];

const MESSAGE_KINDS: ReadonlySet<InboundKind> = new Set(['text', 'image', 'voice', 'video', 'location', 'link']);

/** True for what a follower sent (the platform allows one article in a reply to these). */
export function isUserMessage(inbound: Inbound): inbound is InboundMeta & MessageBody {
  return MESSAGE_KINDS.has(inbound.kind);
}

export interface Article {
  readonly title: string;
  readonly description?: string;
  readonly url: string;
  readonly imageUrl?: string;
}

/** What the agent answers. `none` renders as the platform's `success` (never an empty XML reply). */
export type Reply =
  /**
   * `transfer`: hand the follower to a person — the official account answers with WeChat's
   * `transfer_customer_service` (the message goes to its customer-service staff); where that cannot be done
   * (another channel, a late answer) the text is sent.
   */
  | { readonly type: 'text'; readonly text: string; readonly transfer?: true }
  | { readonly type: 'news'; readonly articles: readonly Article[] }
  | { readonly type: 'image'; readonly mediaId: string }
  | { readonly type: 'none' };

export const text = (t: string): Reply => ({ type: 'text', text: t });
export const NO_REPLY: Reply = { type: 'none' };
