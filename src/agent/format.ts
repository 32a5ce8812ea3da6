/** Small pure formatters for replies: money, distance, titles, and catalogue text made safe for a text reply. */

/** Integer fen as yuan: 19900 → "¥199", 1990 → "¥19.9", 1999 → "¥19.99". */
export function yuan(fen: number): string {
  const whole = fen % 100 === 0;
  return `¥${whole ? fen / 100 : (fen / 100).toFixed(2).replace(/0$/, '')}`;
}

/** 0.35 → "350米", 2.26 → "2.3公里". */
export function distance(km: number): string {
  return km < 1 ? `${Math.max(10, Math.round((km * 1000) / 10) * 10)}米` : `${km < 10 ? km.toFixed(1) : Math.round(km)}公里`;
}

/**
 * Catalogue text as it may appear inside a text reply: no markup (angle brackets and quotes become
 * their full-width look-alikes, so an imported `<a href=…>` or `<script>` is shown, never interpreted),
 * no line breaks, trimmed.
 */
export function plain(text: string): string {
  return text
    .replace(/[<>"&]/g, (c) => ({ '<': '＜', '>': '＞', '"': '＂', '&': '＆' })[c]!)
    .replace(/[\r\n\t]+/g, ' ')
    .trim();
}

/** Shortens titles only beyond 24 characters (by code point, so emoji are never split). */
export function shortTitle(title: string, max = 24): string {
  const chars = [...title];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : title;
}

/** A link inside a text reply. `url` must already be safe (see web/links.ts). */
export function link(url: string, label: string): string {
  return `<a href="${url.replace(/"/g, '%22')}">${plain(label)}</a>`;
}
