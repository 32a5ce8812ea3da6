/**
 * What can be wrong with one column of an imported row (or an item sent to the API), as data: the column,
 * what is wrong, and the merchant's value quoted. Rendered in English (import reports, scripts, tests) or in
 * Chinese (the console), from the same problem, so the two never say different things.
 */
import type { Lang } from '../../core/lang.ts';

interface ValueProblem {
  readonly field: string;
  readonly code:
    | 'not_text' | 'not_number' | 'negative' | 'fen_decimals' | 'too_large' | 'not_whole' | 'not_web_address' | 'bad_web_address'
    | 'bad_tags' | 'bad_variants' | 'bad_category' | 'category_empty_part' | 'not_time' | 'not_real_time' | 'bad_stars';
  /** The value as the merchant wrote it, quoted and shortened (`"abc"`). */
  readonly value: string;
}
interface RangeProblem {
  readonly field: string;
  /** `outside_swapped`: a latitude out of range, most likely swapped with the longitude. */
  readonly code: 'outside' | 'outside_swapped';
  readonly value: string;
  readonly min: number;
  readonly max: number;
}
interface FieldProblem {
  readonly field: string;
  readonly code: 'missing' | 'category_required' | 'ends_before_start' | 'lat_lng_together';
}
/** A message from outside the row schemas, kept as it is (`field` empty). */
interface OtherProblem {
  readonly field: string;
  readonly code: 'other';
  readonly text: string;
}

/** One problem of a row: `field` is the column it concerns (`price`), empty when it concerns none. */
export type RowProblem = ValueProblem | RangeProblem | FieldProblem | OtherProblem;

/** The columns in the console's words. */
const LABELS: Readonly<Record<string, string>> = {
  sku: '货号', id: '编号', title: '标题', name: '名称', category: '类目', price: '价格', original_price: '原价', brand: '品牌', tags: '标签',
  stock: '库存', image_url: '图片地址', url: '链接', description: '描述', city: '城市', lat: '纬度', lng: '经度', district: '区域',
  address: '地址', rating: '评分', stars: '星级', phone: '电话', merchant: '商家', starts_at: '开始时间', ends_at: '结束时间',
};

function english(p: RowProblem): string {
  switch (p.code) {
    case 'missing': return `${p.field} is missing`;
    case 'category_required': return 'category is missing (a path such as 女装/连衣裙)';
    case 'ends_before_start': return 'ends_at is not after starts_at';
    case 'lat_lng_together': return 'lat and lng must be given together';
    case 'not_text': return `${p.field} must be text, got ${p.value}`;
    case 'not_number': return `${p.field} ${p.value} is not a number`;
    case 'negative': return `${p.field} ${p.value} is negative`;
    case 'fen_decimals': return `${p.field} ${p.value} has more than two decimals (fen)`;
    case 'too_large': return `${p.field} ${p.value} is too large`;
    case 'not_whole': return `${p.field} ${p.value} is not a whole number`;
    case 'outside': return `${p.field} ${p.value} is outside ${p.min}…${p.max}`;
    case 'outside_swapped': return `${p.field} ${p.value} is outside ${p.min}…${p.max} (are lat and lng swapped?)`;
    case 'not_web_address': return `${p.field} ${p.value} must be a web address starting with http:// or https://`;
    case 'bad_web_address': return `${p.field} ${p.value} is not a valid web address`;
    case 'bad_tags': return `tags ${p.value} must be text separated by | (or a JSON array of text)`;
    case 'bad_variants': return `variants ${p.value} must be names separated by | (S|M|L, or a JSON array of text)`;
    case 'bad_category': return `category ${p.value} must be a path such as 女装/连衣裙`;
    case 'category_empty_part': return `category ${p.value} has an empty part; write it as 女装/连衣裙`;
    case 'not_time': return `${p.field} ${p.value} is not a date and time; write it as ISO 8601, e.g. 2027-03-01T10:00:00+08:00`;
    case 'not_real_time': return `${p.field} ${p.value} is not a real date and time`;
    case 'bad_stars': return `stars ${p.value} must be a whole number from 0 to 5`;
    case 'other': return p.text;
  }
}

function chinese(p: RowProblem): string {
  const label = LABELS[p.field] ?? p.field;
  switch (p.code) {
    case 'missing': return `请填写${label}`;
    case 'category_required': return '请填写类目，例如 女装/连衣裙';
    case 'ends_before_start': return '结束时间须晚于开始时间';
    case 'lat_lng_together': return '纬度和经度须同时填写';
    case 'not_text': return `${label}须为文字，收到 ${p.value}`;
    case 'not_number': return `${label} ${p.value} 不是数字`;
    case 'negative': return `${label} ${p.value} 不能为负数`;
    case 'fen_decimals': return `${label} ${p.value} 最多两位小数（精确到分）`;
    case 'too_large': return `${label} ${p.value} 太大了`;
    case 'not_whole': return `${label} ${p.value} 须为整数`;
    case 'outside': return `${label} ${p.value} 须在 ${p.min} 到 ${p.max} 之间`;
    case 'outside_swapped': return `${label} ${p.value} 须在 ${p.min} 到 ${p.max} 之间（纬度和经度是否填反了？）`;
    case 'not_web_address': return `${label} ${p.value} 须为以 http:// 或 https:// 开头的网址`;
    case 'bad_web_address': return `${label} ${p.value} 不是有效的网址`;
    case 'bad_tags': return `标签 ${p.value} 须为用 | 分隔的文字`;
    case 'bad_variants': return `规格 ${p.value} 须为用 | 分隔的名称（如 S|M|L）`;
    case 'bad_category': return `类目 ${p.value} 须为类似 女装/连衣裙 的路径`;
    case 'category_empty_part': return `类目 ${p.value} 有空的一级，请写成 女装/连衣裙 这样`;
    case 'not_time': return `${label} ${p.value} 不是日期时间，请写成 2027-03-01T10:00:00+08:00 这样`;
    case 'not_real_time': return `${label} ${p.value} 不是真实的日期时间`;
    case 'bad_stars': return `星级 ${p.value} 须为 0 到 5 的整数`;
    case 'other': return p.text;
  }
}

/**
 * A problem in words, in the language asked for.
 * @example describeRowProblem({ field: 'price', code: 'not_number', value: '"abc"' }, 'zh') // '价格 "abc" 不是数字'
 */
export function describeRowProblem(problem: RowProblem, language: Lang): string {
  return language === 'zh' ? chinese(problem) : english(problem);
}
