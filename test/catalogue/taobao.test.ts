import iconv from 'iconv-lite';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { importCatalogue } from '../../src/catalogue/import/importer.ts';
import { titleSku } from '../../src/catalogue/import/taobao.ts';
import { createCatalogueStore } from '../../src/catalogue/catalogue-store.ts';
import { openDb } from '../../src/db/db.ts';
import { tempDbPath, tempDir } from '../helpers/temp.ts';

// The column lists of a 淘宝助理 5.x 数据包 (csv), English and Chinese.
const EN = [
  'title', 'cid', 'seller_cids', 'stuff_status', 'location_state', 'location_city', 'item_type', 'price', 'auction_increment', 'num',
  'valid_thru', 'freight_payer', 'post_fee', 'ems_fee', 'express_fee', 'has_invoice', 'has_warranty', 'approve_status', 'has_showcase',
  'list_time', 'description', 'cateProps', 'postage_id', 'has_discount', 'modified', 'upload_fail_msg', 'picture_status', 'auction_point',
  'picture', 'video', 'skuProps', 'inputPids', 'inputValues', 'outer_id', 'propAlias', 'auto_fill', 'num_id', 'local_cid',
  'navigation_type', 'user_name', 'syncStatus', 'is_lighting_consigment', 'is_xinpin', 'foodparame', 'features', 'buyareatype',
  'global_stock_type', 'global_stock_country', 'sub_stock_type', 'item_size', 'item_weight', 'sell_promise', 'custom_design_flag',
  'wireless_desc', 'barcode', 'sku_barcode', 'newprepay', 'subtitle', 'cpv_memo', 'input_custom_cpv', 'qualification',
  'add_qualification', 'o2o_bind_service',
];
const ZH = [
  '宝贝名称', '宝贝类目', '店铺类目', '新旧程度', '省', '城市', '出售方式', '宝贝价格', '加价幅度', '宝贝数量', '有效期', '运费承担', '平邮', 'EMS',
  '快递', '发票', '保修', '放入仓库', '橱窗推荐', '开始时间', '宝贝描述', '宝贝属性', '邮费模版ID', '会员打折', '修改时间', '上传状态', '图片状态',
  '返点比例', '新图片', '视频', '销售属性组合', '用户输入ID串', '用户输入名-值对', '商家编码', '销售属性别名', '代充类型', '数字ID', '本地ID',
  '宝贝分类', '用户名称', '宝贝状态', '闪电发货', '新品', '食品专项', '尺码库', '采购地', '库存类型', '国家地区', '库存计数', '物流体积',
  '物流重量', '退换货承诺', '定制工具', '无线详情', '商品条形码', 'sku 条形码', '7天退货', '宝贝卖点', '属性值备注', '自定义属性值', '商品资质',
  '增加商品资质', '关联线下服务',
];

type Item = Partial<Record<(typeof EN)[number], string>>;

const ITEMS: Item[] = [
  {
    title: '太平鸟 女装 碎花连衣裙 夏季新款 中长款',
    cid: '50010850',
    price: '299.00',
    num: '35',
    outer_id: 'TPN-001',
    num_id: '612345678901',
    picture: 'https://img.alicdn.com/imgextra/i1/123/O1CN01abc.jpg:1:0:|;6c0a1b2c3d4e5f:1:1:|;',
    // Real descriptions are HTML with quotes and line breaks: a quoted, multi-line field.
    description: '<p style="color:red">雪纺面料，\n透气&nbsp;舒适</p>\n<img src="https://img.alicdn.com/x.jpg">',
    features: 'mysize_tp:-1;sizeGroupId:27013',
  },
  { title: '李宁 男款 轻便跑步运动鞋 减震', price: '￥399', num: '0', outer_id: '', picture: '9a8b7c6d5e4f:1:0:|;' },
  { title: '优衣库 女装 百褶半身裙 高腰', price: 'abc', num: '5', outer_id: 'UQ-9' },
  { title: '小米 充电宝 20000毫安', price: '129.00', num: '12', outer_id: 'MI-PB' },
];

