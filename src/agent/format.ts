/** Small pure formatters for replies: money, distance, titles, and catalogue text made safe for a text reply. */

/** Integer fen as yuan: 19900 → "¥199", 1990 → "¥19.9", 1999 → "¥19.99". */
export function yuan(fen: number): string {
  const whole = fen % 100 === 0;
  return `¥${whole ? fen / 100 : (fen / 100).toFixed(2).replace(/0$/, '')}`;
}

/** The step a relative price limit is rounded to: ¥10 below ¥1000, ¥100 above (never ¥138.99). */
const roundingStep = (fen: number) => (fen >= 100_000 ? 10_000 : 1_000);
/** 「便宜点」 under ¥139 on average → ¥130以下; at least ¥1. */
export const roundDown = (fen: number): number => Math.max(100, Math.floor(fen / roundingStep(fen)) * roundingStep(fen));
/** 「贵一点」 over ¥219 on average → ¥220以上. */
export const roundUp = (fen: number): number => Math.ceil(fen / roundingStep(fen)) * roundingStep(fen);

/**
 * An address with the places around it that it does not already name:
 * addressLine('静安区愚园路972号', '上海', '静安区') → '上海 静安区愚园路972号' (never 「静安区 静安区…」).
 */
export function addressLine(address: string | null, ...around: (string | null)[]): string {
  const a = address ?? '';
  return [...around.filter((p): p is string => !!p && !a.includes(p)), a].filter(Boolean).join(' ');
}

/** 「第 6–10 个」, or 「第 26 个」 for a page of one. */
export function rangeLabel(first: number, last: number, unit: string): string {
  return first === last ? `第 ${first} ${unit}` : `第 ${first}–${last} ${unit}`;
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
