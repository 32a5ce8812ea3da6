/**
 * The checkout's pages as HTML: the order form, an order with its status, the follower's orders, and the
 * pages that say what to do when the page cannot tell who the follower is. Pure; every value escaped.
 */
import { yuan } from '../agent/format.ts';
import type { Product } from '../catalogue/types.ts';
import { maskPhone } from '../orders/contact.ts';
import { PAYMENT_METHODS, STATUS_ZH, type Order } from '../orders/model.ts';
import type { FormField, FormProblems, FormValues } from './checkout-form.ts';
import { html, type Html } from './html.ts';
import { productPicture } from './rows.ts';

const when = (ms: number) =>
  new Date(ms).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** What the form posts besides the fields: its key, and where the follower came from. */
export interface FormContext {
  readonly action: string;
  readonly key: string;
  readonly ref: string | null;
  readonly q: string | null;
  /** A problem with the whole order (库存不足, too many pending), shown over the form. */
  readonly notice: string | null;
  readonly shippingNote: string;
}

const problem = (problems: FormProblems, f: FormField): Html => (problems[f] ? html`<p class="err" id="${f}-err">${problems[f]}</p>` : html``);
const invalid = (problems: FormProblems, f: FormField): Html =>
  problems[f] ? html` aria-invalid="true" aria-describedby="${f}-err"` : html``;

function input(label: string, name: FormField, v: FormValues, problems: FormProblems, attrs: Html): Html {
  return html`<label class="field${problems[name] ? ' bad' : ''}"><span>${label}</span><input name="${name}" value="${v[name as keyof FormValues]}"${attrs}${invalid(problems, name)}></label>${problem(problems, name)}`;
}

/** The one-page order form: the product, quantity and variant, the contact, a remark, cash on delivery. */
export function orderForm(p: Product, v: FormValues, problems: FormProblems, ctx: FormContext): Html {
  const variants = p.variants ?? [];
  const left = p.stock !== null && p.stock <= 10 ? html`<span class="meta left">仅剩 ${p.stock} 件</span>` : '';
  return html`<h1>填写订单</h1>
${ctx.notice ? html`<p class="alert" role="alert">${ctx.notice}</p>` : ''}
${Object.keys(problems).length ? html`<p class="alert" role="alert">请按提示修改标红的内容</p>` : ''}
<form class="order" method="post" action="${ctx.action}" novalidate>
<input type="hidden" name="key" value="${ctx.key}">${ctx.ref ? html`<input type="hidden" name="ref" value="${ctx.ref}">` : ''}${ctx.q ? html`<input type="hidden" name="q" value="${ctx.q}">` : ''}
<div class="card line">${productPicture(p)}<div class="info"><p class="title">${p.title}</p><p><span class="price">${yuan(p.priceFen)}</span>${left}</p></div></div>
<div class="card">
<label class="field${problems.quantity ? ' bad' : ''}"><span>数量</span><input name="quantity" value="${v.quantity}" inputmode="numeric" pattern="[0-9]*" maxlength="2"${invalid(problems, 'quantity')}></label>${problem(problems, 'quantity')}
${variants.length ? html`<fieldset class="field variants${problems.variant ? ' bad' : ''}"><legend>规格</legend>${variants.map((name) => html`<label class="chip"><input type="radio" name="variant" value="${name}"${v.variant === name ? html` checked` : ''}><span>${name}</span></label>`)}</fieldset>${problem(problems, 'variant')}` : ''}
</div>
<div class="card"><h2>收货信息</h2>
${input('收货人', 'receiver', v, problems, html` autocomplete="name" maxlength="20" placeholder="姓名"`)}
${input('手机号', 'phone', v, problems, html` type="tel" autocomplete="tel" inputmode="tel" maxlength="20" placeholder="11 位手机号"`)}
<label class="field${problems.address ? ' bad' : ''}"><span>地址</span><textarea name="address" rows="2" maxlength="120" autocomplete="street-address" placeholder="省市区、街道、门牌号"${invalid(problems, 'address')}>${v.address}</textarea></label>${problem(problems, 'address')}
${input('备注', 'remark', v, problems, html` maxlength="100" placeholder="选填，如送货时间"`)}
</div>
<div class="card"><dl class="facts"><dt>付款方式</dt><dd>${PAYMENT_METHODS.cod.name}</dd><dt>运费</dt><dd>${ctx.shippingNote}</dd></dl></div>
<button class="buy submit" type="submit">提交订单</button>
<p class="meta center">价格以下单时商品价格为准，提交后商家会尽快确认</p>
</form>`;
}

const STEPS = ['placed', 'confirmed', 'shipped', 'delivered'] as const;

