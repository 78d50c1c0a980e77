// An open-addressing hash table from int32 keys to dense ids 0..size-1: the vocabulary of one probe. Typed arrays
// instead of a Map because a run has tens of millions of feature occurrences.

export class IntIdTable {
  private keys: Int32Array;
  private ids: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap <<= 1;
    this.keys = new Int32Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  /** The id of `key`, assigning the next free id on first sight. */
  idOf(key: number): number {
    let h = Math.imul(key, 0x9e3779b1) & this.mask;
    for (;;) {
      const id = this.ids[h]!;
      if (id === -1) {
        this.keys[h] = key;
        this.ids[h] = this.size;
        if (++this.size * 2 > this.mask) this.grow();
        return this.size - 1;
      }
      if (this.keys[h] === key) return id;
      h = (h + 1) & this.mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldIds = this.ids;
    const cap = (this.mask + 1) * 2;
    this.keys = new Int32Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let i = 0; i < oldIds.length; i++) {
      const id = oldIds[i]!;
      if (id === -1) continue;
      let h = Math.imul(oldKeys[i]!, 0x9e3779b1) & this.mask;
      while (this.ids[h] !== -1) h = (h + 1) & this.mask;
      this.keys[h] = oldKeys[i]!;
      this.ids[h] = id;
    }
  }
}
