/**
 * Ordering in the conversation: 「买第2个」「我要这个」「来两件」「这个要M码」 after a list or a card start a draft
 * (kept in the session), the bot asks only for what it lacks — which item, the variant, receiver, phone and
 * address (remembered from the last order) — shows a summary, and 「确认」 places the order through the desk.
 * 「取消」 drops the draft; anything else in between is answered by the steps after this one and the draft waits.
 */
import { randomUUID } from 'node:crypto';
import type { CheckoutDraft, ConversationState } from '../../agent/skills/conversation.ts';
import type { TurnContext } from '../../agent/context.ts';
import type { Step } from '../../agent/pipeline.ts';
import { texts } from '../../agent/texts.ts';
import { isInStock, type Product } from '../../catalogue/types.ts';
import type { OrderAnswer } from '../../core/answered-by.ts';
import { text } from '../../core/messages.ts';
import { MAX_QUANTITY, shippingFor } from '../model.ts';
import { answerTo } from '../order-settings.ts';
import { matchVariant } from '../order-store.ts';
import type { OrderDesk } from '../desk.ts';
import { askContact, askItem, askVariant, badVariant, itemName, missingContact, placed, reminder, summary } from './checkout-texts.ts';
import { contactIn, hasAddressWords } from './contact-text.ts';
import { asksMyOrders, cancelAsked, orderNumberAsked } from './questions.ts';
import { serviceQuestion } from '../../merchant/service/questions.ts';
import { roomOf } from './room.ts';
import { simplifiedCommand } from './simplified.ts';
import { editAsked, isAffirm, isDrop, itemNumber, looksLikeVariant, orderAsk, readOrderWords, type OrderAsk } from './words.ts';

/** @example createAgent({ ..., orders: [checkout(createOrderDesk(db))] }) */
export function checkout(desk: OrderDesk): Step {
  return async (ctx, next) => {
    if (ctx.inbound.kind !== 'text' || ctx.command === '') return next();
    // For 「女装」 this is the read the shopping skills make anyway (the turn keeps it): no extra query.
    const draft = ctx.session.checkout;
    if (draft) return continueDraft(ctx, next, desk, draft);
    const ask = orderAsk(simplifiedCommand(ctx.command));
    if (ask) return startOrder(ctx, desk, ask, null);
    // 「确认」 with nothing to confirm (the order was placed, or the draft ran out): say so, not 「暂时没有「确认」」.
    if (/^确认(?:下单|订单)?$|^确定下单$/.test(ctx.command) && !ctx.session.cancelling) return say(ctx, '现在没有等待确认的订单。回复「我的订单」查看已下的订单。', 'order_refused');
    return next();
  };
}

type Contact = Pick<CheckoutDraft, 'receiver' | 'phone' | 'address'> & { readonly remembered?: boolean };

function save(ctx: TurnContext, draft: CheckoutDraft | null): void {
  const { checkout: _old, ...rest } = ctx.session;
  ctx.session = (draft ? { ...rest, checkout: draft } : rest) satisfies ConversationState;
}

/** What the follower typed, as typed (the command is normalised for matching). */
const said = (ctx: TurnContext): string => (ctx.inbound.kind === 'text' ? ctx.inbound.text : '');

const say = (ctx: TurnContext, words: string, by: OrderAnswer) => ctx.answer(text(words), by);

/** A new draft for the item the message points at in the last list (or the card shown last). */
async function startOrder(ctx: TurnContext, desk: OrderDesk, ask: OrderAsk, carried: Contact | null): Promise<void> {
  const { account } = ctx.inbound;
  const shown = ctx.session.shown;
  if (!shown || shown.kind !== 'products') {
    if (shown) return say(ctx, `在这里可以下单商品；酒店和团购请点开链接查看和预订。想买什么告诉我，比如回复${texts.oneExample(ctx.persona)}。`, 'order_refused');
    return say(ctx, answerTo('how_to_order', await desk.settings.get(account)), 'order_service');
  }
  let sku: string | null = null;
  if (typeof ask.which === 'number') {
    sku = shown.ids[ask.which - 1] ?? null;
    if (sku === null) return say(ctx, `刚才列出了 ${shown.ids.length} 个，回复「买第1个」到「买第${shown.ids.length}个」下单。`, 'order_refused');
  } else if (shown.picked && (ask.which === 'this' || shown.ids.length > 1)) {
    sku = shown.picked;
  } else if (shown.ids.length === 1) {
    sku = shown.ids[0]!;
  }
  const contact = carried ?? (await rememberedContact(desk, ctx));
  const draft: CheckoutDraft = {
    id: randomUUID(),
    sku,
    quantity: ask.quantity ?? 1,
    variant: null,
    receiver: contact.receiver,
    phone: contact.phone,
    address: contact.address,
    ...(contact.remembered ? { remembered: true } : {}),
    query: shown.query.label,
    awaiting: 'item',
  };
  if (sku === null) {
    save(ctx, draft);
    return say(ctx, askItem(shown.query.label, shown.ids.length), 'order_ask');
  }
  return proceed(ctx, desk, draft, ask.variant);
}

