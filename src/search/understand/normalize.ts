/**
 * One canonical form for follower messages and vocabulary words, so that 「２００元以下的連衣裙！！👗」 and
 * 「200元以下的连衣裙」 read the same: NFKC (full width → half width), traditional → simplified, lower case,
 * emoji / punctuation / symbols → spaces, whitespace collapsed, Chinese numerals in price phrases and formula stages
 * → digits.
 *
 * What survives: ASCII letters and digits, CJK characters, and the few symbols a price needs
 * (`.` between digits, `-` / `~` between amounts, `¥` before one).
 */
import { Converter } from 'opencc-js/t2cn';

type Convert = (text: string) => string;

let toSimplified: Convert | null = null;

/** Built on first use (≈20 ms), then shared: Hong Kong and Taiwan variants both map to mainland forms. */
function simplifier(): Convert {
  if (toSimplified === null) {
    const fromHongKong = Converter({ from: 'hk', to: 'cn' });
    const fromTaiwan = Converter({ from: 'tw', to: 'cn' });
    toSimplified = (text) => fromTaiwan(fromHongKong(text));
  }
  return toSimplified;
}

/**
 * Traditional characters as simplified ones, nothing else changed (謝謝 → 谢谢, 👍 stays).
 * @example simplified('謝謝你') // → '谢谢你'
 */
export function simplified(text: string): string {
  return HAS_NON_ASCII.test(text) ? simplifier()(text) : text;
}

const HAS_NON_ASCII = /[^\x00-\x7f]/;
const DASHES = /[‐‑‒–—―−﹣－]/g;
const WAVES = /[〜～∼]/g;
const U_UMLAUT = /[üǖǘǚǜ]/g;
/** Everything but ASCII letters/digits, CJK and the price symbols becomes a space. */
const NOT_KEPT = /[^a-z0-9\p{Script=Han}\-~.¥]+/gu;
const LONE_DOT = /(?<!\d)\.|\.(?!\d)/g;
/** `-` and `~` mean "to" only between amounts (300-500, 300元~500元); elsewhere they separate words. */
const LONE_RANGE_MARK = /(?<![\d元块kw千万]\s?)[-~]|[-~](?!\s?[\d¥])/g;
const LONE_YEN = /¥(?!\s?\d)/g;
/** `<200`, `‹200`, `≤200` (under) and `>200`, `≥200` (over) before an amount, as words the price reader knows. */
const UNDER_SIGN = /(?:<=?|‹|≤)\s?(?=[\d¥一二两三四五六七八九])/g;
const OVER_SIGN = /(?:>=?|›|≥)\s?(?=[\d¥一二两三四五六七八九])/g;
const SPACES = /\s+/g;

/**
 * Normalises a message or a vocabulary word.
 * @example normalize('２００元以下的連衣裙！！👗') // → '200元以下的连衣裙'
 * @example normalize('两百以内') // → '200以内'
 */
export function normalize(text: string): string {
  let s = text.normalize('NFKC');
  if (HAS_NON_ASCII.test(s)) s = simplifier()(s);
  s = s.toLowerCase().replace(U_UMLAUT, 'v').replace(DASHES, '-').replace(WAVES, '~');
  s = s.replace(UNDER_SIGN, '不超过').replace(OVER_SIGN, '超过');
  s = s.replace(NOT_KEPT, ' ');
  s = chineseNumeralsToDigits(s);
  s = s.replace(LONE_DOT, ' ').replace(LONE_RANGE_MARK, ' ').replace(LONE_YEN, ' ');
  return s.replace(SPACES, ' ').trim();
}

const NUMERAL_RUN = /[零〇一二两三四五六七八九十百千万]+/g;
const HAS_UNIT = /[十百千万]/;
/** What may follow an amount in a price phrase. */
const PRICE_AFTER = /^\s?(?:元|块|以下|以内|之内|以上|左右|上下|起|多|到|至|-|~)/;
/** What may follow a bare digit (五, 两) for it to be money: only an explicit currency. */
const MONEY_AFTER = /^\s?(?:元|块钱|块(?=\s?(?:以下|以内|之内|以上|左右|上下)))/;
/** What may precede an amount in a price phrase. */
const PRICE_BEFORE = /(?:不超过|不高于|不到|低于|高于|超过|少于|大于|至少|最多|预算|价格|价位|大概|大约|到|至|-|~|¥)\s?$/;

const HAS_NUMERAL = /[零〇一二两三四五六七八九十百千万]/;
/** Digits with Chinese units: 3千, 1.5万, 3千5, 2千5百. */
const DIGITS_WITH_UNIT = /\d+(?:\.\d+)?\s?[十百千万][0-9零〇一二两三四五六七八九十百千万]*/g;
const DIGIT_NAMES = '零一二三四五六七八九';
const AFTER_DIGIT = /\d\s?$/;

