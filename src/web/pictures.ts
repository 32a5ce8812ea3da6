/**
 * An item's picture in a frame that always shows something: a placeholder (the name's first character
 * over the category, on a tint picked from the category) drawn beneath, the merchant's image over it.
 * A missing or unsafe URL renders no <img> at all (frame marked `noimg`); a URL that fails to load leaves
 * the placeholder showing (see page-script.ts for how, with and without scripts; `data-mark` is what
 * the no-script fallback draws).
 */
import { safeUrl } from '../core/page-links.ts';
import { html, Html } from './html.ts';

export interface PictureOf {
  readonly imageUrl: string | null;
  /** The item's name: its first letter or character is the placeholder's mark. */
  readonly name: string;
  /** A word under the mark (the category), also what picks the tint. */
  readonly caption: string;
}

/** The first letter, digit or CJK character of a name (「【新品】韩都衣舍…」 → 韩), or ·. */
function markOf(name: string): string {
  return [...name].find((c) => /[\p{L}\p{N}]/u.test(c))?.toUpperCase() ?? '·';
}

/** A hue 0–359 from a word, so one category keeps one tint across pages. */
function hueOf(word: string): number {
  let h = 0;
  for (const c of word) h = (h * 31 + c.codePointAt(0)!) % 360;
  return h;
}

/**
 * @example picture({ imageUrl: null, name: '波点连衣裙', caption: '连衣裙' }, 'hero')
 */
export function picture(of: PictureOf, cls = ''): Html {
  const src = safeUrl(of.imageUrl);
  const classes = ['pic', cls, src ? '' : 'noimg'].filter(Boolean).join(' ');
  return html`<span class="${classes}" style="--h:${hueOf(of.caption || of.name)}"><span class="ph" aria-hidden="true"><b>${markOf(of.name)}</b><small>${of.caption}</small></span>${
    src ? html`<img src="${src}" alt="" data-mark="${markOf(of.name)}"${cls === 'hero' ? '' : new Html(' loading="lazy"')}>` : ''
  }</span>`;
}
