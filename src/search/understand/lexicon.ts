/**
 * The lexicon: what words mean, kept as reviewable JSON under `data/lexicon/` (see its README.md) and
 * loaded once. Words are written as people type them; they are normalised when the vocabulary is built.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Audience } from '../types.ts';

type Words = readonly string[];

interface LexiconPlace {
  readonly name: string;
  readonly city: string;
  readonly lat: number;
  readonly lng: number;
  readonly aliases: Words;
}

export interface Lexicon {
  /**
   * Category words → paths: `女装/连衣裙` is that path, `鞋靴/*` every catalogue path under 鞋靴, and a `*` root
   * (written `*` + `/T恤` in the file) that leaf under whichever roots the catalogue has. `nearest`: what to
   * offer, said honestly, when the catalogue has none of `paths` (扫地机器人 → 吸尘器).
   */
  readonly categories: readonly { readonly paths: Words; readonly words: Words; readonly nearest?: Words }[];
  /** Canonical brand → aliases. */
  readonly brands: Readonly<Record<string, Words>>;
  /**
   * Model and product-line aliases that name a brand and what it is (iphone → 苹果 + 数码/手机). `brand` is a
   * brands.json canonical name or a catalogue brand; `paths` are written like category paths.
   */
  readonly models: readonly { readonly brand: string; readonly paths: Words; readonly words: Words }[];
  /** Audience words, and the category roots that belong to each audience (used to narrow 衬衫 for 男士). */
  readonly audience: Readonly<Record<Audience, { readonly roots: Words; readonly words: Words }>>;
  /** Canonical attribute (as titles write it) → aliases: 红色 ← 红, 红的. */
  readonly attributes: Readonly<Record<string, Words>>;
  /** Canonical city → aliases. One-character aliases (沪, 京) count only when they stand alone. */
  readonly cities: Readonly<Record<string, Words>>;
  /** Landmarks and business districts (陆家嘴, 春熙路): their city (a cities.json name) and GCJ-02 centre. */
  readonly places: readonly LexiconPlace[];
  readonly hotel: Words;
  readonly deals: {
    readonly words: Words;
    /** Deal category → words naming it, and more specific words that are also kept as keywords (火锅). */
    readonly categories: Readonly<Record<string, { readonly words: Words; readonly specific: Words }>>;
  };
  readonly sort: {
    readonly price_asc: Words;
    readonly price_desc: Words;
    readonly rating: Words;
    readonly distance: Words;
    /** 最近 means "nearest" when asking for hotels or deals, and "recently" otherwise. */
    readonly distanceForPlacesOnly: Words;
  };
  readonly relativePrice: { readonly cheaper: Words; readonly pricier: Words };
  /** Words that turn what follows into an exclusion (不要红色的, 除了耐克, 非转基因). */
  readonly negation: Words;
  /** Filler that carries no meaning for search (我想买, 有没有, 的, 吗…). */
  readonly stopwords: Words;
  /** Known plain words (面包, 保温杯, 外滩…): they segment as one word and are kept as keywords. */
  readonly words: Words;
  /** Words titles use to sell (正品, 新款, 热卖): never, alone, what a product is. */
  readonly padding: Words;
  /** English shopping words → the Chinese words they stand for, and English filler to ignore. */
  readonly english: { readonly words: Readonly<Record<string, Words>>; readonly ignore: Words };
  /** The Chinese word an emoji stands for → the emoji (👗 → 连衣裙). */
  readonly emoji: Readonly<Record<string, Words>>;
  /** WeChat's built-in stickers, which arrive as text in brackets ([微笑], [Smile]): carry nothing for search. */
  readonly stickers: Words;
}

const words = z.array(z.string().trim().min(1));
const aliasTable = z.record(z.string().trim().min(1), words);
const audienceGroup = z.object({ roots: words, words });

