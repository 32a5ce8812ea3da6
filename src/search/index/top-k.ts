/**
 * The best k of a stream of (doc id, primary, secondary) entries without sorting the stream: a binary
 * heap whose root is the worst kept entry. Order: primary desc, secondary desc, then `tieBreak`
 * (which must be a total order over ids, e.g. by sku).
 */
export class TopK {
  readonly ids: Int32Array;
  readonly p1: Float64Array;
  readonly p2: Float64Array;
  size = 0;

  /**
   * @param k how many to keep (0 keeps none)
   * @param tieBreak > 0 when doc a ranks before doc b at equal primary and secondary
   */
  constructor(
    readonly k: number,
    private readonly tieBreak: (a: number, b: number) => number,
  ) {
    this.ids = new Int32Array(k);
    this.p1 = new Float64Array(k);
    this.p2 = new Float64Array(k);
  }

  get full(): boolean {
    return this.size === this.k;
  }

  /** The worst kept primary (meaningful when full): a candidate below it cannot enter. */
  get floor1(): number {
    return this.p1[0]!;
  }

  get floor2(): number {
    return this.p2[0]!;
  }

  /** > 0 when (a1, a2, a) ranks better than (b1, b2, b). */
  private cmp(a1: number, a2: number, a: number, b1: number, b2: number, b: number): number {
    if (a1 !== b1) return a1 > b1 ? 1 : -1;
    if (a2 !== b2) return a2 > b2 ? 1 : -1;
    return a === b ? 0 : this.tieBreak(a, b);
  }

  offer(id: number, v1: number, v2: number): void {
    if (this.k === 0) return;
    const { ids, p1, p2 } = this;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.cmp(p1[parent]!, p2[parent]!, ids[parent]!, v1, v2, id) <= 0) break;
        ids[i] = ids[parent]!;
        p1[i] = p1[parent]!;
        p2[i] = p2[parent]!;
        i = parent;
      }
      ids[i] = id;
      p1[i] = v1;
      p2[i] = v2;
      return;
    }
    if (this.cmp(v1, v2, id, p1[0]!, p2[0]!, ids[0]!) <= 0) return;
    let i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let worst = l;
      const r = l + 1;
      if (r < n && this.cmp(p1[r]!, p2[r]!, ids[r]!, p1[l]!, p2[l]!, ids[l]!) < 0) worst = r;
      if (this.cmp(p1[worst]!, p2[worst]!, ids[worst]!, v1, v2, id) >= 0) break;
      ids[i] = ids[worst]!;
      p1[i] = p1[worst]!;
      p2[i] = p2[worst]!;
      i = worst;
    }
    ids[i] = id;
    p1[i] = v1;
    p2[i] = v2;
  }

  /** Heap slots of the kept entries, best first. */
  sorted(): number[] {
    const order = Array.from({ length: this.size }, (_, i) => i);
    const { ids, p1, p2 } = this;
    return order.sort((a, b) => this.cmp(p1[b]!, p2[b]!, ids[b]!, p1[a]!, p2[a]!, ids[a]!));
  }
}
