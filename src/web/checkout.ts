/**
 * The mobile checkout: 立即下单 → a one-page form → the order page; the follower's orders; cancelling an order
 * not yet shipped. Every order goes through the desk (catalogue prices, stock reserved in the transaction, the
 * pending limit, the store and the referrer). The form's hidden key, made for this follower when the form is
 * rendered, is both its CSRF token and the order's idempotency key: a double tap or a retry makes one order.
 */
import express, { type Request, type Response, type Router } from 'express';
import { yuan } from '../agent/format.ts';
import type { Product } from '../catalogue/types.ts';
import { isInStock } from '../catalogue/types.ts';
import type { FollowerTokens } from '../core/follower-token.ts';
import { accountId, type AccountId, type UserId } from '../core/messages.ts';
import type { OrderDesk } from '../orders/desk.ts';
import type { Order } from '../orders/model.ts';
import type { CatalogueSearch } from '../search/catalogue-search.ts';
import { checkForm, formValues, initialValues, type FormProblems, type FormValues } from './checkout-form.ts';
import { orderForm, orderPage, ordersList } from './checkout-views.ts';
import { followerOf, pagesPath } from './follower.ts';
import { sendPage } from './follower-routes.ts';
import { html, type Html } from './html.ts';

export interface CheckoutOptions {
  readonly desk: OrderDesk;
  readonly search: CatalogueSearch;
  readonly tokens: FollowerTokens;
  readonly shopName: (account: AccountId) => string;
  /** A page that needs the follower and does not know them (see follower-routes.ts). */
  readonly needFollower: (req: Request, res: Response, account: AccountId, next: string) => void;
}

/** A referrer code or a query as a link or the form carries it (anything odd is dropped, not refused). */
export const refParam = (v: unknown): string | null => (typeof v === 'string' && /^[\w-]{1,64}$/.test(v) ? v : null);
export const queryParam = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 100) : null);

/** The checkout form of a product, with where the follower came from. */
export function buyHref(account: AccountId, sku: string, from: { ref: string | null; q: string | null }): string {
  const q = new URLSearchParams();
  if (from.ref) q.set('ref', from.ref);
  if (from.q) q.set('q', from.q);
  const tail = q.size ? `?${q}` : '';
  return `${pagesPath(account)}p/${encodeURIComponent(sku)}/buy${tail}`;
}

const orderHref = (account: AccountId, id: number) => `${pagesPath(account)}o/${id}`;
const nonceOf = (key: string) => key.split('.')[0]!;

