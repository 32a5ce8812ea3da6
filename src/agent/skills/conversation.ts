/**
 * Conversation memory the shopping skills share (the turn's `ctx.session`, see steps/session.ts): what was
 * last asked and everything shown since, so 「更多」 continues without repeating, a number picks an item, and
 * 便宜点 refines the last query.
 */
import type { Sort, Without } from '../../search/types.ts';

/** A product query as remembered between messages (JSON-safe). */
export interface RememberedProductQuery {
  readonly terms: readonly string[];
  readonly categories: readonly string[];
  readonly brands: readonly string[];
  readonly audience: 'women' | 'men' | 'kids' | null;
  readonly minPriceFen: number | null;
  readonly maxPriceFen: number | null;
  readonly sort: Sort;
  /** What the follower asked for, in words, for lead lines (「连衣裙」). */
  readonly label: string;
  /** What the follower asked to leave out (不要红色的), with its words for lead lines; absent: nothing. */
  readonly without?: RememberedWithout;
  /**
   * The price bounds as the follower said them (300以下, or none), when 便宜点 / 贵一点 have moved the bounds
   * since; absent: the bounds are as said. 最贵的 after 便宜点 goes back to these (a new wish replaces the
   * one it conflicts with), while 最贵的 after 300以下 keeps the ¥300 the follower asked for.
   */
  readonly saidPrice?: SaidPrice;
}

/** Price bounds as the follower said them (fen; null: no bound). */
type SaidPrice = { readonly minPriceFen: number | null; readonly maxPriceFen: number | null };

export interface RememberedWithout extends Without {
  /** The words left out, as lead lines say them (红色, 耐克, 男款). */
  readonly words: readonly string[];
}

export type Shown =
  | {
      readonly kind: 'products';
      readonly query: RememberedProductQuery;
      readonly ids: readonly string[];
      /** The item of this list last shown as a card (a number picked it): 「我要这个」 means it. */
      readonly picked?: string;
    }
  | {
      readonly kind: 'hotels';
      readonly where: { readonly near: { lat: number; lng: number }; readonly label: string } | { readonly city: string };
      readonly minPriceFen: number | null;
      readonly maxPriceFen: number | null;
      /** In a city: best rated first unless the follower asked for the cheapest / dearest. */
      readonly sort?: 'rating' | 'price_asc' | 'price_desc';
      /** Star levels wished for (五星级 → 5–5, 经济型 → 0–2); absent: any. */
      readonly stars?: StarRange;
      /** The price bounds as said, when 便宜点 / 贵一点 moved them (see RememberedProductQuery). */
      readonly saidPrice?: SaidPrice;
      readonly ids: readonly string[];
    }
  | {
      readonly kind: 'deals';
      readonly city: string;
      readonly category: string | null;
      /** Words the deal's title or merchant must contain (火锅, imax). */
      readonly keywords?: readonly string[];
      /** Price bounds (inclusive), from 100以下 or a refinement such as 便宜点. */
      readonly minPriceFen?: number | null;
      readonly maxPriceFen?: number | null;
      /** Deepest discount first unless the follower asked for the cheapest, the dearest or the nearest. */
      readonly sort?: DealSort;
      /** Where 附近 is (the follower's last location), for the `distance` sort. */
      readonly near?: { readonly lat: number; readonly lng: number };
      /** The price bounds as said, when 便宜点 / 贵一点 moved them (see RememberedProductQuery). */
      readonly saidPrice?: SaidPrice;
      readonly ids: readonly string[];
    };

export type DealSort = 'discount' | 'price_asc' | 'price_desc' | 'distance';

/** Hotel star levels, inclusive. */
export interface StarRange {
  readonly min: number;
  readonly max: number;
  /** The follower's word for it (五星级, 经济型), for lead lines. */
  readonly label: string;
}

export interface ConversationState {
  /** The last list shown, with every id shown so far (numbered across pages). */
  readonly shown: Shown | null;
  /** The last city the follower asked about (for 「团购」 with no city). */
  readonly city: string | null;
  /** Deal words waiting for a city: 「海底捞」 was answered 「which city?」 (with `shown` null). */
  readonly dealWords?: readonly string[];
  /** A hotel question waiting for a place: 「酒店」 was answered 「想住哪儿？」 (with `shown` null). */
  readonly hotelWish?: { readonly minPriceFen: number | null; readonly maxPriceFen: number | null; readonly stars?: StarRange };
  /** An order being put together in the conversation (src/orders/chat/), until it is placed or dropped. */
  readonly checkout?: CheckoutDraft;
  /** 「取消订单 12」 waiting for the follower's 确认. */
  readonly cancelling?: { readonly orderId: number };
}

/**
 * An order the conversation is putting together (JSON-safe: it lives in the session, so it survives the
 * follower's questions in between and ends with the session's 30 minutes). Defined here because the agent
 * room cannot import orders; the checkout steps (src/orders/chat/) fill it.
 */
export interface CheckoutDraft {
  /** Makes the placing idempotent: a 确认 delivered twice places one order. */
  readonly id: string;
  /** The product, or null while the follower is asked which item of the last list they mean. */
  readonly sku: string | null;
  readonly quantity: number;
  /** The variant chosen (M, 红色), or null: none chosen yet, or the product has none. */
  readonly variant: string | null;
  readonly receiver: string | null;
  readonly phone: string | null;
  readonly address: string | null;
  /** The contact came from the follower's last order (the summary offers to change it). */
  readonly remembered?: boolean;
  /** The label of the list the item came from (「连衣裙」), for the order's `query`. */
  readonly query: string | null;
  /** What the bot asked last, so the next message is read as its answer. */
  readonly awaiting: CheckoutQuestion;
}

type CheckoutQuestion = 'item' | 'variant' | 'contact' | 'confirm';

/** A follower with nothing remembered. */
export const EMPTY_STATE: ConversationState = { shown: null, city: null };

/** How long a conversation is remembered after the last message. */
export const SESSION_TTL_MS = 30 * 60_000;

/** The intent of a list's kind, for the answer log (`products` → `product`). */
export function intentOf(shown: Shown): 'product' | 'hotel' | 'deal' {
  return shown.kind === 'products' ? 'product' : shown.kind === 'hotels' ? 'hotel' : 'deal';
}
