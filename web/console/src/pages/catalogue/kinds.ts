/**
 * The three kinds of catalogue item as the screen shows them: the API path, the id column, the list's filter,
 * and the edit form's fields (the import columns, prices in yuan). Labels only: every rule is the API's.
 */

type KindKey = 'products' | 'hotels' | 'deals';

/** One field of the edit form: an import column and how to enter it. */
export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly input: 'text' | 'textarea' | 'money' | 'number' | 'tags' | 'time';
  readonly required?: boolean;
  readonly placeholder?: string;
}

export interface KindSpec {
  readonly key: KindKey;
  readonly tab: string;
  /** 商品, 酒店, 团购: in 新增商品, 下架 3 个商品. */
  readonly noun: string;
  readonly idName: 'sku' | 'id';
  readonly idLabel: string;
  readonly titleName: 'title' | 'name';
  readonly filter: 'category' | 'city';
  readonly filterLabel: string;
  /** What the upload accepts (淘宝助理 for products only). */
  readonly formats: string;
  readonly fields: readonly FieldSpec[];
}

/** A catalogue item as the API answers (the kind's columns, plus these). */
export interface Item {
  readonly status: 'on_sale' | 'off_sale';
  readonly updated_at: string;
  readonly image_url: string | null;
  readonly price: number | null;
  readonly [column: string]: unknown;
}

export const KINDS: readonly KindSpec[] = [
  {
    key: 'products', tab: '商品', noun: '商品', idName: 'sku', idLabel: '货号', titleName: 'title', filter: 'category', filterLabel: '类目',
    formats: 'CSV、JSON、JSON Lines 或淘宝助理导出的文件',
    fields: [
      { name: 'title', label: '标题', input: 'text', required: true },
      { name: 'category', label: '类目', input: 'text', required: true, placeholder: '如 女装/连衣裙' },
      { name: 'price', label: '价格（元）', input: 'money', required: true },
      { name: 'original_price', label: '原价（元）', input: 'money' },
      { name: 'brand', label: '品牌', input: 'text' },
      { name: 'tags', label: '标签', input: 'tags' },
      { name: 'stock', label: '库存', input: 'number', placeholder: '不填表示不计库存' },
      { name: 'image_url', label: '图片地址', input: 'text', placeholder: 'https://' },
      { name: 'url', label: '商品链接', input: 'text', placeholder: 'https://' },
      { name: 'description', label: '描述', input: 'textarea' },
    ],
  },
  {
    key: 'hotels', tab: '酒店', noun: '酒店', idName: 'id', idLabel: '编号', titleName: 'name', filter: 'city', filterLabel: '城市',
    formats: 'CSV、JSON 或 JSON Lines 文件',
    fields: [
      { name: 'name', label: '名称', input: 'text', required: true },
      { name: 'city', label: '城市', input: 'text', required: true },
      { name: 'district', label: '区域', input: 'text' },
      { name: 'address', label: '地址', input: 'text' },
      { name: 'lat', label: '纬度', input: 'number', required: true },
      { name: 'lng', label: '经度', input: 'number', required: true },
      { name: 'price', label: '起价（元/晚）', input: 'money' },
      { name: 'rating', label: '评分（0–5）', input: 'number' },
      { name: 'stars', label: '星级', input: 'number' },
      { name: 'phone', label: '电话', input: 'text' },
      { name: 'tags', label: '标签', input: 'tags' },
      { name: 'image_url', label: '图片地址', input: 'text', placeholder: 'https://' },
      { name: 'url', label: '链接', input: 'text', placeholder: 'https://' },
    ],
  },
  {
    key: 'deals', tab: '团购', noun: '团购', idName: 'id', idLabel: '编号', titleName: 'title', filter: 'city', filterLabel: '城市',
    formats: 'CSV、JSON 或 JSON Lines 文件',
    fields: [
      { name: 'title', label: '标题', input: 'text', required: true },
      { name: 'city', label: '城市', input: 'text', required: true },
      { name: 'price', label: '团购价（元）', input: 'money', required: true },
      { name: 'original_price', label: '原价（元）', input: 'money' },
      { name: 'merchant', label: '商家', input: 'text' },
      { name: 'district', label: '区域', input: 'text' },
      { name: 'category', label: '分类', input: 'text' },
      { name: 'starts_at', label: '开始时间', input: 'time', placeholder: '如 2027-03-01 10:00（北京时间）' },
      { name: 'ends_at', label: '结束时间', input: 'time', placeholder: '如 2027-03-31 22:00（北京时间）' },
      { name: 'stock', label: '库存', input: 'number', placeholder: '不填表示不计库存' },
      { name: 'lat', label: '纬度', input: 'number' },
      { name: 'lng', label: '经度', input: 'number' },
      { name: 'image_url', label: '图片地址', input: 'text', placeholder: 'https://' },
      { name: 'url', label: '链接', input: 'text', placeholder: 'https://' },
    ],
  },
];

/** The item's id (sku or id). */
export const idOf = (kind: KindSpec, item: Item): string => String(item[kind.idName]);

/** ¥199 or ¥199.50; 「—」 when there is no price. */
export const yuan = (v: number | null): string => (v === null ? '—' : `¥${Number.isInteger(v) ? v : v.toFixed(2)}`);