/** 3千 → 3000, 1.5万 → 15000, 3千5 → 3500, 2千5百 → 2500; null when it is not one number (12千5). */
function mixedAmount(text: string): number | null {
  const plain = /^(\d+(?:\.\d+)?)\s?([十百千万])$/.exec(text);
  if (plain) {
    const unit = plain[2] === '万' ? 10_000 : UNITS[plain[2]!]!;
    return Math.round(Number(plain[1]) * unit * 100) / 100;
  }
  // Spoken forms with one digit per place: read the digits as numerals (3千5 = 三千五).
  if (/\d\d|\./.test(text)) return null;
  return parseChineseNumber(text.replace(/\s/g, '').replace(/\d/g, (d) => DIGIT_NAMES[Number(d)]!));
}

/** Whether the amount at `offset` (of `length` characters) reads as money. */
function pricedAt(s: string, offset: number, length: number, hasUnit: boolean): boolean {
  const after = s.slice(offset + length, offset + length + 4);
  const before = s.slice(Math.max(0, offset - 4), offset);
  return hasUnit ? PRICE_AFTER.test(after) || PRICE_BEFORE.test(before) : MONEY_AFTER.test(after);
}

/**
 * 两百以下 → 200以下, 三百五以内 → 350以内, 一千到两千 → 1000到2000, 3千以下 → 3000以下, 1.5万以内 → 15000以内;
 * 一下 / 五星 stay as they are.
 */
function chineseNumeralsToDigits(s: string): string {
  if (!HAS_NUMERAL.test(s)) return s;
  s = s.replace(DIGITS_WITH_UNIT, (run: string, offset: number) => {
    if (!pricedAt(s, offset, run.length, true)) return run;
    const value = mixedAmount(run);
    return value === null ? run : String(value);
  });
  if (!HAS_NUMERAL.test(s)) return s;
  return s.replace(NUMERAL_RUN, (run: string, offset: number) => {
    // A unit right after digits (the 千 of an unpriced 3千米) is not a number of its own.
    if (HAS_UNIT.test(run[0]!) && AFTER_DIGIT.test(s.slice(Math.max(0, offset - 2), offset))) return run;
    if (COUNTED_AFTER.test(s.slice(offset + run.length, offset + run.length + 4))) {
      const value = parseChineseNumber(run);
      if (value !== null && value > 0 && value < 100) return String(value);
    }
    // 两三百 on its own (连衣裙 两三百) is a budget; 两三百米 is not.
    const range = approximateRange(run);
    if (range !== null && RANGE_END.test(s.slice(offset + run.length, offset + run.length + 3))) return range;
    if (!pricedAt(s, offset, run.length, HAS_UNIT.test(run))) return run;
    const value = parseChineseNumber(run);
    return value === null ? approximateRange(run) ?? run : String(value);
  });
}

/**
 * A formula stage as titles write it, in digits: 二段 → 2段 when it ends there or 奶粉 follows (一段时间 is no
 * stage). segment.ts keeps 2段 whole.
 */
const COUNTED_AFTER = /^段(?=$|\s|奶|的|配方|装)/;

/** What may follow 两三百 for it to be a price: nothing, a space, a currency or a price word. */
const RANGE_END = /^(?:$|\s|元|块|的|左右|以内|以下|之间|吧|呢)/;
/** Two neighbouring digits before a unit: 两三百 = 200-300, 五六千 = 5000-6000. */
const NEIGHBOURS = /^([一二两三四五六七八九])([二三四五六七八九])([十百千万])$/;

/** 两三百 → '200-300' (a range the price reader takes); null when `run` is not such a pair. */
function approximateRange(run: string): string | null {
  const m = NEIGHBOURS.exec(run);
  if (!m) return null;
  const low = DIGITS[m[1]!]!;
  const high = DIGITS[m[2]!]!;
  if (high !== low + 1) return null;
  const unit = m[3] === '万' ? 10_000 : UNITS[m[3]!]!;
  return `${low * unit}-${high * unit}`;
}

const DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/**
 * Parses a Chinese numeral, including the spoken short forms: 三百五 = 350, 一千五 = 1500, 两万五 = 25000.
 * Returns null for strings that are not one number (三四百).
 * @example parseChineseNumber('一百零五') // → 105
 */
export function parseChineseNumber(text: string): number | null {
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  let lastUnit = 0;
  let afterZero = false;
  for (const ch of text) {
    const d = DIGITS[ch];
    if (d !== undefined) {
      if (d === 0) {
        afterZero = true;
        continue;
      }
      if (digit !== null) return null;
      digit = d;
      continue;
    }
    const unit = UNITS[ch];
    if (unit !== undefined) {
      section += (digit ?? 1) * unit;
      digit = null;
      lastUnit = unit;
      afterZero = false;
      continue;
    }
    if (ch === '万') {
      section += digit ?? 0;
      total += (section === 0 ? 1 : section) * 10_000;
      section = 0;
      digit = null;
      lastUnit = 10_000;
      afterZero = false;
      continue;
    }
    return null;
  }
  if (digit !== null) {
    // A trailing digit right after 百/千/万 is the next place down (三百五 = 350), unless a 零 came between.
    section += !afterZero && lastUnit >= 100 ? (digit * lastUnit) / 10 : digit;
  }
  return total + section;
}