const FILES = {
  categories: {
    file: 'categories.json',
    schema: z.array(z.object({ paths: words.min(1), words: words.min(1), nearest: words.min(1).optional() })),
  },
  brands: { file: 'brands.json', schema: aliasTable },
  models: {
    file: 'models.json',
    schema: z.array(z.object({ brand: z.string().trim().min(1), paths: words.min(1), words: words.min(1) })),
  },
  places: {
    file: 'places.json',
    schema: z.array(z.object({
      name: z.string().trim().min(1),
      city: z.string().trim().min(1),
      lat: z.number().min(-90).max(90),
      lng: z.number().min(-180).max(180),
      aliases: words.default([]),
    })),
  },
  audience: { file: 'audience.json', schema: z.object({ women: audienceGroup, men: audienceGroup, kids: audienceGroup }) },
  attributes: { file: 'attributes.json', schema: aliasTable },
  cities: { file: 'cities.json', schema: aliasTable },
  hotel: { file: 'hotel.json', schema: words },
  deals: {
    file: 'deals.json',
    schema: z.object({
      words,
      categories: z.record(z.string().trim().min(1), z.object({ words, specific: words.default([]) })),
    }),
  },
  sort: {
    file: 'sort.json',
    schema: z.object({ price_asc: words, price_desc: words, rating: words, distance: words, distanceForPlacesOnly: words }),
  },
  relativePrice: { file: 'relative-price.json', schema: z.object({ cheaper: words, pricier: words }) },
  negation: { file: 'negation.json', schema: words },
  stopwords: { file: 'stopwords.json', schema: words },
  words: { file: 'words.json', schema: words },
  padding: { file: 'padding.json', schema: words },
  english: { file: 'english.json', schema: z.object({ words: aliasTable, ignore: words }) },
  emoji: { file: 'emoji.json', schema: aliasTable },
  stickers: { file: 'stickers.json', schema: words },
} as const;

export const DEFAULT_LEXICON_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/lexicon');

const cache = new Map<string, Lexicon>();

function readPart<S extends z.ZodType>(dir: string, file: string, schema: S): z.infer<S> {
  const full = path.join(dir, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(full, 'utf8'));
  } catch (error) {
    throw new Error(`Lexicon file ${full} could not be read as JSON (${(error as Error).message}); fix or restore it.`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') || '(top level)' : '(top level)';
    throw new Error(`Lexicon file ${full} is malformed at ${where}: ${issue?.message ?? 'invalid'}; see data/lexicon/README.md for its shape.`);
  }
  return parsed.data;
}

/**
 * Reads and validates the lexicon in `dir` (default `data/lexicon/`), once per directory.
 * @example const vocabulary = buildVocabulary(catalogueWords, loadLexicon());
 */
export function loadLexicon(dir: string = DEFAULT_LEXICON_DIR): Lexicon {
  const key = path.resolve(dir);
  const cached = cache.get(key);
  if (cached) return cached;
  const lexicon: Lexicon = {
    categories: readPart(key, FILES.categories.file, FILES.categories.schema),
    brands: readPart(key, FILES.brands.file, FILES.brands.schema),
    models: readPart(key, FILES.models.file, FILES.models.schema),
    audience: readPart(key, FILES.audience.file, FILES.audience.schema),
    attributes: readPart(key, FILES.attributes.file, FILES.attributes.schema),
    cities: readPart(key, FILES.cities.file, FILES.cities.schema),
    places: readPart(key, FILES.places.file, FILES.places.schema),
    hotel: readPart(key, FILES.hotel.file, FILES.hotel.schema),
    deals: readPart(key, FILES.deals.file, FILES.deals.schema),
    sort: readPart(key, FILES.sort.file, FILES.sort.schema),
    relativePrice: readPart(key, FILES.relativePrice.file, FILES.relativePrice.schema),
    negation: readPart(key, FILES.negation.file, FILES.negation.schema),
    stopwords: readPart(key, FILES.stopwords.file, FILES.stopwords.schema),
    words: readPart(key, FILES.words.file, FILES.words.schema),
    padding: readPart(key, FILES.padding.file, FILES.padding.schema),
    english: readPart(key, FILES.english.file, FILES.english.schema),
    emoji: readPart(key, FILES.emoji.file, FILES.emoji.schema),
    stickers: readPart(key, FILES.stickers.file, FILES.stickers.schema),
  };
  cache.set(key, lexicon);
  return lexicon;
}
