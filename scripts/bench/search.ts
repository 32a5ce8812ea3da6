/**
 * `npm run bench -- search [--sizes 10000,100000,1000000] [--queries 3000] [--seed 42] [--no-naive] [--naive-budget 60]`
 *
 * Generates a deterministic catalogue (seeded PRNG: 32 leaf categories, ~100 brands, believable Chinese
 * titles with colours, materials and styles), builds the product index at each size and reports build
 * time, memory and p50/p99 query time over realistic queries (category only, category + price,
 * keyword + brand, multi-word keyword, price sort). In the same run, the naive approach — fuse.js over
 * the whole catalogue, then the same filters — on as many of the same queries as fit its time budget
 * per size (seconds; at least one query of each kind, else it is extrapolated and says so).
 * Prints Markdown tables.
 *
 * Memory: after a forced GC (`global.gc`, or exposed at run time through `v8.setFlagsFromString`), the
 * index is the growth of V8 heap + external (typed arrays) from building it and warming it up (so the
 * per-category sorted views are included); the catalogue objects it references are counted separately;
 * RSS is the whole process.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import Fuse from 'fuse.js';
import { accountId, type AccountId } from '../../src/core/messages.ts';
import type { Product } from '../../src/catalogue/types.ts';
import { productQuery, type ProductQuery } from '../../src/search/types.ts';
import { createProductIndex } from '../../src/search/index/product-index.ts';

// ---------------------------------------------------------------------------------------------------
// Deterministic catalogue

/** mulberry32: small, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Group = 'apparel' | 'shoes' | 'bags' | 'beauty' | 'digital' | 'home';

interface Leaf {
  readonly path: readonly [string, string];
  readonly group: Group;
  /** Nouns a title may use for it (the first is the leaf name). */
  readonly nouns: readonly string[];
  /** Price range in yuan. */
  readonly yuan: readonly [number, number];
}

const leaf = (root: string, name: string, group: Group, yuan: [number, number], ...nouns: string[]): Leaf => ({
  path: [root, name],
  group,
  nouns: [name, ...nouns],
  yuan,
});

export const LEAVES: readonly Leaf[] = [
  leaf('女装', '连衣裙', 'apparel', [79, 899], '长裙', '碎花裙'),
  leaf('女装', '半身裙', 'apparel', [59, 499], '百褶裙', 'a字裙'),
  leaf('女装', 'T恤', 'apparel', [29, 199], '短袖T恤', '打底衫'),
  leaf('女装', '衬衫', 'apparel', [69, 399], '雪纺衫'),
  leaf('女装', '卫衣', 'apparel', [69, 399], '连帽卫衣'),
  leaf('女装', '牛仔裤', 'apparel', [79, 499], '阔腿裤', '直筒裤'),
  leaf('女装', '羽绒服', 'apparel', [299, 1999], '羽绒外套'),
  leaf('女装', '针织衫', 'apparel', [59, 499], '毛衣', '开衫'),
  leaf('男装', 'T恤', 'apparel', [29, 199], '短袖T恤', 'polo衫'),
  leaf('男装', '衬衫', 'apparel', [69, 499], '商务衬衫'),
  leaf('男装', '夹克', 'apparel', [159, 999], '外套'),
  leaf('男装', '休闲裤', 'apparel', [79, 399], '工装裤', '运动裤'),
  leaf('男装', '卫衣', 'apparel', [79, 399], '连帽卫衣'),
  leaf('男装', '牛仔裤', 'apparel', [89, 599], '直筒裤'),
  leaf('男装', '羽绒服', 'apparel', [299, 2499], '羽绒外套'),
  leaf('童装', '连衣裙', 'apparel', [49, 299], '公主裙'),
  leaf('童装', '套装', 'apparel', [59, 399], '两件套'),
  leaf('童装', '外套', 'apparel', [79, 499], '棉服'),
  leaf('鞋靴', '运动鞋', 'shoes', [129, 1299], '跑步鞋', '休闲鞋'),
  leaf('鞋靴', '帆布鞋', 'shoes', [49, 399], '小白鞋'),
  leaf('鞋靴', '高跟鞋', 'shoes', [99, 899], '单鞋'),
  leaf('鞋靴', '靴子', 'shoes', [159, 1299], '马丁靴', '短靴'),
  leaf('箱包', '双肩包', 'bags', [59, 699], '背包', '书包'),
  leaf('箱包', '手提包', 'bags', [99, 1999], '托特包', '斜挎包'),
  leaf('箱包', '行李箱', 'bags', [199, 1999], '拉杆箱', '旅行箱'),
  leaf('美妆', '口红', 'beauty', [49, 399], '唇釉', '唇膏'),
  leaf('美妆', '面霜', 'beauty', [69, 1299], '保湿霜'),
  leaf('美妆', '精华', 'beauty', [99, 1999], '精华液'),
  leaf('数码', '耳机', 'digital', [59, 1999], '蓝牙耳机', '降噪耳机'),
  leaf('数码', '充电宝', 'digital', [49, 299], '移动电源'),
  leaf('家居', '四件套', 'home', [99, 1299], '床上用品'),
  leaf('家居', '抱枕', 'home', [19, 199], '靠垫'),
];

