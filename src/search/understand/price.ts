/**
 * Price phrases in a normalised message → a PriceRange in fen. A number on its own is never a price
 * (「2」 means "show item 2"): a phrase needs a bound word (以下, 以上, 左右, 不超过…), a currency (元, 块, ¥)
 * or a range mark between two amounts (300-500, 300到500).
 */
import type { PriceRange } from '../types.ts';

export interface PriceExtraction {
  readonly price: PriceRange | null;
  /** The message with every price phrase blanked out, for the word segmenter. */
  readonly rest: string;
}

/** "About X" is X ± 20 %: 200元左右 → 160–240 元. */
const AROUND = 0.2;

const NUM = String.raw`(\d+(?:\.\d+)?)(?:\s?(千|万|k|w))?`;
const CUR = String.raw`(?:\s?(元钱|元|块钱|块|rmb))?`;
const YEN = String.raw`(¥\s?)?`;
const NOT_AFTER_WORD = String.raw`(?<![a-z\d.])`;

// Longest first when matched, so 「不要超过」 is read as a cap before 「超过」 could read it as a floor.
const MAX_PREFIXES = [
  '不超过', '不要超过', '别超过', '不能超过', '不想超过', '不超出', '不要超出', '别超出', '控制在',
  '不高于', '不要高于', '别高于', '不大于', '不到', '低于', '少于', '小于', '最多', '最高', '顶多', '至多', '预算',
];
const MIN_PREFIXES = ['超过', '高于', '大于', '不低于', '不要低于', '别低于', '不少于', '至少', '最低', '最少', '起码'];
const AROUND_PREFIXES = ['大概', '大约', '约', '差不多', '价格', '价位', '价钱', '售价'];
const MAX_SUFFIXES = ['以下', '以内', '之内', '之下', '内', '封顶'];
const MIN_SUFFIXES = ['以上', '起步', '起', '往上', '开外'];
const AROUND_SUFFIXES = ['左右', '上下', '前后'];
/** 200多 → 200–300 (up to the next step of the leading digit). */
const MORE_SUFFIX = '多';

const alternatives = (words: readonly string[]): string =>
  [...words].sort((a, b) => b.length - a.length).join('|');

const PREFIX = String.raw`(?:(${alternatives([...MAX_PREFIXES, ...MIN_PREFIXES, ...AROUND_PREFIXES])})\s?(?:在|是|为)?\s?)?`;
const SUFFIX = String.raw`(?:\s?(${alternatives([...MAX_SUFFIXES, ...MIN_SUFFIXES, ...AROUND_SUFFIXES, MORE_SUFFIX])}))?`;

/** 300-500, 300到500元, ¥300~¥500, 300元至500元之间. */
const RANGE = new RegExp(
  String.raw`${PREFIX}${NOT_AFTER_WORD}${YEN}${NUM}${CUR}\s?(?:-|~|到|至)\s?${YEN}${NUM}${CUR}(?:\s?(之间|以内|之内|左右))?`,
  'g',
);
/** 200以下, 不超过200, 200元左右, 200元起, ¥200, 200块. */
const SINGLE = new RegExp(String.raw`${PREFIX}${NOT_AFTER_WORD}${YEN}${NUM}${CUR}${SUFFIX}`, 'g');

/** After a bare amount these make it a count, an age, a size… not money (3岁, 2件, 500米, 2kg). */
const MEASURE_AFTER = /^\s?(?:[a-z%]|岁|个|件|条|双|套|斤|克|米|公里|天|月|年|人|晚|间|星|度|寸|码|号|层|楼|折|分|秒|小时|周|次|位|张|瓶|盒|箱|袋|包|支|只|台|部|毫)/;

type Bound = 'max' | 'min' | 'around' | 'more';

function amount(digits: string, multiplier: string | undefined): number {
  const scale = multiplier === '千' || multiplier === 'k' ? 1000 : multiplier === '万' || multiplier === 'w' ? 10_000 : 1;
  return Math.round(Number(digits) * scale * 100);
}

function boundOf(prefix: string | undefined, suffix: string | undefined): Bound | null {
  if (suffix !== undefined) {
    if (MAX_SUFFIXES.includes(suffix)) return 'max';
    if (MIN_SUFFIXES.includes(suffix)) return 'min';
    if (AROUND_SUFFIXES.includes(suffix)) return 'around';
    return 'more';
  }
  if (prefix === undefined) return null;
  if (MAX_PREFIXES.includes(prefix)) return 'max';
  if (MIN_PREFIXES.includes(prefix)) return 'min';
  return 'around';
}

/** The next step of the leading digit: 200 → 300, 50 → 60, 2000 → 3000 (all in the same unit). */
function nextStep(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  return value + magnitude;
}

/**
 * Finds the price phrases of a normalised message and combines them (200以上300以下 → 200–300).
 * @example extractPrice('200元以下的连衣裙').price // → { minFen: null, maxFen: 20000 }
 */
export function extractPrice(normalized: string): PriceExtraction {
  let minFen: number | null = null;
  let maxFen: number | null = null;
  let found = false;
  const setMin = (fen: number) => {
    minFen = minFen === null ? fen : Math.max(minFen, fen);
    found = true;
  };
  const setMax = (fen: number) => {
    maxFen = maxFen === null ? fen : Math.min(maxFen, fen);
    found = true;
  };
  const measuredAfter = (text: string, end: number) => MEASURE_AFTER.test(text.slice(end, end + 3));

  let rest = normalized.replace(
    RANGE,
    (match, _prefix: string | undefined, yen1: string | undefined, n1: string, m1: string | undefined,
      c1: string | undefined, yen2: string | undefined, n2: string, m2: string | undefined,
      c2: string | undefined, tail: string | undefined, offset: number, whole: string) => {
      const currency = yen1 ?? yen2 ?? c1 ?? c2 ?? tail;
      if (currency === undefined && measuredAfter(whole, offset + match.length)) return match;
      // 1-2千 → both ends in thousands.
      const low = amount(n1, m1 ?? (c1 === undefined ? m2 : undefined));
      const high = amount(n2, m2);
      if (low <= 0 && high <= 0) return match;
      setMin(Math.min(low, high));
      setMax(Math.max(low, high));
      return ' ';
    },
  );

  rest = rest.replace(
    SINGLE,
    (match, prefix: string | undefined, yen: string | undefined, n: string, m: string | undefined,
      currency: string | undefined, suffix: string | undefined, offset: number, whole: string) => {
      const bound = boundOf(prefix, suffix);
      const hasCurrency = yen !== undefined || currency !== undefined;
      if (bound === null && !hasCurrency) return match;
      if (currency === undefined && measuredAfter(whole, offset + match.length)) return match;
      const fen = amount(n, m);
      // 0元 bounds nothing; it is dropped rather than read as a word.
      if (fen <= 0) return ' ';
      switch (bound ?? 'around') {
        case 'max':
          setMax(fen);
          break;
        case 'min':
          setMin(fen);
          break;
        case 'more':
          setMin(fen);
          setMax(nextStep(fen / 100) * 100);
          break;
        case 'around':
          // An amount with a currency and no bound (200元的连衣裙) means about that much, like 200元左右.
          setMin(Math.round(fen * (1 - AROUND)));
          setMax(Math.round(fen * (1 + AROUND)));
          break;
      }
      return ' ';
    },
  );

  return { price: found ? { minFen, maxFen } : null, rest };
}
