import { mkdtempSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LEXICON_DIR, loadLexicon } from '../../src/search/understand/lexicon.ts';
import { finish } from '../../src/search/steps.ts';
import { buildVocabulary, vocabularySteps, type Sense, type Vocabulary } from '../../src/search/understand/vocabulary.ts';
import { normalize } from '../../src/search/understand/normalize.ts';
import { createUnderstander } from '../../src/search/understand/understand.ts';
import { productWords } from '../../src/search/product-words.ts';
import { fixtureVocabulary } from './fixture.ts';

const sensesOf = (v: Vocabulary, word: string): readonly Sense[] => v.entries.get(word)?.senses ?? [];
const pathsOf = (v: Vocabulary, word: string): readonly string[] =>
  sensesOf(v, word).flatMap((s) => (s.kind === 'category' ? s.paths : []));

describe('loadLexicon', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('loads the lexicon under data/lexicon once', () => {
    const lexicon = loadLexicon();
    expect(lexicon.categories.length).toBeGreaterThan(20);
    expect(lexicon.cities['上海']).toContain('沪');
    expect(loadLexicon()).toBe(lexicon);
  });

  it('names the file and the place when a lexicon file is malformed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lexicon-'));
    dirs.push(dir);
    cpSync(DEFAULT_LEXICON_DIR, dir, { recursive: true });
    writeFileSync(path.join(dir, 'brands.json'), JSON.stringify({ 耐克: 'nike' }));
    expect(() => loadLexicon(dir)).toThrow(/brands\.json is malformed at 耐克/);
  });
});