async function rememberedContact(desk: OrderDesk, ctx: TurnContext): Promise<Contact> {
  const c = await desk.orders.contactOf(ctx.inbound.account, ctx.inbound.user);
  return c ? { ...c, remembered: true } : { receiver: null, phone: null, address: null };
}

/** Asks for the next thing the draft lacks, or shows the summary; saves the draft with what it waits for. */
async function proceed(ctx: TurnContext, desk: OrderDesk, given: CheckoutDraft, variantWord: string | null = null, lead0 = ''): Promise<void> {
  let lead = lead0;
  const p = given.sku ? ctx.search.product(ctx.inbound.account, given.sku) : null;
  if (!p || !isInStock(p)) {
    save(ctx, null);
    return say(ctx, `${p ? itemName(p.title, null) : '这件商品'}刚刚下架或卖完了😅 看看别的吧。`, 'order_refused');
  }
  let draft = given;
  // Too many is said and corrected at once; the summary shows the quantity before anything is placed.
  if (draft.quantity > MAX_QUANTITY) {
    lead += `每单最多 ${MAX_QUANTITY} 件，先按 1 件算，要改回复「要N件」。\n`;
    draft = { ...draft, quantity: 1 };
  }
  if (p.stock !== null && draft.quantity > p.stock) {
    lead += `库存不足：${itemName(p.title, null)}只剩 ${p.stock} 件了，先按 ${p.stock} 件算。\n`;
    draft = { ...draft, quantity: p.stock };
  }
  const variants = p.variants ?? [];
  if (variantWord !== null && variants.length > 0) {
    const v = matchVariant(variants, variantWord);
    if (v === null) {
      save(ctx, { ...draft, awaiting: 'variant' });
      return say(ctx, `${badVariant(variantWord, variants)}要哪个？`, 'order_ask');
    }
    draft = { ...draft, variant: v };
  }
  if (variants.length > 0 && (draft.variant === null || !variants.includes(draft.variant))) {
    save(ctx, { ...draft, variant: null, awaiting: 'variant' });
    return say(ctx, `${lead}${askVariant(p.title, variants)}`, 'order_ask');
  }
  const missing = missingContact(draft);
  if (missing.length > 0) {
    save(ctx, { ...draft, awaiting: 'contact' });
    const chosen = `好的，${itemName(p.title, draft.variant)} × ${draft.quantity}。`;
    return say(ctx, askContact(missing, lead || (missing.length === 3 ? chosen : '')), 'order_ask');
  }
  save(ctx, { ...draft, awaiting: 'confirm' });
  say(ctx, `${lead}${await summaryOf(ctx, desk, draft, p)}`, 'order_summary');
}

async function summaryOf(ctx: TurnContext, desk: OrderDesk, d: CheckoutDraft, p: Product): Promise<string> {
  const s = await desk.settings.get(ctx.inbound.account);
  const itemsFen = p.priceFen * d.quantity;
  return summary({
    line: { title: p.title, variant: d.variant, unitFen: p.priceFen, quantity: d.quantity },
    shippingFen: shippingFor(itemsFen, { shippingFen: s.shippingFen, freeOverFen: s.freeShippingOverFen }),
    contact: { receiver: d.receiver!, phone: d.phone!, address: d.address! },
    inGroup: roomOf(ctx.inbound) !== null,
    remembered: d.remembered === true,
  });
}

/** Questions the steps after this one answer (orders, service questions), even in the middle of a draft. */
const isOrdersQuestion = (c: string): boolean => {
  // A size named in the middle of an order (「有XL吗」 while asked which one) is the checkout's to read.
  const q = serviceQuestion(c);
  return (q !== null && q.topic !== 'sizes') || asksMyOrders(c) || orderNumberAsked(c) !== null || cancelAsked(c)?.orderId != null;
};