function exportText(delimiter: ',' | '\t', items: Item[] = ITEMS): string {
  const cell = (v: string) => (/[",\t\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const row = (values: string[]) => values.map(cell).join(delimiter);
  return ['version 1.00', row(EN), row(ZH), ...items.map((item) => row(EN.map((c) => item[c] ?? '')))].join('\r\n') + '\r\n';
}

const encodings: [string, (text: string) => Buffer][] = [
  ['GBK', (t) => iconv.encode(t, 'gbk')],
  ['UTF-16LE with BOM', (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')])],
  ['UTF-16LE without BOM', (t) => Buffer.from(t, 'utf16le')],
  ['UTF-8', (t) => Buffer.from(t, 'utf8')],
  ['UTF-8 with BOM', (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')])],
];

const SHOP = accountId('shop');
const dir = tempDir();
let n = 0;

async function importExport(bytes: Buffer, options: { category?: string; seed?: boolean } = {}) {
  const db = openDb(tempDbPath(dir));
  const store = createCatalogueStore(db);
  if (options.seed !== false) {
    // Known categories the titles are matched against.
    await importCatalogue({
      db,
      account: SHOP,
      kind: 'products',
      text: 'sku,title,category,price\nS1,连衣裙,女装/连衣裙,1\nS2,半身裙,女装/半身裙,1\nS3,运动鞋,鞋靴/运动鞋,1\nS4,充电宝,数码/充电宝,1\n',
    });
  }
  const file = path.join(dir, `export-${++n}.csv`);
  writeFileSync(file, bytes);
  const result = await importCatalogue({ db, account: SHOP, kind: 'products', file, ...(options.category ? { category: options.category } : {}) });
  const bySku = new Map((await store.allProducts(SHOP)).map((p) => [p.sku, p]));
  return { result, bySku };
}

describe('淘宝助理 export', () => {
  for (const [name, encode] of encodings) {
    for (const delimiter of [',', '\t'] as const) {
      it(`imports a ${name} ${delimiter === ',' ? 'comma' : 'tab'}-separated export`, async () => {
        const { result, bySku } = await importExport(encode(exportText(delimiter)));
        expect(result).toMatchObject({ format: 'taobao', total: 4, imported: 3, updated: 0 });
        // Rows start on line 4; the first row's description spans lines 4–6, so the next rows are on 7, 8, 9.
        expect(result.failed).toEqual([{ line: 8, reason: 'price "abc" is not a number' }]);
        expect(bySku.get('TPN-001')).toMatchObject({
          title: '太平鸟 女装 碎花连衣裙 夏季新款 中长款',
          category: ['女装', '连衣裙'],
          priceFen: 29900,
          stock: 35,
          imageUrl: 'https://img.alicdn.com/imgextra/i1/123/O1CN01abc.jpg',
          url: 'https://item.taobao.com/item.htm?id=612345678901',
          description: '雪纺面料， 透气 舒适',
        });
        expect(bySku.get(titleSku('李宁 男款 轻便跑步运动鞋 减震'))).toMatchObject({ category: ['鞋靴', '运动鞋'], priceFen: 39900, stock: 0, imageUrl: null });
        expect(bySku.get('MI-PB')).toMatchObject({ category: ['数码', '充电宝'], priceFen: 12900 });
      });
    }
  }

  it('detects the encoding it was given', async () => {
    expect((await importExport(iconv.encode(exportText('\t'), 'gbk'))).result.encoding).toBe('gbk');
    expect((await importExport(Buffer.from(exportText(','), 'utf16le'))).result.encoding).toBe('utf-16le');
  });

  it('gives a stable sku to items without 商家编码: re-importing updates them', async () => {
    const db = openDb(tempDbPath(dir));
    const file = path.join(dir, 'again.csv');
    writeFileSync(file, iconv.encode(exportText('\t'), 'gbk'));
    const first = await importCatalogue({ db, account: SHOP, kind: 'products', file, category: '女装/连衣裙' });
    const second = await importCatalogue({ db, account: SHOP, kind: 'products', file, category: '女装/连衣裙' });
    expect([first.imported, first.updated, second.imported, second.updated]).toEqual([3, 0, 3, 3]);
  });

  it('uses --category for every item that names none', async () => {
    const { result, bySku } = await importExport(Buffer.from(exportText(',')), { category: '女装/半身裙', seed: false });
    expect(result.imported).toBe(3);
    expect([...bySku.values()].every((p) => p.category.join('/') === '女装/半身裙')).toBe(true);
  });

  it('reports an item whose category cannot be decided as a bad row', async () => {
    const items: Item[] = [...ITEMS, { title: '九阳 豆浆机 家用', price: '399', outer_id: 'JY-1' }];
    const { result } = await importExport(Buffer.from(exportText(',', items)));
    expect(result.failed).toContainEqual({ line: 10, reason: expect.stringMatching(/^category could not be inferred.*pass --category/) });
    expect(result.imported).toBe(3);
  });

  it('infers categories from a category column some rows of the file carry', async () => {
    const items: Item[] = [
      { title: '罗莱 全棉四件套', price: '599', outer_id: 'LL-1', category: '家居/四件套' } as Item,
      { title: '富安娜 纯棉四件套 1.8m床', price: '699', outer_id: 'FA-1' },
    ];
    const header = [...EN, 'category'];
    const text = ['version 1.00', header.join(','), ZH.join(','), ...items.map((i) => header.map((c) => (i as Record<string, string>)[c] ?? '').join(','))].join('\n');
    const { result, bySku } = await importExport(Buffer.from(text), { seed: false });
    expect(result.failed).toEqual([]);
    expect(bySku.get('FA-1')?.category).toEqual(['家居', '四件套']);
  });

  it('refuses a Taobao export for hotels, and one without its English header', async () => {
    const db = openDb(tempDbPath(dir));
    await expect(importCatalogue({ db, account: SHOP, kind: 'hotels', text: exportText(',') })).rejects.toThrow(/淘宝助理 export holds products/);
    await expect(importCatalogue({ db, account: SHOP, kind: 'products', text: 'version 1.00\n宝贝名称,宝贝价格\n连衣裙,1\n' })).rejects.toMatchObject({
      code: 'columns',
      message: expect.stringMatching(/English header, has no title or price/),
    });
  });
});