const BRANDS: Record<Group, readonly string[]> = {
  apparel: [
    '优衣库', '太平鸟', '森马', '海澜之家', '波司登', '李宁', '安踏', '特步', '骆驼', '七匹狼', '劲霸', '雅戈尔',
    '江南布衣', '美特斯邦威', '以纯', '真维斯', '唐狮', '杰克琼斯', 'ONLY', 'Vero Moda', '巴拉巴拉', '安奈儿',
    '戴维贝拉', '小猪班纳', '南极人', '恒源祥', '北极绒', '鸭鸭', '雪中飞', '九牧王', '报喜鸟', '红豆', '罗蒙',
    '杉杉', '鄂尔多斯', '秋水伊人', '欧时力', '伊芙丽', '韩都衣舍', '茵曼', '裂帛', '初语', '乐町', '歌莉娅',
    '哥弟', '地素', 'Zara', 'H&M', '鸿星尔克', '卡帕',
  ],
  shoes: ['回力', '飞跃', '百丽', '红蜻蜓', '斯凯奇', 'Nike', 'Adidas', 'Puma', 'New Balance', '匹克', '乔丹', '贵人鸟', '奥康', '达芙妮'],
  bags: ['新秀丽', '小米', '不莱玫', '稻草人', '袋鼠', '外交官', 'Coach', '花花公子'],
  beauty: ['完美日记', '花西子', '珀莱雅', '自然堂', '百雀羚', '欧莱雅', '兰蔻', '雅诗兰黛', '迪奥', '薇诺娜', '玉兰油', '橘朵'],
  digital: ['华为', '小米', '漫步者', '倍思', '绿联', '罗马仕', '索尼', '苹果', '安克', 'QCY'],
  home: ['罗莱', '富安娜', '水星家纺', '梦洁', '南极人', '无印良品', '全棉时代', '博洋'],
};
export const ALL_BRANDS: readonly string[] = [...new Set(Object.values(BRANDS).flat())];

const ATTRIBUTES: Record<Group, readonly string[]> = {
  apparel: ['纯棉', '真丝', '雪纺', '亚麻', '羊毛', '羊绒', '针织', '加绒', '冰丝', '莫代尔', '灯芯绒', '醋酸'],
  shoes: ['真皮', '透气', '网面', '加绒', '软底', '防滑', '厚底', '轻便'],
  bags: ['真皮', '帆布', '尼龙', '大容量', '防水', '轻便', '铝框', '万向轮'],
  beauty: ['保湿', '补水', '哑光', '滋润', '持久', '修护', '美白', '抗皱'],
  digital: ['蓝牙', '无线', '降噪', '快充', '大容量', '超薄', '运动', '入耳式'],
  home: ['纯棉', '全棉', '天丝', '磨毛', '水洗棉', '加厚', '亲肤', '简约'],
};
export const COLOURS = ['黑色', '白色', '红色', '蓝色', '粉色', '灰色', '卡其色', '藏青色', '酒红色', '米白色', '绿色', '黄色', '紫色', '杏色', '咖啡色'];
const STYLES = ['宽松', '修身', '显瘦', '百搭', '韩版', '法式', '复古', '休闲', '简约', 'ins风', '气质', '小个子', '高腰', '中长款', '短款', 'oversize', '通勤', '甜美', '国潮', '学院风'];
const SEASONS = ['2024春季新款', '2024夏季新款', '秋冬新款', '新款', '春秋款', '冬季加厚', '夏季', ''];
const MARKETING = ['爆款', '包邮', '正品', '清仓特价', '热卖', '官方旗舰店', '明星同款', '限时折扣', '', '', ''];
const AUDIENCE_WORDS: Record<string, readonly string[]> = {
  女装: ['女', '女士', '女款', ''],
  男装: ['男', '男士', '男款', ''],
  童装: ['儿童', '宝宝', '男童', '女童', '中大童'],
};
const TAGS = ['新品', '热销', '包邮', '7天无理由', '顺丰发货', '赠运费险'];