describe('buildVocabulary', () => {
  const vocabulary = fixtureVocabulary();

  it('knows the catalogue’s own category names, root and leaf', () => {
    expect(pathsOf(vocabulary, '女装')).toEqual(['女装']);
    expect(pathsOf(vocabulary, '连衣裙')).toEqual(['女装/连衣裙']);
    expect(pathsOf(vocabulary, '套装')).toEqual(['童装/套装']);
  });

  it('maps a leaf found under several roots to all of them', () => {
    expect(pathsOf(vocabulary, 't恤')).toEqual(expect.arrayContaining(['女装/T恤', '男装/T恤']));
    expect(pathsOf(vocabulary, '卫衣')).toEqual(expect.arrayContaining(['男装/卫衣', '童装/卫衣']));
  });

  it('maps one lexicon word to several paths, and a root/* to every leaf under it', () => {
    expect(pathsOf(vocabulary, '裙子')).toEqual(['女装/连衣裙', '女装/半身裙']);
    expect(pathsOf(vocabulary, '鞋')).toEqual(['鞋靴/运动鞋', '鞋靴/帆布鞋', '鞋靴/靴子', '鞋靴/高跟鞋']);
  });

  it('follows a lexicon leaf to wherever the catalogue files it, and drops paths it does not have', () => {
    const v = buildVocabulary({ categoryPaths: ['服装/连衣裙', '数码/手机'], brands: [], cities: [] });
    expect(pathsOf(v, '裙装')).toEqual(['服装/连衣裙']);
    expect(pathsOf(v, '裙子')).toEqual(['服装/连衣裙']);
    expect(sensesOf(v, '口红')).toEqual([{ kind: 'keyword' }]);
  });

  it('resolves brand aliases to the catalogue’s spelling of the brand', () => {
    const v = buildVocabulary({ categoryPaths: [], brands: ['Nike', '李宁'], cities: [] });
    expect(sensesOf(v, '耐克')).toEqual([{ kind: 'brand', brand: 'Nike' }]);
    expect(sensesOf(v, 'nike')).toEqual([{ kind: 'brand', brand: 'Nike' }]);
    expect(sensesOf(v, 'lining')).toEqual([{ kind: 'brand', brand: '李宁' }]);
  });

  it('builds step by step (for a server that builds between deliveries) the same vocabulary as at once', () => {
    const words = { categoryPaths: ['女装/连衣裙', '数码/手机'], brands: ['Nike', 'Acme 工坊'], cities: ['上海'], titleWords: ['pro'] };
    const steps = vocabularySteps(words);
    let count = 0;
    while (!steps.next().done) count++;
    expect(count).toBeGreaterThan(1000); // a word at a time: each step is a few microseconds
    const stepped = finish(vocabularySteps(words));
    const atOnce = buildVocabulary(words);
    expect([...stepped.entries]).toEqual([...atOnce.entries]);
    expect([...stepped.byPinyin]).toEqual([...atOnce.byPinyin]);
    expect(stepped.typos.size).toBe(atOnce.typos.size);
    expect(stepped.typos.correct('连依裙')).toBe('连衣裙');
  });

  it('keeps a catalogue brand the lexicon does not know', () => {
    const v = buildVocabulary({ categoryPaths: [], brands: ['Acme 工坊'], cities: [] });
    expect(sensesOf(v, 'acme工坊')).toEqual([{ kind: 'brand', brand: 'Acme 工坊' }]);
  });

  it('resolves city aliases, and marks one-character aliases as standing alone only', () => {
    expect(sensesOf(vocabulary, '上海市')).toEqual([{ kind: 'city', city: '上海' }]);
    expect(sensesOf(vocabulary, '申城')).toEqual([{ kind: 'city', city: '上海' }]);
    expect(vocabulary.entries.get('沪')?.standaloneOnly).toBe(true);
    expect(vocabulary.entries.get('上海')?.standaloneOnly).toBe(false);
  });

  it('adds catalogue cities the lexicon does not know, with and without 市', () => {
    const v = buildVocabulary({ categoryPaths: [], brands: [], cities: ['丽江市'] });
    expect(sensesOf(v, '丽江')).toEqual([{ kind: 'city', city: '丽江市' }]);
  });

  it('gives a word every meaning it has (女装: a category root and an audience)', () => {
    const kinds = sensesOf(vocabulary, '女装').map((s) => s.kind);
    expect(kinds).toEqual(expect.arrayContaining(['category', 'audience']));
  });

  it('uses the catalogue’s spelling of a deal category', () => {
    const v = buildVocabulary({ categoryPaths: [], brands: [], cities: [], dealCategories: ['ktv'] });
    expect(sensesOf(v, '唱歌')).toEqual([{ kind: 'dealCategory', category: 'ktv', keyword: false }]);
  });

  it('gives a model alias its brand and its category, when the catalogue has it', () => {
    expect(sensesOf(vocabulary, 'iphone')).toEqual(expect.arrayContaining([
      { kind: 'brand', brand: '苹果' }, { kind: 'line', paths: ['数码/手机'] },
    ]));
    expect(sensesOf(vocabulary, 'ipad')).toEqual(expect.arrayContaining([
      { kind: 'brand', brand: '苹果' }, { kind: 'line', paths: ['数码/平板电脑'] },
    ]));
    // Without the category, the line has no paths: the word is kept as said (airpods in a shop of accessories).
    const v = buildVocabulary({ categoryPaths: ['女装/连衣裙'], brands: ['Apple'], cities: [] });
    expect(sensesOf(v, 'iphone')).toEqual([{ kind: 'brand', brand: 'Apple' }, { kind: 'line', paths: [] }]);
  });

  it('gives a place its city as the catalogue spells it', () => {
    expect(sensesOf(vocabulary, '陆家嘴')).toEqual([
      { kind: 'place', place: { name: '陆家嘴', city: '上海', lat: 31.2397, lng: 121.4998 } },
    ]);
    const v = buildVocabulary({ categoryPaths: [], brands: [], cities: ['成都市'] });
    expect(sensesOf(v, '春熙路')).toEqual([
      { kind: 'place', place: expect.objectContaining({ name: '春熙路', city: '成都市' }) },
    ]);
  });

  it('leaves out title words made of known words, keeps the others', () => {
    const v = buildVocabulary({ categoryPaths: ['女装/T恤'], brands: [], cities: [], titleWords: ['纯棉T恤', '碎花裙', 'Pro', '莫代尔'] });
    expect(v.entries.has('纯棉t恤')).toBe(false);
    expect(v.entries.has('碎花裙')).toBe(false);
    expect(sensesOf(v, 'pro')).toEqual([{ kind: 'keyword' }]);
    expect(sensesOf(v, '莫代尔')).toEqual([{ kind: 'keyword' }]);
  });

  it('adds a merchant\'s tag it lacks as one word, and leaves a tag it has the meaning it has', () => {
    // As the catalogue gives them: Chinese tags of 2 to 8 characters (productWords); SPF50+ and a long phrase stay out.
    const tags = [...productWords({ title: '', tags: ['温和', '送女友', '洁面', 'SPF50+', '独立通话双卡双待版'] }).tags];
    const v = buildVocabulary({ categoryPaths: ['护肤/洁面'], brands: [], cities: [], tags });
    expect(sensesOf(v, '温和')).toEqual([{ kind: 'keyword' }]);
    expect(sensesOf(v, '送女友')).toEqual([{ kind: 'attribute', value: '送女友' }]);
    expect(sensesOf(v, '洁面')).toEqual([{ kind: 'category', paths: ['护肤/洁面'] }]);
    expect(v.entries.has('spf50+')).toBe(false);
    expect(v.entries.has('独立通话双卡双待版')).toBe(false);
    expect(v.byPinyin.get('wenhe')).toBeUndefined();
    // Without the tag, 温和 reads as 温 + the filler 和 and is lost.
    expect(createUnderstander(v).understand('温和的洗面奶').slots.keywords).toEqual(['温和']);
    expect(createUnderstander(buildVocabulary({ categoryPaths: ['护肤/洁面'], brands: [], cities: [] })).understand('温和的洗面奶').slots.keywords).toEqual([]);
  });

  it('indexes toneless pinyin, joined and by syllable', () => {
    expect(vocabulary.byPinyin.get('lianyiqun')?.[0]?.word).toBe('连衣裙');
    expect(vocabulary.byPinyin.get('nvzhuang')?.[0]?.word).toBe('女装');
    expect(vocabulary.byPinyin.get('nuzhuang')?.[0]?.word).toBe('女装');
    expect(vocabulary.byPinyin.get('shanghai')?.[0]?.word).toBe('上海');
    expect(vocabulary.bySyllables.get('lian yi qun')?.[0]?.word).toBe('连衣裙');
  });

  it('keeps stop words and title words out of pinyin', () => {
    expect(vocabulary.byPinyin.get('youmeiyou')).toBeUndefined();
    const v = buildVocabulary({ categoryPaths: [], brands: [], cities: [], titleWords: ['莫代尔'] });
    expect(v.entries.get('莫代尔')?.senses).toEqual([{ kind: 'keyword' }]);
    expect(v.byPinyin.get('modaier')).toBeUndefined();
  });
});

