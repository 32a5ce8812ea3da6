/**
 * The controls of a list page: sort tabs, the price filter, the pager, and the `from` a list hands to the
 * items it links. All plain links and one GET form, so they work without scripts. Every link is built from
 * the list's canonical parameters (what the page validated and applied), so sorting, filtering and paging
 * keep each other, and a parameter the page ignored is not carried on.
 */
import { yuan } from '../agent/format.ts';
import { html, type Html } from './html.ts';

/** A list's canonical parameters, in link order (empty values left out). */
export type ListState = readonly (readonly [string, string])[];

type ListKind = 'products' | 'hotels' | 'deals';

/** @example listState({ city: '上海', sort: null, min: 10000 }) // [['city', '上海'], ['min', '10000']] */
export function listState(params: Record<string, string | number | null | undefined>): ListState {
  return Object.entries(params)
    .filter((kv): kv is [string, string | number] => kv[1] !== null && kv[1] !== undefined && kv[1] !== '')
    .map(([k, v]) => [k, String(v)] as const);
}

/**
 * A link to this list with `changes` applied (null removes a parameter): a query-only relative URL, so it
 * stays right behind a proxy that mounts the pages under a prefix.
 */
export function listHref(state: ListState, changes: Record<string, string | number | null> = {}): string {
  const params = new URLSearchParams(state.filter(([k]) => !(k in changes)).map(([k, v]) => [k, v]));
  for (const [k, v] of Object.entries(changes)) if (v !== null) params.set(k, String(v));
  return `?${params}`;
}

export interface SortOption {
  readonly value: string;
  readonly label: string;
}

/** One tab per order; the current one marked. Changing the order goes back to page 1. */
export function sortTabs(state: ListState, options: readonly SortOption[], current: string): Html {
  return html`<nav class="tabs" aria-label="排序">${options.map(
    (o) => html`<a href="${listHref(state, { sort: o.value, page: null })}"${o.value === current ? html` class="on" aria-current="true"` : ''}>${o.label}</a>`,
  )}</nav>`;
}

/** Yuan as typed in the filter: 「100」, 「99.5」, 「¥200」 (at most ¥1 亿, two decimals). */
const YUAN = /^[¥￥]?\s*(\d{1,8})(?:\.(\d{1,2}))?$/;

export interface PriceInput {
  /** True when the filter form was sent (its fields then replace any price in the link). */
  readonly given: boolean;
  readonly minFen: number | null;
  readonly maxFen: number | null;
  /** What was wrong with what was typed (that field is ignored). */
  readonly problem: string | null;
}

/**
 * Reads the price filter's fields, `lo` and `hi` in yuan. A field that is not a price is ignored, with a
 * word about it; a range typed backwards is turned round.
 * @example priceInput({ lo: '300', hi: '100' }) // { given: true, minFen: 10000, maxFen: 30000, problem: null }
 */
export function priceInput(query: Record<string, unknown>): PriceInput {
  if (query.lo === undefined && query.hi === undefined) return { given: false, minFen: null, maxFen: null, problem: null };
  let problem: string | null = null;
  const read = (v: unknown): number | null => {
    if (v === undefined || v === '') return null;
    const m = typeof v === 'string' ? YUAN.exec(v.trim()) : null;
    if (!m) {
      problem = '价格请填数字，比如 100 或 99.5；填错的一项已忽略。';
      return null;
    }
    return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  };
  let [minFen, maxFen] = [read(query.lo), read(query.hi)];
  if (minFen !== null && maxFen !== null && minFen > maxFen) [minFen, maxFen] = [maxFen, minFen];
  return { given: true, minFen, maxFen, problem };
}

const yuanField = (fen: number | null) => (fen === null ? '' : yuan(fen).slice(1));

/**
 * The price filter: a GET form carrying the list's other parameters; 「清除」 when a price applies.
 * `min`/`max` in links are fen (what the bot's links carry); the form's `lo`/`hi` are yuan.
 */
export function priceFilter(state: ListState, minFen: number | null, maxFen: number | null): Html {
  const keep = state.filter(([k]) => k !== 'min' && k !== 'max' && k !== 'page');
  const active = minFen !== null || maxFen !== null;
  return html`<form class="filter" method="get">价格${keep.map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<input name="lo" inputmode="decimal" placeholder="最低" value="${yuanField(minFen)}" aria-label="最低价（元）">—<input name="hi" inputmode="decimal" placeholder="最高" value="${yuanField(maxFen)}" aria-label="最高价（元）">
<button type="submit">筛选</button>${active ? html`<a href="${listHref(state, { min: null, max: null, page: null })}">清除</a>` : ''}</form>`;
}

/** ‹ 上一页 · 下一页 › around page `n`. */
export function pager(state: ListState, n: number, hasNext: boolean): Html {
  const prev = n > 1 ? html`<a href="${listHref(state, { page: n - 1 })}">‹ 上一页</a>` : html`<span></span>`;
  const next = hasNext ? html`<a href="${listHref(state, { page: n + 1 })}">下一页 ›</a>` : html`<span></span>`;
  return html`<div class="pager">${prev}${next}</div>`;
}

/** A page number beyond the list (an old link, a list that shrank): not "nothing matches", but where to go. */
export function pastTheEnd(state: ListState): Html {
  return html`<p class="empty">已经翻到最后啦。<a href="${listHref(state, { page: null })}">回到第一页 ›</a></p>`;
}

/** The `from` an item link carries: this list (and page), to come back to. */
export function fromOf(kind: ListKind, state: ListState, n: number): string {
  const query = listHref(state, { page: n > 1 ? n : null });
  return query === '?' ? kind : `${kind}${query}`;
}

/** Longer than this, a `from` is not trusted to be one of ours. */
const FROM_MAX = 2000;
const FROM = /^(products|hotels|deals)(\?[^#\s]*)?$/;

/**
 * Where an item page's back link goes: the list it came from (`from`), relative to the item
 * (`../products?…`). Only a list of these pages is accepted, so the link can never leave the site.
 */
export function backFrom(from: unknown): string | null {
  if (typeof from !== 'string' || from.length > FROM_MAX || !FROM.test(from)) return null;
  return `../${from}`;
}