/** Words the index treats as vocabulary (category leaves and their nouns, brands, colours, attributes). */
export const VOCABULARY: readonly string[] = [
  ...new Set([
    ...LEAVES.flatMap((l) => [...l.path, ...l.nouns]),
    ...ALL_BRANDS,
    ...COLOURS,
    ...Object.values(ATTRIBUTES).flat(),
    ...STYLES,
  ]),
];

/**
 * `n` products for `account`, the same for the same seed. Catalogue objects share their category and
 * tag arrays (as rows read from SQLite through a cache would); links, images and descriptions are null.
 */
export function generateProducts(n: number, seed: number, account: AccountId): Product[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const tagSets: (readonly string[])[] = [[], [], ...TAGS.map((t) => [t]), ['新品', '包邮'], ['热销', '顺丰发货']];
  const out: Product[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const l = pick(LEAVES);
    const brand = rnd() < 0.9 ? pick(BRANDS[l.group]) : null;
    const parts: string[] = [];
    if (brand) parts.push(brand);
    if (l.group === 'apparel' || l.group === 'shoes') parts.push(pick(SEASONS));
    parts.push(
      (AUDIENCE_WORDS[l.path[0]] ? pick(AUDIENCE_WORDS[l.path[0]]!) : '') +
        (rnd() < 0.7 ? pick(STYLES) : '') +
        (rnd() < 0.4 ? pick(STYLES) : '') +
        (rnd() < 0.7 ? pick(ATTRIBUTES[l.group]) : '') +
        pick(l.nouns),
    );
    if (rnd() < 0.75) parts.push(pick(COLOURS));
    if (rnd() < 0.3) parts.push(pick(ATTRIBUTES[l.group]));
    parts.push(pick(MARKETING));
    const title = parts.filter(Boolean).join(' ');
    const [lo, hi] = l.yuan;
    const priceFen = Math.round(lo + (hi - lo) * rnd() ** 2) * 100 - (rnd() < 0.5 ? 0 : 10); // ¥129 or ¥128.90
    const discounted = rnd() < 0.4;
    const r = rnd();
    out[i] = {
      account,
      sku: `P${String(i).padStart(7, '0')}`,
      title,
      category: l.path,
      priceFen,
      originalPriceFen: discounted ? Math.round((priceFen * (1.1 + rnd() * 1.4)) / 100) * 100 : null,
      brand,
      tags: pick(tagSets),
      stock: r < 0.03 ? 0 : r < 0.45 ? null : 1 + Math.floor(rnd() * 500),
      imageUrl: null,
      url: null,
      description: null,
    };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Queries

export type QueryKind = 'category' | 'category+price' | 'keyword+brand' | 'multi-word' | 'price sort';
export const QUERY_KINDS: readonly QueryKind[] = ['category', 'category+price', 'keyword+brand', 'multi-word', 'price sort'];

export interface BenchQuery {
  readonly kind: QueryKind;
  readonly q: ProductQuery;
}

const base = productQuery({ limit: 10 });

/** Queries as the matcher would send them for messages followers really type. */
export function generateQueries(n: number, seed: number): BenchQuery[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: BenchQuery[] = [];
  for (let i = 0; i < n; i++) {
    const kind = QUERY_KINDS[i % QUERY_KINDS.length]!;
    const l = pick(LEAVES);
    const path = l.path.join('/');
    const yuan = (f: number): number => Math.round(l.yuan[0] + (l.yuan[1] - l.yuan[0]) * f) * 100;
    // Every fourth query asks for 「更多」: the first page is excluded.
    const exclude = i % 4 === 3 ? new Set(Array.from({ length: 10 }, (_, k) => `P${String(k * 997 + i).padStart(7, '0')}`)) : undefined;
    let q: ProductQuery;
    switch (kind) {
      case 'category': {
        const r = rnd();
        // 裙子 → two leaves; 女装 → a whole root; mostly one leaf.
        const categories = r < 0.15 ? ['女装/连衣裙', '女装/半身裙'] : r < 0.25 ? [l.path[0]] : [path];
        q = { ...base, categories, audience: rnd() < 0.2 ? pick(['women', 'men', 'kids'] as const) : null };
        break;
      }
      case 'category+price': {
        const r = rnd();
        q =
          r < 0.4
            ? { ...base, categories: [path], maxPriceFen: yuan(0.3) }
            : r < 0.7
              ? { ...base, categories: [path], minPriceFen: yuan(0.2), maxPriceFen: yuan(0.5) }
              : { ...base, categories: [path], minPriceFen: yuan(0.1) - 5000, maxPriceFen: yuan(0.1) + 5000 };
        break;
      }
      case 'keyword+brand': {
        const brand = pick(BRANDS[l.group]);
        q = { ...base, terms: [rnd() < 0.5 ? pick(ATTRIBUTES[l.group]) : pick(l.nouns)], brands: [brand] };
        break;
      }
      case 'multi-word': {
        const r = rnd();
        const terms =
          r < 0.4
            ? [pick(COLOURS), pick(l.nouns)]
            : r < 0.7
              ? [pick(ATTRIBUTES[l.group]), pick(l.nouns)]
              : [pick(STYLES), pick(COLOURS), pick(l.nouns)];
        q = { ...base, terms };
        break;
      }
      case 'price sort': {
        q = { ...base, categories: [path], terms: rnd() < 0.6 ? [pick(COLOURS)] : [], sort: rnd() < 0.7 ? 'price_asc' : 'price_desc' };
        break;
      }
    }
    out.push({ kind, q: exclude ? { ...q, exclude } : q });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The naive approach: fuse.js over the whole catalogue, then the same filters and sort.

function naiveSearch(fuse: Fuse<Product>, q: ProductQuery): Product[] {
  const words = [...q.terms, ...q.brands, ...q.categories.map((c) => c.split('/').at(-1)!)];
  const min = q.minPriceFen ?? -Infinity;
  const max = q.maxPriceFen ?? Infinity;
  const found = fuse
    .search(words.join(' '))
    .map((r) => r.item)
    .filter(
      (p) =>
        p.stock !== 0 &&
        p.priceFen >= min &&
        p.priceFen <= max &&
        !q.exclude?.has(p.sku) &&
        (q.categories.length === 0 || q.categories.some((c) => p.category.join('/').startsWith(c))),
    );
  if (q.sort === 'price_asc') found.sort((a, b) => a.priceFen - b.priceFen);
  if (q.sort === 'price_desc') found.sort((a, b) => b.priceFen - a.priceFen);
  return found.slice(0, q.limit);
}

const FUSE_OPTIONS = {
  keys: [
    { name: 'title', weight: 2 },
    { name: 'brand', weight: 3 },
    { name: 'category', weight: 3 },
  ],
  threshold: 0.4,
  ignoreLocation: true,
};

// ---------------------------------------------------------------------------------------------------
// Measurement

function exposeGc(): { gc: (() => void) | null; how: string } {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return { gc: g, how: 'global.gc (--expose-gc)' };
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn = vm.runInNewContext('gc') as unknown;
    if (typeof fn === 'function') return { gc: fn as () => void, how: 'gc exposed at run time (v8.setFlagsFromString)' };
  } catch {
    // fall through
  }
  return { gc: null, how: 'no GC available: heap deltas include uncollected garbage' };
}

const { gc, how: gcHow } = exposeGc();

function settledMemory(): { heap: number; rss: number } {
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  // external includes the ArrayBuffers behind typed arrays.
  return { heap: m.heapUsed + m.external, rss: m.rss };
}

function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i]!;
}

interface Timing {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly n: number;
}

function timeQueries<T>(queries: readonly T[], runOne: (q: T) => unknown): { all: Timing; samples: number[] } {
  const samples: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    runOne(q);
    samples.push(performance.now() - t0);
  }
  return { all: summarize(samples), samples };
}