/** An order: its status (a step line), the items and the money, the contact, and a cancel button while allowed. */
export function orderPage(o: Order, links: { readonly orders: string; readonly cancel: string | null; readonly key: string }, notice: string | null, placedNow: boolean): Html {
  const reached = STEPS.indexOf(o.status as (typeof STEPS)[number]);
  return html`${placedNow ? html`<p class="ok" role="status">下单成功！商家确认后会通知您。</p>` : ''}${notice ? html`<p class="alert" role="alert">${notice}</p>` : ''}
<div class="card"><p class="status s-${o.status}">${STATUS_ZH[o.status]}</p><p class="meta">订单号 ${o.id} · ${when(o.createdAt)}</p>
${o.status === 'cancelled' ? html`<p class="meta">${o.cancelReason ? `取消原因：${o.cancelReason}` : ''}</p>` : html`<ol class="steps">${STEPS.map((s, i) => html`<li class="${i <= reached ? 'done' : ''}">${STATUS_ZH[s]}</li>`)}</ol>`}
${o.shipment ? html`<p class="meta">${o.shipment.carrier} ${o.shipment.trackingNo}</p>` : ''}</div>
<div class="card"><h2>商品</h2>${o.items.map((i) => html`<div class="row"><span>${i.title}${i.variant ? html` <small>${i.variant}</small>` : ''} × ${i.quantity}</span><span>${yuan(i.unitFen * i.quantity)}</span></div>`)}
<div class="row"><span>运费</span><span>${o.shippingFen ? yuan(o.shippingFen) : '包邮'}</span></div>
<div class="row total"><span>合计（${PAYMENT_METHODS[o.payment.method].name}）</span><span class="price">${yuan(o.totalFen)}</span></div></div>
<div class="card"><h2>收货信息</h2><dl class="facts"><dt>收货人</dt><dd>${o.contact.receiver}</dd><dt>手机号</dt><dd>${maskPhone(o.contact.phone)}</dd><dt>地址</dt><dd>${o.contact.address}</dd>${o.remark ? html`<dt>备注</dt><dd>${o.remark}</dd>` : ''}</dl></div>
${links.cancel ? html`<form method="post" action="${links.cancel}" class="cancel"><input type="hidden" name="key" value="${links.key}"><button type="submit" class="ghost">取消订单</button></form>` : ''}
<p class="center"><a class="more" href="${links.orders}">我的全部订单 ›</a></p>`;
}

/** The follower's recent orders, newest first. */
export function ordersList(orders: readonly Order[], orderHref: (id: number) => string): Html {
  if (!orders.length) return html`<h1>我的订单</h1><p class="empty">还没有订单。在商品页点「立即下单」，或在公众号里回复「买第1个」就能下单。</p>`;
  return html`<h1>我的订单<small>最近 ${orders.length} 个</small></h1>${orders.map(
    (o) => html`<a class="item" href="${orderHref(o.id)}"><div class="info"><p class="title">${o.items.map((i) => `${i.title}${i.variant ? ` ${i.variant}` : ''} ×${i.quantity}`).join('，')}</p><p class="meta">订单号 ${o.id} · ${when(o.createdAt)}</p></div><div class="side"><span class="status s-${o.status}">${STATUS_ZH[o.status]}</span><span class="price">${yuan(o.totalFen)}</span></div></a>`,
  )}`;
}

export type IdentityTrouble = 'forged' | 'expired' | 'unknown' | 'oauth_failed';

const TROUBLE: Readonly<Record<IdentityTrouble, { title: string; text: string }>> = {
  forged: { title: '链接无效', text: '这个链接不完整或被改动过，无法确认您的身份。' },
  expired: { title: '链接已过期', text: '这个链接已过期（链接 7 天内有效）。' },
  unknown: { title: '请从公众号打开', text: '下单需要知道您是谁：请从公众号发给您的链接打开本页。' },
  oauth_failed: { title: '没能确认身份', text: '微信授权没有完成（授权码无效或已用过）。' },
};

/** What to do when the page cannot tell who the follower is: back to the chat, or through WeChat's authorisation. */
export function identityPage(trouble: IdentityTrouble, ways: { readonly authorize: string | null; readonly browse: string | null }): { title: string; body: Html } {
  const t = TROUBLE[trouble];
  return {
    title: t.title,
    body: html`<div class="card notice-card"><h1>${t.title}</h1><p>${t.text}</p><p>请回到公众号，回复「我的订单」或重新搜索商品，用新收到的链接打开。</p>
${ways.authorize ? html`<a class="buy" href="${ways.authorize}">用微信身份继续</a>` : ''}${ways.browse ? html`<p class="center"><a class="more" href="${ways.browse}">先随便看看（不下单）›</a></p>` : ''}</div>`,
  };
}