async function continueDraft(ctx: TurnContext, next: () => Promise<void>, desk: OrderDesk, draft: CheckoutDraft): Promise<void> {
  const c = simplifiedCommand(ctx.command);
  if (isDrop(c)) {
    save(ctx, null);
    return say(ctx, '好的，这单不下了，什么都没有留下。想买别的随时告诉我～', 'order_dropped');
  }
  if (isOrdersQuestion(c)) return interrupted(ctx, next, draft);
  const ask = orderAsk(c);
  // Another item (「买第3个」): a new draft for it, keeping the contact given so far.
  if (ask && typeof ask.which === 'number') {
    return startOrder(ctx, desk, { ...ask, quantity: ask.quantity ?? (draft.sku === null ? draft.quantity : null) }, draft);
  }
  // 「来两件」「这个要M码」 at any step change the quantity or the variant.
  if (ask && (ask.quantity !== null || ask.variant !== null)) {
    const changed = { ...draft, quantity: ask.quantity ?? draft.quantity };
    if (draft.sku === null) return startOrder(ctx, desk, { ...ask, quantity: changed.quantity }, draft);
    return proceed(ctx, desk, changed, ask.variant);
  }
  switch (draft.awaiting) {
    case 'item': {
      const n = itemNumber(c);
      if (n !== null) return startOrder(ctx, desk, { which: n, quantity: draft.quantity, variant: null }, draft);
      break;
    }
    case 'variant': {
      const w = readOrderWords(c);
      const word = w.rest || c;
      const p = draft.sku ? ctx.search.product(ctx.inbound.account, draft.sku) : null;
      const variants = p?.variants ?? [];
      if (matchVariant(variants, word) !== null) return proceed(ctx, desk, { ...draft, quantity: w.quantity ?? draft.quantity }, word);
      if (looksLikeVariant(word) && variants.length > 0) return say(ctx, `${badVariant(word, variants)}要哪个？`, 'order_ask');
      if (isAffirm(c)) return proceed(ctx, desk, draft);
      break;
    }
    case 'contact': {
      if (isAffirm(c)) return proceed(ctx, desk, draft);
      if (SMALL_TALK.test(c)) break;
      const fields = editAsked(c);
      if (fields) return proceed(ctx, desk, clear(draft, fields));
      const missing = missingContact(draft);
      const found = contactIn(said(ctx), missing);
      const onlyName = found.receiver !== undefined && found.phone === undefined && found.address === undefined && !found.phoneProblem;
      // A lone short text is a name only when it is no question and no product (「女装」 is a question in between).
      if (onlyName && !(missing.includes('receiver') && isPlainName(ctx, c))) break;
      if (found.receiver === undefined && found.phone === undefined && found.address === undefined && !found.phoneProblem && !found.addressProblem) break;
      // Words without a number or an address word (「女装」「王女士」 while the address is asked): a question in between.
      const onlyAddress = found.receiver === undefined && found.phone === undefined && !found.phoneProblem;
      if (onlyAddress && !hasAddressWords(said(ctx)) && !isPlainName(ctx, c)) break;
      if (onlyAddress && found.addressProblem && !hasAddressWords(said(ctx))) break;
      return takeContact(ctx, desk, draft, found);
    }
    case 'confirm': {
      if (isAffirm(c)) return place(ctx, desk, draft);
      const fields = editAsked(c);
      if (fields) return proceed(ctx, desk, clear(draft, fields));
      const found = contactIn(said(ctx), []);
      if (found.phone !== undefined || found.address !== undefined || found.phoneProblem) return takeContact(ctx, desk, draft, found);
      break;
    }
  }
  return interrupted(ctx, next, draft);
}

/** Greetings and fillers: never a name, never an address. */
const SMALL_TALK = /^(?:你好|您好|谢谢|多谢|在吗|在不在|有人吗|哈+|嗯+|哦+|噢+|啊+|稍等|等一下|等等|等会|收到|知道了|明白了?)(?:呀|啊|哦|啦|了|~)*$/;

const clear = (d: CheckoutDraft, fields: readonly ('receiver' | 'phone' | 'address')[]): CheckoutDraft => {
  const { remembered: _r, ...rest } = d;
  return { ...rest, ...Object.fromEntries(fields.map((f) => [f, null])) };
};

/**
 * 「张三」 as a name: no question words, and nothing the catalogue knows (a category, a brand, a colour, a city,
 * a hotel or deal word: 「女装」「酒店」 are questions in between). Unknown words are what names are made of;
 * 女士/先生 set an audience, which a name may (王女士).
 */
function isPlainName(ctx: TurnContext, c: string): boolean {
  if (/[吗呢么嘛?？]|什么|怎么|多少|哪|谁|几/.test(c) || c.length > 6) return false;
  const s = ctx.search.understand(said(ctx), ctx.inbound.account).slots;
  return (
    s.categories.length === 0 && s.brands.length === 0 && s.attributes.length === 0 && s.city === null && s.place === null &&
    !s.hotel && !s.deal && s.dealCategory === null && s.price === null && s.relativePrice === null && s.sort === null
  );
}

