/**
 * HTML for the mobile pages: one escaping function used for every value, and one page layout.
 * Catalogue text is data from merchants' files; it is escaped wherever it is rendered.
 */

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

/** A complete page, readable on a phone: no scripts, inline CSS only. */
export function page(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body{margin:0;font:16px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f5f5f5;color:#222}
header{background:#e4393c;color:#fff;padding:12px 16px;font-size:18px}
main{padding:8px}
.item{display:flex;gap:12px;background:#fff;border-radius:8px;padding:10px;margin:8px 0;text-decoration:none;color:inherit}
.item img{width:88px;height:88px;object-fit:cover;border-radius:6px;background:#eee;flex:none}
.title{font-size:15px;margin:0 0 4px}
.price{color:#e4393c;font-size:17px;font-weight:600}
.orig{color:#999;text-decoration:line-through;font-size:13px;margin-left:6px}
.meta{color:#666;font-size:13px}
.pager{display:flex;justify-content:space-between;padding:12px 4px}
.pager a,.buy{color:#e4393c}
.empty{padding:24px;text-align:center;color:#666}
.hero{width:100%;max-height:360px;object-fit:cover;background:#eee}
.card{background:#fff;border-radius:8px;padding:12px;margin:8px 0}
.buy{display:block;text-align:center;background:#e4393c;color:#fff;border-radius:22px;padding:10px;margin-top:12px;text-decoration:none}
</style></head>
<body><header>${title}</header><main>${body}</main></body></html>`.value;
}

/** Security headers for every mobile page: nothing runs, nothing is framed, images only over http(s). */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