export function checkoutPages(options: CheckoutOptions): Router {
  const { desk, search, tokens } = options;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

  const send = (res: Response, status: number, account: AccountId, title: string, body: Html, back: { href: string; label: string } | null = null) =>
    sendPage(res, status, options.shopName(account), title, body, back);
  const productBack = (account: AccountId, sku: string) => ({ href: `${pagesPath(account)}p/${encodeURIComponent(sku)}`, label: '返回商品' });
  const ordersBack = (account: AccountId) => ({ href: `${pagesPath(account)}orders`, label: '我的订单' });
  const accountOf = (req: Request) => accountId(String(req.params.account));
  const gone = (res: Response, account: AccountId, what: string) => send(res, 404, account, '没有找到', html`<p class="empty">${what}</p>`);

  const shippingNote = async (account: AccountId): Promise<string> => {
    const s = await desk.settings.get(account);
    if (s.shippingFen === 0) return '包邮';
    return s.freeShippingOverFen !== null ? `${yuan(s.shippingFen)}，满 ${yuan(s.freeShippingOverFen)} 包邮` : yuan(s.shippingFen);
  };

  const renderForm = async (res: Response, status: number, account: AccountId, p: Product, v: FormValues, problems: FormProblems, ctx: { key: string; ref: string | null; q: string | null; notice: string | null }) =>
    send(res, status, account, '填写订单', orderForm(p, v, problems, { ...ctx, action: buyHref(account, p.sku, { ref: null, q: null }), shippingNote: await shippingNote(account) }), productBack(account, p.sku));

  /** The product a form is for, when it can still be ordered. */
  const orderable = (account: AccountId, sku: string): Product | null => search.product(account, sku) ?? null;

  router.get('/m/:account/p/:sku/buy', async (req, res) => {
    const account = accountOf(req);
    const sku = String(req.params.sku);
    const user = followerOf(req, account, tokens);
    if (!user) return options.needFollower(req, res, account, req.originalUrl);
    const p = orderable(account, sku);
    if (!p) return gone(res, account, '这件商品不存在或已下架。');
    if (!isInStock(p)) return send(res, 409, account, '已售罄', html`<p class="empty">「${p.title}」已售罄，暂时不能下单。<br><a href="${pagesPath(account)}p/${encodeURIComponent(sku)}">返回商品页</a></p>`);
    const contact = await desk.orders.contactOf(account, user);
    await renderForm(res, 200, account, p, initialValues(contact), {}, { key: tokens.formKey(account, user), ref: refParam(req.query.ref), q: queryParam(req.query.q), notice: null });
  });

  router.post('/m/:account/p/:sku/buy', form, async (req, res) => {
    const account = accountOf(req);
    const sku = String(req.params.sku);
    const user = followerOf(req, account, tokens);
    if (!user) return options.needFollower(req, res, account, buyHref(account, sku, { ref: null, q: null }));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const key = typeof body.key === 'string' ? body.key : '';
    if (!tokens.checkFormKey(account, user, key)) {
      return send(res, 403, account, '页面已失效', html`<p class="empty">这个页面已失效，请<a href="${buyHref(account, sku, { ref: null, q: null })}">重新打开下单页</a>再提交。</p>`);
    }
    const p = orderable(account, sku);
    if (!p) return gone(res, account, '这件商品不存在或已下架。');
    const values = formValues(body);
    const ref = refParam(body.ref);
    const q = queryParam(body.q);
    const again = (status: number, problems: FormProblems, notice: string | null) => renderForm(res, status, account, p, values, problems, { key, ref, q, notice });
    const checked = checkForm(values, p.variants ?? []);
    if (!checked.ok) return again(422, checked.problems, null);
    const { order } = checked;
    const placed = await desk.place({
      account, user, channel: 'wechat', source: 'page',
      items: [{ sku, variant: order.variant, quantity: order.quantity }],
      contact: order.contact, remark: order.remark, ref, query: q, idempotencyKey: `page:${nonceOf(key)}`,
    });
    if (placed.ok) return void res.redirect(303, `${orderHref(account, placed.order.id)}${placed.created ? '?placed=1' : ''}`);
    switch (placed.reason) {
      case 'out_of_stock':
        return again(409, {}, placed.left > 0 ? `库存不足：「${placed.title}」仅剩 ${placed.left} 件，请减少数量` : `库存不足：「${placed.title}」已售罄`);
      case 'too_many_pending':
        return again(429, {}, `您有 ${placed.limit} 个订单正等待商家确认，一小时内不能再下更多订单。请等商家确认，或回到公众号联系客服。`);
      case 'variant':
        return again(422, { variant: `请选择规格：${placed.variants.join('、')}` }, null);
      case 'quantity':
        return again(422, { quantity: '数量应是 1 以上的整数' }, null);
      case 'not_found':
        return gone(res, account, '这件商品不存在或已下架。');
      case 'key_reused':
        return renderForm(res, 409, account, p, values, {}, { key: tokens.formKey(account, user), ref, q, notice: '页面已失效，请再提交一次' });
    }
  });

  /** The follower's own order, or null (someone else's is "not found": no order numbers to probe). */
  const ownOrder = async (account: AccountId, user: UserId, raw: unknown): Promise<Order | null> => {
    const id = Number(raw);
    if (!Number.isSafeInteger(id) || id < 1) return null;
    const o = await desk.orders.get(account, id);
    return o && o.user === user ? o : null;
  };

  const showOrder = (res: Response, status: number, account: AccountId, user: UserId, o: Order, notice: string | null, placedNow: boolean) => {
    const cancellable = o.status === 'placed' || o.status === 'confirmed';
    send(res, status, account, `订单 ${o.id}`, orderPage(o, { orders: `${pagesPath(account)}orders`, cancel: cancellable ? `${orderHref(account, o.id)}/cancel` : null, key: tokens.formKey(account, user) }, notice, placedNow), ordersBack(account));
  };

  router.get('/m/:account/o/:id', async (req, res) => {
    const account = accountOf(req);
    const user = followerOf(req, account, tokens);
    if (!user) return options.needFollower(req, res, account, req.originalUrl);
    const o = await ownOrder(account, user, req.params.id);
    if (!o) return gone(res, account, '这个订单不存在。');
    showOrder(res, 200, account, user, o, null, req.query.placed === '1');
  });

  router.post('/m/:account/o/:id/cancel', form, async (req, res) => {
    const account = accountOf(req);
    const user = followerOf(req, account, tokens);
    if (!user) return options.needFollower(req, res, account, orderHref(account, Number(req.params.id) || 0));
    const o = await ownOrder(account, user, req.params.id);
    if (!o) return gone(res, account, '这个订单不存在。');
    const key = typeof req.body?.key === 'string' ? (req.body.key as string) : '';
    if (!tokens.checkFormKey(account, user, key)) return showOrder(res, 403, account, user, o, '页面已失效，请再点一次「取消订单」', false);
    const r = await desk.act(account, o.id, { kind: 'cancel', reason: '买家在订单页取消' }, { kind: 'follower', user });
    if (!r.ok) return r.reason === 'not_found' ? gone(res, account, '这个订单不存在。') : showOrder(res, 409, account, user, r.order, r.messageZh, false);
    res.redirect(303, orderHref(account, o.id));
  });

  router.get('/m/:account/orders', async (req, res) => {
    const account = accountOf(req);
    const user = followerOf(req, account, tokens);
    if (!user) return options.needFollower(req, res, account, req.originalUrl);
    send(res, 200, account, '我的订单', ordersList(await desk.orders.ofFollower(account, user, 20), (id) => orderHref(account, id)));
  });

  return router;
}