function summarize(samples: readonly number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1) ?? NaN, n: s.length };
}

const mb = (bytes: number): string => (bytes / 1048576).toFixed(0);
const ms = (x: number): string => (Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(3) : x.toFixed(1));
const sizeLabel = (n: number): string => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));

interface Row {
  size: string;
  approach: string;
  build: string;
  memory: string;
  rss: string;
  p50: string;
  p99: string;
  queries: string;
}

interface IndexRun {
  readonly buildMs: number;
  readonly indexBytes: number;
  readonly rss: number;
  readonly coldMs: number;
  readonly all: Timing;
  readonly byKind: readonly Timing[];
  readonly avgTotal: number;
}

/** Builds the index over `products`, measures it and lets it go (so the naive run is measured alone). */
function measureIndex(products: readonly Product[], queries: readonly BenchQuery[], account: AccountId): IndexRun {
  const before = settledMemory();
  const t0 = performance.now();
  const index = createProductIndex({ dictionary: VOCABULARY });
  for (const p of products) index.upsert(p);
  const buildMs = performance.now() - t0;

  // The first query without words builds every category's sorted views (once, and again for a
  // category after it changes); then warm up the JIT and measure.
  const c0 = performance.now();
  index.search(account, { ...base, limit: 10 });
  const coldMs = performance.now() - c0;
  for (const { q } of queries.slice(0, 300)) index.search(account, q);
  settledMemory();
  const { samples } = timeQueries(queries, ({ q }) => index.search(account, q));
  const totals = queries.slice(0, 200).map(({ q }) => index.search(account, q).total);
  // Steady state: postings, attributes, every category's views and the bitsets queries asked for.
  const built = settledMemory();
  return {
    buildMs,
    indexBytes: built.heap - before.heap,
    rss: built.rss,
    coldMs,
    all: summarize(samples),
    byKind: QUERY_KINDS.map((k) => summarize(samples.filter((_, i) => queries[i]!.kind === k))),
    avgTotal: totals.reduce((a, b) => a + b, 0) / totals.length,
  };
}

