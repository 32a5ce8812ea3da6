/**
 * The console runs under a CSP without 'unsafe-inline' for styles: every <style> must carry the page's
 * nonce (the server puts a fresh one in <meta property="csp-nonce">). antd's CSS-in-JS takes it from
 * ConfigProvider's `csp`, but a few helpers underneath insert styles without asking (rc-util's scrollbar
 * measurement, which every antd Table runs), so the nonce is also stamped on every <style> this bundle
 * creates. Styles arriving in parsed HTML (an injection) get none and stay blocked.
 */

export const nonce: string | undefined = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;

if (nonce) {
  const create = document.createElement.bind(document) as (tag: string, options?: ElementCreationOptions) => HTMLElement;
  document.createElement = ((tag: string, options?: ElementCreationOptions) => {
    const el = create(tag, options);
    if (el instanceof HTMLStyleElement) el.nonce = nonce;
    return el;
  }) as typeof document.createElement;
}
