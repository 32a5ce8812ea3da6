/**
 * The answers to service questions that come from data rather than the merchant's text: sizes from the variants
 * of the products the conversation shows, their price and stock, the account's stores with their addresses and
 * hours. Pure.
 */
import { link, plain, shortTitle, yuan } from '../../agent/format.ts';
import type { Product } from '../../catalogue/types.ts';
import type { Store } from '../../merchant/shops/registry.ts';

/** 「xxl」 and 「2xl」 are one size; letters compare in upper case. */
const sizeKey = (s: string): string =>
  s.trim().toUpperCase().replace(/[码号]$/, '').replace(/^XXXL$/, '3XL').replace(/^XXL$/, '2XL');

/** How a size asked about is written back: as the variant has it when one matches, else in upper case. */
const sizeWord = (size: string, variants: readonly string[]): string => variants.find((v) => sizeKey(v) === sizeKey(size)) ?? size.toUpperCase();

/** 「XL 码」 but 「黑色」: a size gets 码, a colour or anything longer does not. */
const withUnit = (v: string): string => (/^(?:\d{2,3}(?:\.5)?|[2-5]?X{0,3}[SML])$/i.test(v) ? `${v} 码` : v);

const choices = (variants: readonly string[]): string => variants.map(plain).join(' / ');

/**
 * The size answer for the products the conversation points at: one product (the card shown, or a list of one),
 * or a list numbered as it was shown. Null when none of them has variants (the merchant's size text answers).
 * @example sizeAnswer([{ n: 1, p }], 'xl', true) // '有的，「波点连衣裙」有 XL 码（可选：S / M / L / XL）。回复「我要这个」就能下单～'
 */
export function sizeAnswer(items: readonly { readonly n: number; readonly p: Product }[], size: string | null, ordering: boolean): string | null {
  const sized = items.filter(({ p }) => (p.variants?.length ?? 0) > 0);
  if (sized.length === 0) return null;
  if (items.length === 1) {
    const { p } = items[0]!;
    const variants = p.variants!;
    const name = `「${plain(shortTitle(p.title))}」`;
    if (size === null) return `${name}可选：${choices(variants)}。`;
    const word = withUnit(sizeWord(size, variants));
    return variants.some((v) => sizeKey(v) === sizeKey(size))
      ? `有的，${name}有 ${word}（可选：${choices(variants)}）。${ordering ? '回复「我要这个」就能下单～' : ''}`
      : `${name}没有 ${word}😅 可选：${choices(variants)}。`;
  }
  if (size === null) return null;
  const word = withUnit(sizeWord(size, sized.flatMap(({ p }) => p.variants!)));
  const has = items.filter(({ p }) => p.variants?.some((v) => sizeKey(v) === sizeKey(size))).map(({ n }) => n);
  const numbers = (ns: readonly number[]) => `第${ns.join('、')}个`;
  if (has.length === items.length) return `刚才这几件都有 ${word}。回复序号看详情${ordering ? '，「买第1个」就能下单' : ''}～`;
  if (has.length === 0) return `刚才这几件都没有 ${word}😅 换个尺码，或者告诉我想找什么，我再帮你找找。`;
  const lacking = items.map(({ n }) => n).filter((n) => !has.includes(n));
  return `刚才的商品里，${numbers(has)}有 ${word}，${numbers(lacking)}没有。回复序号看详情～`;
}

/** A product's stock: null means the merchant does not count it (always available). */
const inStock = (p: Product): boolean => p.stock === null || p.stock > 0;

/**
 * The answer to 「这个多少钱」「有货吗」「发链接」 about the products the conversation points at: the card shown (or a
 * list of one) by its price, stock or page (`pageOf`, a safe link to our page); a list by which of it is sold out, or
 * where to read the prices and find the links. Null when the conversation shows no products: the caller asks which.
 * @example itemAnswer([{ n: 1, p }], 'price', true, pageOf) // '「波点连衣裙」现在 ¥199（原价¥299）。回复「我要这个」就能下单～'
 */
export function itemAnswer(
  items: readonly { readonly n: number; readonly p: Product }[],
  ask: 'price' | 'stock' | 'link',
  ordering: boolean,
  pageOf: (p: Product) => string,
): string | null {
  if (items.length === 0) return null;
  const order = ordering ? '回复「我要这个」就能下单～' : '';
  if (items.length === 1) {
    const { p } = items[0]!;
    const name = `「${plain(shortTitle(p.title))}」`;
    if (ask === 'link') return `${name}：${link(pageOf(p), ordering ? '点这里查看和下单' : '点这里查看')}`;
    if (ask === 'price') {
      const was = p.originalPriceFen !== null && p.originalPriceFen > p.priceFen ? `（原价${yuan(p.originalPriceFen)}）` : '';
      return `${name}现在 ${yuan(p.priceFen)}${was}。${inStock(p) ? order : '不过暂时卖完了😅'}`;
    }
    return inStock(p) ? `${name}有货。${order}` : `${name}暂时卖完了😅 告诉我想找什么，我帮你看看别的。`;
  }
  if (ask === 'price') return '价格都写在刚才的列表里啦，回复序号看详情～';
  if (ask === 'link') return '想要哪件的链接？回复序号，详情卡片点开就是它的页面～';
  const sold = items.filter(({ p }) => !inStock(p)).map(({ n }) => n);
  if (sold.length === 0) return '刚才这几件都有货，回复序号看详情～';
  if (sold.length === items.length) return '刚才这几件暂时都卖完了😅 告诉我想找什么，我帮你看看别的。';
  return `刚才的商品里，第${sold.join('、')}个暂时卖完了，其余都有货。回复序号看详情～`;
}

/** How many stores an answer lists (the rest: 「等 N 家」). */
const STORES_LISTED = 8;

/**
 * The account's stores as a follower reads them: name, city, address and hours where given.
 * @example storesAnswer([{ name: '静安店', city: '上海', address: '南京西路 1601 号', hours: '10:00–22:00', … }])
 */
export function storesAnswer(stores: readonly Store[]): string {
  const lines = stores.slice(0, STORES_LISTED).map((s) => {
    const where = [s.city, s.address].filter((x): x is string => x !== null && x !== '').map(plain).join(' ');
    return `· ${plain(s.name)}${where ? `：${where}` : ''}${s.hours ? `（营业时间 ${plain(s.hours)}）` : ''}`;
  });
  const more = stores.length > STORES_LISTED ? `\n……等 ${stores.length} 家门店` : '';
  return `我们的门店：\n${lines.join('\n')}${more}`;
}