describe('the lexicon files', () => {
  const lexicon = loadLexicon();

  it('writes every category path as root/leaf, root/* or */leaf', () => {
    const bad = lexicon.categories.flatMap((g) => g.paths).filter((p) => !/^(?:[^/*]+|\*)(?:\/(?:[^/*]+|\*))*$/.test(p) || p === '*');
    expect(bad).toEqual([]);
  });

  it.each([
    ['行李箱', '箱包/拉杆箱'], ['床单', '家居/四件套'], ['风扇', '家电/电风扇'], ['登山服', '运动户外/冲锋衣'],
    ['纯牛奶', '食品/牛奶'], ['牙刷', '个护/电动牙刷'], ['面膜', '美妆/面膜'], ['收纳盒', '家居/收纳箱'],
    ['风衣', '女装/风衣'], ['单鞋', '鞋靴/高跟鞋'],
  ])('reaches the demo catalogue’s leaves: %s → %s', (word, path) => {
    expect(pathsOf(fixtureVocabulary(), normalize(word))).toContain(path);
  });

  // 扫地机 used to be read as 吸尘器 outright; it is its own kind, with 吸尘器 the nearest the demo has.
  it('offers the demo’s nearest leaf for a kind it lacks: 扫地机 → 家电/吸尘器', () => {
    expect(sensesOf(fixtureVocabulary(), '扫地机')).toEqual([{ kind: 'nearest', paths: ['家电/吸尘器'] }]);
  });

  it('has no word that normalises to nothing', () => {
    const all = [
      ...lexicon.categories.flatMap((g) => g.words),
      ...Object.entries(lexicon.brands).flat(2),
      ...Object.entries(lexicon.attributes).flat(2),
      ...Object.entries(lexicon.cities).flat(2),
      ...lexicon.hotel, ...lexicon.deals.words, ...lexicon.stopwords, ...lexicon.words, ...lexicon.padding,
      ...lexicon.models.flatMap((m) => m.words), ...lexicon.places.flatMap((p) => [p.name, ...p.aliases]),
    ];
    expect(all.filter((w) => normalize(w) === '')).toEqual([]);
  });

  it('does not make a meaningful word a stop word too', () => {
    const stop = new Set(lexicon.stopwords.map(normalize));
    const meaningful = [
      ...lexicon.categories.flatMap((g) => g.words), ...Object.keys(lexicon.brands), ...Object.keys(lexicon.attributes),
      ...lexicon.hotel, ...lexicon.deals.words, ...lexicon.words,
      ...lexicon.models.flatMap((m) => m.words), ...lexicon.places.flatMap((p) => [p.name, ...p.aliases]),
    ].map(normalize);
    expect(meaningful.filter((w) => stop.has(w))).toEqual([]);
  });
});

describe('the lexicon files: attributes and places', () => {
  const lexicon = loadLexicon();

  it('does not list an attribute glued to a category as a category word (碎花裙 splits into 碎花 + 裙)', () => {
    const attributes = Object.entries(lexicon.attributes).flat(2).map(normalize).filter((w) => [...w].length >= 2);
    const category = new Set(lexicon.categories.flatMap((g) => g.words).map(normalize));
    const glued = [...category].filter((w) => attributes.some((a) => w.startsWith(a) && category.has(w.slice(a.length))));
    // Names of a kind of their own (catalogue leaves, synonyms), not an attribute of the kind.
    const kinds = [
      '运动鞋', '休闲鞋', '蓝牙耳机', '无线耳机', '休闲零食', '智能手机', '有机奶', '牛仔裙', '牛仔裤', '休闲裤',
      '智能手表', '运动户外', 'a字裙', '无线充电器',
    ];
    expect(glued.filter((w) => !kinds.includes(w))).toEqual([]);
  });

  it('puts every place in a city the lexicon knows, with a centre in China', () => {
    const cities = new Set(Object.keys(lexicon.cities));
    for (const p of lexicon.places) {
      expect(cities.has(p.city), p.name).toBe(true);
      expect(p.lat, p.name).toBeGreaterThan(18);
      expect(p.lat, p.name).toBeLessThan(54);
      expect(p.lng, p.name).toBeGreaterThan(73);
      expect(p.lng, p.name).toBeLessThan(135);
    }
  });

  it('never names two places, or a place and a city, with one word', () => {
    const words = lexicon.places.flatMap((p) => [p.name, ...p.aliases]).map(normalize);
    expect(words.filter((w, i) => words.indexOf(w) !== i)).toEqual([]);
    const cityWords = new Set(Object.entries(lexicon.cities).flat(2).map(normalize));
    expect(words.filter((w) => cityWords.has(w))).toEqual([]);
  });
});