// ---------------------------------------------------------------------------------------------------

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      sizes: { type: 'string', default: '10000,100000,1000000' },
      queries: { type: 'string', default: '3000' },
      seed: { type: 'string', default: '42' },
      'no-naive': { type: 'boolean', default: false },
      'naive-budget': { type: 'string', default: '60' },
    },
  });
  const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
  const nQueries = Number(values.queries);
  const seed = Number(values.seed);
  const naiveBudgetMs = Number(values['naive-budget']) * 1000;
  const account = accountId('bench');
  const rows: Row[] = [];
  const perKind: string[] = [];
  const notes: string[] = [];
  const started = performance.now();

  console.log(`# search benchmark\n`);
  console.log(`command: npm run bench -- search ${args.join(' ')}`.trimEnd());
  console.log(`node ${process.version}, ${process.platform}/${process.arch}; memory: ${gcHow}`);
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other processes share the CPU; p99 is sensitive to them)\n`);

  const queries = generateQueries(nQueries, seed + 1);
  let fuseMsPerItemQuery = NaN;
  let fuseBuildMsPerItem = NaN;

  for (const n of sizes) {
    const label = sizeLabel(n);
    const before = settledMemory();
    const products = generateProducts(n, seed, account);
    const withCatalogue = settledMemory();

    const r = measureIndex(products, queries, account);
    rows.push({
      size: label,
      approach: 'index',
      build: `${(r.buildMs / 1000).toFixed(2)} s`,
      memory: `${mb(r.indexBytes)} MB (+ catalogue ${mb(withCatalogue.heap - before.heap)} MB)`,
      rss: `${mb(r.rss)} MB`,
      p50: ms(r.all.p50),
      p99: ms(r.all.p99),
      queries: String(r.all.n),
    });
    perKind.push(
      `| ${label} | ${r.byKind.map((t) => `${ms(t.p50)} / ${ms(t.p99)}`).join(' | ')} | ${ms(r.all.max)} | ${r.avgTotal.toFixed(0)} | ${ms(r.coldMs)} |`,
    );
    console.error(`[${label}] index: build ${(r.buildMs / 1000).toFixed(2)} s, p50 ${ms(r.all.p50)} ms, p99 ${ms(r.all.p99)} ms`);

    // Naive: fuse.js over the whole catalogue, on as many of the same queries as fit the time budget.
    if (!values['no-naive']) {
      const perQueryMs = fuseMsPerItemQuery * n; // NaN before the first measurement
      const wanted = Number.isNaN(perQueryMs) ? 100 : Math.min(100, Math.floor(naiveBudgetMs / 2 / perQueryMs));
      const count = Math.max(QUERY_KINDS.length, wanted);
      const estimatedMs = count * perQueryMs + fuseBuildMsPerItem * n;
      if (!Number.isNaN(estimatedMs) && estimatedMs > naiveBudgetMs) {
        rows.push({
          size: label,
          approach: 'fuse.js (estimated)',
          build: `~${((fuseBuildMsPerItem * n) / 1000).toFixed(1)} s`,
          memory: '–',
          rss: '–',
          p50: `~${ms(perQueryMs)}`,
          p99: '–',
          queries: '0',
        });
        notes.push(
          `fuse.js at ${label} not run: extrapolated linearly from the largest measured size, ${count} queries would take ~${(estimatedMs / 1000).toFixed(0)} s (budget ${naiveBudgetMs / 1000} s); its p50 is that extrapolation.`,
        );
      } else {
        const withoutIndex = settledMemory();
        const f0 = performance.now();
        const fuse = new Fuse(products, FUSE_OPTIONS);
        const fuseBuildMs = performance.now() - f0;
        const fuseBuilt = settledMemory();
        const deadline = performance.now() + naiveBudgetMs;
        const fuseSamples: number[] = [];
        for (const { q } of queries.slice(0, count)) {
          const t = performance.now();
          naiveSearch(fuse, q);
          fuseSamples.push(performance.now() - t);
          if (performance.now() > deadline) break;
        }
        const ft = summarize(fuseSamples);
        fuseMsPerItemQuery = ft.p50 / n;
        fuseBuildMsPerItem = fuseBuildMs / n;
        rows.push({
          size: label,
          approach: 'fuse.js (naive)',
          build: `${(fuseBuildMs / 1000).toFixed(2)} s`,
          memory: `${mb(fuseBuilt.heap - withoutIndex.heap)} MB`,
          rss: `${mb(fuseBuilt.rss)} MB`,
          p50: ms(ft.p50),
          p99: ft.n >= 100 ? ms(ft.p99) : `${ms(ft.max)} (max)`,
          queries: String(ft.n),
        });
        console.error(`[${label}] fuse.js: build ${(fuseBuildMs / 1000).toFixed(2)} s, p50 ${ms(ft.p50)} ms over ${ft.n} queries`);
      }
    }
    products.length = 0;
  }

  console.log('| products | approach | build | memory (Δ heap+external) | process RSS | p50 ms | p99 ms | queries |');
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.size} | ${r.approach} | ${r.build} | ${r.memory} | ${r.rss} | ${r.p50} | ${r.p99} | ${r.queries} |`);
  }
  console.log('\nIndex query time by kind, p50 / p99 ms:\n');
  console.log(`| products | ${QUERY_KINDS.join(' | ')} | max ms | avg total matches | first browse ms (builds sorted views) |`);
  console.log(`|---:|${QUERY_KINDS.map(() => '---:').join('|')}|---:|---:|---:|`);
  for (const line of perKind) console.log(line);
  console.log(
    `\nQueries: ${nQueries} per size (round-robin over the ${QUERY_KINDS.length} kinds, every 4th excluding 10 skus as 「更多」 does), limit 10, after 300 warm-up queries; single thread.`,
  );
  console.log('Naive: fuse.js (threshold 0.4, ignoreLocation, keys title/brand/category) over the whole catalogue, then the same price/stock/category filters and sort; a sample of the same queries.');
  for (const note of notes) console.log(`Note: ${note}`);
  console.log(`\nTotal run time ${((performance.now() - started) / 1000).toFixed(0)} s; load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}.`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run(process.argv.slice(2));
