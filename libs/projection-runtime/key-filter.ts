/**
 * The keys a collection built from empty in this process may hold, in a fixed amount of memory: a Bloom filter
 * (ADR 0096). `mightHold(key) === false` means the key was never added — no false negatives — so a rebuild need
 * not read that document back; a false positive costs one read that finds nothing. A deleted key stays "might
 * hold" (one wasted read, never a wrong answer). It replaces a `Set` of every key written, which grew with the log
 * (an audit-trail rebuild adds one key per event) until it was dropped at two million keys.
 */
export class KeyFilter {
  private readonly words: Uint32Array;
  private readonly mask: number;

  /**
   * 2^bitsLog2 bits (default 2^25 = 4 MiB), `probes` hashes per key. False positives (1 - e^(-k·n/m))^k with k = 5,
   * m = 2^25: ~0.005 % at one million keys (0.02 % measured), ~28 % at ten million.
   */
  constructor(bitsLog2 = 25, private readonly probes = 5) {
    if (!Number.isInteger(bitsLog2) || bitsLog2 < 5 || bitsLog2 > 31) throw new Error(`KeyFilter: bitsLog2 must be an integer in 5..31, got ${bitsLog2}`);
    this.words = new Uint32Array(2 ** (bitsLog2 - 5));
    this.mask = 2 ** bitsLog2 - 1;
  }

  add(key: string): void {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < this.probes; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      this.words[bit >>> 5] |= 1 << (bit & 31);
    }
  }

  mightHold(key: string): boolean {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < this.probes; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      if ((this.words[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

const pair: [number, number] = [0, 0];

/** FNV-1a over the UTF-16 code units, then two murmur3 finalisers for the two hashes of double hashing (second odd). */
function hashes(key: string): [number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  pair[0] = fmix(h) >>> 0;
  pair[1] = (fmix(h ^ 0x9e3779b9) | 1) >>> 0;
  return pair;
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
