/**
 * The one script of the mobile pages, inline in <head> and allowed by its hash alone (no 'unsafe-inline'):
 * the pages work without it, it only makes two things better.
 *
 * - A picture whose URL fails to load is removed, and its frame marked `noimg`: the placeholder drawn
 *   beneath it shows, and a hero shrinks to a band. (Without the script, styles.ts draws the mark over the
 *   broken image with `img::before`, which Chromium and Firefox render only for an image that failed.)
 * - 「回到公众号」 closes the page inside WeChat, which brings the follower back to the chat:
 *   `WeixinJSBridge.call('closeWindow')` needs no JS-SDK signature; the bridge may be injected after the
 *   page's scripts, hence `WeixinJSBridgeReady`. The link itself goes to #chat, the footer that says how to
 *   get back, which is what a follower outside WeChat (or without scripts) sees.
 * A capturing listener on the document sees every image's error event (they do not bubble), also those of
 * lazy images; being in <head>, it is listening before the first <img> is parsed.
 */
import { createHash } from 'node:crypto';

export const PAGE_SCRIPT = [
  '(function(){var d=document;',
  "d.addEventListener('error',function(e){var t=e.target;if(t&&t.tagName==='IMG'&&t.parentNode){t.parentNode.classList.add('noimg');t.parentNode.removeChild(t)}},true);",
  "d.addEventListener('click',function(e){var a=e.target&&e.target.closest&&e.target.closest('[data-close]');",
  'if(!a||!/MicroMessenger/i.test(navigator.userAgent))return;',
  "var c=function(){window.WeixinJSBridge.call('closeWindow')};",
  "if(window.WeixinJSBridge)c();else d.addEventListener('WeixinJSBridgeReady',c,false)})})();",
].join('');

/** The CSP source that allows exactly PAGE_SCRIPT. */
export const PAGE_SCRIPT_SOURCE = `'sha256-${createHash('sha256').update(PAGE_SCRIPT).digest('base64')}'`;
