/**
 * The mobile pages' CSS, inlined in every page (about 8 KB with the checkout's: one request per page, nothing to cache-bust).
 * Written for the WeChat in-app browsers (XWeb/X5 on Android, WKWebView on iOS): no `inset` or
 * `aspect-ratio`, which older kernels lack; square frames use the padding-top trick. `.pic img::before`
 * is the no-script stand-in for a picture that failed (see page-script.ts).
 */
export const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;background:#f5f5f5;color:#222;-webkit-text-size-adjust:100%}
a{color:inherit;text-decoration:none}
.bar{position:sticky;top:0;z-index:2;display:flex;align-items:center;gap:8px;height:48px;padding:0 12px;background:#e4393c;color:#fff}
.bar .shop{flex:1;min-width:0;font-size:17px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bar .back{white-space:nowrap;padding:6px 6px 6px 0}
.bar .chat{flex:none;font-size:13px;border:1px solid rgba(255,255,255,.75);border-radius:14px;padding:2px 10px;white-space:nowrap}
main{padding:0 10px 8px}
h1{font-size:17px;margin:12px 2px 8px}
h1 small{color:#999;font-size:13px;font-weight:400;margin-left:6px}
.tabs{display:flex;gap:4px;background:#fff;border-radius:8px;padding:4px;margin:0 0 8px}
.tabs a{flex:1;text-align:center;padding:6px 0;border-radius:6px;font-size:14px;color:#555;white-space:nowrap}
.tabs a.on{background:#fdeaea;color:#e4393c;font-weight:600}
.filter{display:flex;align-items:center;gap:6px;background:#fff;border-radius:8px;padding:8px 10px;margin:0 0 8px;font-size:14px;color:#555}
.filter input{flex:1;width:0;min-width:0;height:32px;border:1px solid #ddd;border-radius:6px;padding:0 8px;font:inherit;color:#222}
.filter button{flex:none;height:32px;border:0;border-radius:6px;background:#e4393c;color:#fff;padding:0 14px;font:inherit}
.filter a{flex:none;color:#999;font-size:13px}
.notice{background:#fff7e6;color:#ad6800;border-radius:8px;padding:8px 10px;font-size:13px;margin:0 0 8px}
.item{display:flex;gap:12px;background:#fff;border-radius:8px;padding:10px;margin:0 0 8px}
.item .info{flex:1;min-width:0}
.title{font-size:15px;margin:0 0 4px;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.price{color:#e4393c;font-size:17px;font-weight:600}
.orig{color:#999;text-decoration:line-through;font-size:13px;margin-left:6px}
.off{display:inline-block;color:#e4393c;border:1px solid #f5b5b6;border-radius:4px;font-size:11px;line-height:16px;padding:0 4px;margin-left:6px;vertical-align:2px}
.meta{color:#888;font-size:13px;margin:4px 0 0}
.pic{display:block;position:relative;flex:none;width:88px;height:88px;border-radius:6px;overflow:hidden;background:hsl(var(--h),55%,93%);color:hsl(var(--h),40%,42%)}
.pic img{position:absolute;top:0;left:0;width:100%;height:100%;object-fit:cover}
.pic img::before{content:attr(data-mark);position:absolute;top:0;left:0;width:100%;height:100%;display:flex;align-items:center;justify-content:center;background:hsl(var(--h),55%,93%);font-size:30px;font-weight:700}
.hero img::before{font-size:56px}
.ph{position:absolute;top:0;left:0;right:0;bottom:0;display:flex;flex-direction:column;align-items:center;justify-content:center;text-align:center}
.ph b{font-size:30px;line-height:1.15}
.ph small{font-size:11px;max-width:92%;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.pic.hero{width:auto;height:100vw;max-height:480px;margin:0 -10px;border-radius:0}
.pic.hero.noimg{height:150px}
.hero .ph b{font-size:56px}
.hero .ph small{font-size:14px}
.card{background:#fff;border-radius:8px;padding:12px;margin:8px 0}
.card h2{font-size:15px;margin:0 0 8px}
.prices{margin:0}
.prices .price{font-size:22px}
.card .title{font-size:17px;font-weight:600;margin:4px 0 0;-webkit-line-clamp:3}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0 0;padding:0;list-style:none}
.chips li{background:#f3f3f3;color:#666;border-radius:4px;padding:1px 8px;font-size:12px}
.facts{display:grid;grid-template-columns:auto 1fr;gap:6px 16px;margin:0;font-size:14px}
.facts dt{color:#999}
.facts dd{margin:0;min-width:0;overflow-wrap:anywhere}
.facts a,.more,.empty a,.pager a{color:#e4393c}
.desc{white-space:pre-line;margin:0;font-size:14px;color:#444;overflow-wrap:anywhere}
.buy{display:block;text-align:center;background:#e4393c;color:#fff;border-radius:22px;padding:10px;margin:12px 0 0}
.ended{text-align:center;color:#999;margin:12px 0 0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:8px}
.grid a{background:#fff;border-radius:8px;overflow:hidden}
.grid .pic{width:100%;height:0;padding-top:100%;border-radius:0}
.grid p{margin:6px 8px 2px;font-size:13px;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.grid .price{display:block;margin:0 8px 8px;font-size:15px}
.section{display:flex;justify-content:space-between;align-items:baseline;margin:16px 2px 8px}
.section h2{font-size:15px;margin:0}
.more{font-size:13px}
.pager{display:flex;justify-content:space-between;padding:8px 4px}
.empty{padding:24px;text-align:center;color:#666}
.center{text-align:center}
.barspace{height:64px}
.orderbar{position:fixed;left:0;right:0;bottom:0;z-index:3;display:flex;align-items:center;gap:8px;padding:8px 12px calc(8px + env(safe-area-inset-bottom));background:#fff;box-shadow:0 -1px 6px rgba(0,0,0,.08)}
.orderbar .price{font-size:20px}
.orderbar .meta{flex:1;margin:0}
.orderbar .order{flex:none;background:#e4393c;color:#fff;border-radius:22px;padding:10px 28px;font-size:16px;font-weight:600}
.alert{background:#fdeaea;color:#c1272d;border-radius:8px;padding:10px 12px;font-size:14px;margin:8px 0}
.ok{background:#e8f7ee;color:#1a7f43;border-radius:8px;padding:10px 12px;font-size:14px;margin:12px 0 8px}
.line{display:flex;gap:12px}
.line .info{flex:1;min-width:0}
.meta.left{margin-left:8px}
.field{display:flex;align-items:center;gap:10px;padding:8px 0;border-bottom:1px solid #f0f0f0;margin:0}
.field:last-of-type{border-bottom:0}
.field>span,.field legend{flex:none;width:56px;color:#555;font-size:14px}
.field input,.field textarea{flex:1;min-width:0;border:0;font:inherit;font-size:16px;color:#222;padding:6px 0;background:transparent;resize:none}
.field input:focus,.field textarea:focus{outline:none}
.field.bad>span,.field.bad legend{color:#e4393c}
.err{color:#e4393c;font-size:13px;margin:0 0 4px 66px}
.variants{border:0;flex-wrap:wrap;padding:8px 0}
.variants legend{float:left;padding:6px 0}
.chip{display:inline-block;margin:4px 8px 4px 0}
.chip input{position:absolute;opacity:0}
.chip span{display:inline-block;min-width:44px;text-align:center;border:1px solid #ddd;border-radius:16px;padding:4px 14px;font-size:14px}
.chip input:checked+span{border-color:#e4393c;color:#e4393c;background:#fdeaea}
.chip input:focus-visible+span{outline:2px solid #e4393c}
.submit{width:100%;border:0;font:inherit;font-size:17px;font-weight:600;padding:12px}
.ghost{width:100%;background:#fff;border:1px solid #ddd;border-radius:22px;padding:10px;font:inherit;color:#555}
.status{font-size:20px;font-weight:600;margin:0;color:#e4393c}
.s-delivered{color:#1a7f43}.s-cancelled{color:#999}
.steps{display:flex;list-style:none;padding:0;margin:12px 0 0;counter-reset:step}
.steps li{flex:1;text-align:center;font-size:12px;color:#aaa;position:relative;padding-top:18px}
.steps li::before{content:"";position:absolute;top:4px;left:50%;width:10px;height:10px;margin-left:-5px;border-radius:50%;background:#ddd}
.steps li.done{color:#e4393c}
.steps li.done::before{background:#e4393c}
.row{display:flex;justify-content:space-between;gap:12px;font-size:14px;padding:4px 0}
.row small{color:#999}
.row.total{border-top:1px solid #f0f0f0;margin-top:6px;padding-top:8px;font-weight:600}
.item .side{display:flex;flex-direction:column;align-items:flex-end;justify-content:space-between;flex:none}
.item .side .status{font-size:13px}
.item .side .price{font-size:15px}
.notice-card{text-align:center;padding:24px 16px;margin-top:16px}
.notice-card p{color:#555}
footer{margin:16px 10px 0;padding:12px 2px 24px;border-top:1px solid #e5e5e5;color:#888;font-size:13px}
footer p{margin:0 0 4px}
footer b{color:#555}
footer:target{background:#fff7e6;border-radius:8px;padding:12px}
`
  .trim()
  .replace(/\n/g, '');
