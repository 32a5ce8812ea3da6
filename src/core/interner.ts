/**
 * One copy of each equal string or string list, for data held in memory by the million: a catalogue names a
 * few hundred categories, brands and tag sets over and over, and every row read from SQLite is a new copy.
 */

/** Past this many distinct values an interner stops remembering new ones (they pass through as they are). */
const DEFAULT_MAX = 100_000;

/**
 * @example
 * const strings = new Interner();
 * strings.string('茵曼') === strings.string('茵曼'); // the same string, whichever row it came from
 */
export class Interner {
  private readonly strings = new Map<string, string>();

  constructor(private readonly max = DEFAULT_MAX) {}

  /** The first copy of `s` seen (or `s` itself once the interner is full). */
  string(s: string): string;
  string(s: string | null): string | null;
  string(s: string | null): string | null {
    if (s === null) return null;
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size < this.max) this.strings.set(s, s);
    return s;
  }
}

/**
 * Lists of one kind (category paths, tag lists) by their text, each made once, its items interned, frozen:
 * callers share it and must not change it (the types say readonly). Past the limit each call makes its own.
 * @example
 * const paths = new ListInterner(new Interner());
 * paths.list('女装/连衣裙', () => ['女装', '连衣裙']) === paths.list('女装/连衣裙', () => …); // true
 */
export class ListInterner {
  private readonly lists = new Map<string, readonly string[]>();

  constructor(
    private readonly items: Interner,
    private readonly max = DEFAULT_MAX,
  ) {}

  /** The list whose text is `key`, made by `make` the first time. */
  list(key: string, make: () => readonly string[]): readonly string[] {
    const known = this.lists.get(key);
    if (known !== undefined) return known;
    const list = Object.freeze(make().map((s) => this.items.string(s)));
    if (this.lists.size < this.max) this.lists.set(key, list);
    return list;
  }
}