async function takeContact(ctx: TurnContext, desk: OrderDesk, draft: CheckoutDraft, found: ReturnType<typeof contactIn>): Promise<void> {
  const { remembered: _r, ...rest } = draft;
  const merged: CheckoutDraft = {
    ...rest,
    receiver: found.receiver ?? draft.receiver,
    phone: found.phone ?? draft.phone,
    address: found.address ?? draft.address,
  };
  // A number that is not a mobile number is asked again, clearly; what else the message held is kept.
  const problem = found.phone === undefined ? (found.phoneProblem ?? null) : null;
  if (problem || (found.addressProblem && found.address === undefined && merged.address === null)) {
    const missing = missingContact(merged);
    const zh = problem ? problem.zh : found.addressProblem!.zh;
    save(ctx, { ...merged, awaiting: 'contact' });
    const rest = missing.filter((f) => f !== (problem ? 'phone' : 'address'));
    return say(ctx, `${zh}。${rest.length > 0 ? askContact(rest) : ''}`.replace(/。。/g, '。'), 'order_ask');
  }
  return proceed(ctx, desk, merged);
}

/** The checkout's own answers (a restarted draft answers for itself). */
const CHECKOUT_ANSWERS: ReadonlySet<string> = new Set<OrderAnswer>(['order_ask', 'order_summary', 'order_placed', 'order_refused', 'order_dropped']);

async function interrupted(ctx: TurnContext, next: () => Promise<void>, draft: CheckoutDraft): Promise<void> {
  await next();
  // A skill that remembers a new conversation wholesale (a hotel or deal search) must not drop the draft.
  if (ctx.session.checkout === undefined) ctx.session = { ...ctx.session, checkout: draft };
  const reply = ctx.reply;
  // A text answer to the question in between says the order still waits (a card or a list of cards cannot).
  if (reply?.type !== 'text' || reply.transfer || ctx.answeredBy === null || CHECKOUT_ANSWERS.has(ctx.answeredBy)) return;
  const p = draft.sku ? ctx.search.product(ctx.inbound.account, draft.sku) : null;
  const withReminder = `${reply.text}\n\n${reminder(draft, p?.variants ?? [])}`;
  if (Buffer.byteLength(withReminder) <= 2000) ctx.answer(text(withReminder), ctx.answeredBy);
}

async function place(ctx: TurnContext, desk: OrderDesk, draft: CheckoutDraft): Promise<void> {
  const m = ctx.inbound;
  // One unit of the data layer (on SQLite it commits in the same group commit as the turn's other writes).
  const r = await desk.place({
    account: m.account,
    user: m.user,
    channel: m.channel,
    source: 'chat',
    items: [{ sku: draft.sku!, variant: draft.variant, quantity: draft.quantity }],
    contact: { receiver: draft.receiver!, phone: draft.phone!, address: draft.address! },
    remark: null,
    roomId: roomOf(m),
    query: draft.query,
    // The draft's id: a 确认 delivered twice, or sent twice, makes one order.
    idempotencyKey: `chat:${draft.id}`,
  });
  if (r.ok) {
    save(ctx, null);
    ctx.note({ intent: 'order', resultIds: [draft.sku!] });
    return say(ctx, placed(r.order, ctx.links.order(r.order.id, m.user)), 'order_placed');
  }
  switch (r.reason) {
    case 'out_of_stock':
      if (r.left > 0) {
        save(ctx, { ...draft, quantity: r.left });
        return say(ctx, `库存不足：${itemName(r.title, null)}只剩 ${r.left} 件了。按 ${r.left} 件下单请回复「确认」，或回复「取消」。`, 'order_refused');
      }
      save(ctx, null);
      return say(ctx, `${itemName(r.title, null)}刚刚卖完了😅 这单没有下，看看别的吧。`, 'order_refused');
    case 'variant':
      save(ctx, { ...draft, variant: null, awaiting: 'variant' });
      return say(ctx, askVariant(r.title, r.variants), 'order_refused');
    case 'too_many_pending':
      save(ctx, null);
      return say(ctx, `您已有 ${r.limit} 个订单在等商家确认，请等确认后再下新单；回复「我的订单」查看。`, 'order_refused');
    case 'quantity':
      save(ctx, { ...draft, quantity: 1 });
      return say(ctx, `每单最多 ${MAX_QUANTITY} 件，要几件？回复比如「要2件」。`, 'order_refused');
    case 'not_found':
    case 'key_reused':
      save(ctx, null);
      return say(ctx, '这件商品刚刚下架了😅 这单没有下，看看别的吧。', 'order_refused');
  }
}
