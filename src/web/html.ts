/**
 * HTML for the mobile pages: one escaping function used for every value, and one page layout.
 * Catalogue text is data from merchants' files; it is escaped wherever it is rendered.
 */
import { PAGE_SCRIPT, PAGE_SCRIPT_SOURCE } from './page-script.ts';
import { PAGE_CSS } from './styles.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A tagged template whose interpolations are escaped unless they are `Html` already. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return esc(v);
}

/** What a page shows around its body. */
export interface Layout {
  /** The shop's name (the account_name setting): the bar's title and part of the tab's. */
  readonly shop: string;
  /** What the page is: the tab's title. */
  readonly title: string;
  /** A link back to the list an item was opened from (relative). */
  readonly back?: { readonly href: string; readonly label: string } | null;
  readonly body: Html;
}

/**
 * A complete page, readable on a phone: the shop's bar (a way back to the list, and 「回到公众号」), the body,
 * and a footer saying how to get back to the chat. Inline CSS; one inline script, allowed by its hash.
 */
export function page(layout: Layout): string {
  const { shop, title, back, body } = layout;
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>${title} - ${shop}</title>
<style>${new Html(PAGE_CSS)}</style>
<script>${new Html(PAGE_SCRIPT)}</script>
</head>
<body><header class="bar">${back ? html`<a class="back" href="${back.href}">‹ ${back.label}</a>` : ''}<span class="shop">${shop}</span><a class="chat" href="#chat" data-close>回到公众号</a></header>
<main>${body}</main>
<footer id="chat"><p><b>回到公众号「${shop}」</b></p><p>在微信里：点左上角的 ✕ 关闭本页，就回到和「${shop}」的聊天。</p><p>在浏览器里：打开微信，搜索公众号「${shop}」，发消息就能接着逛。</p></footer>
</body></html>`.value;
}

/**
 * Security headers for every mobile page: only the page's own script runs, nothing is framed, images only
 * over http(s), forms only to this server (the lists' price filter is a GET form).
 */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `default-src 'none'; script-src ${PAGE_SCRIPT_SOURCE}; img-src https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
