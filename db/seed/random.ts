/**
 * Deterministic randomness for the demo seed: the same rows on every run.
 *
 * - `Random` wraps mulberry32, a tiny 32-bit generator, for content choices
 *   (pupil counts, quantities, who buys what).
 * - `randomFor(key)` gives an independent stream per key (e.g. one per school
 *   and service), so changing one part of the seed does not reshuffle another.
 * - `idFor(key)` gives a stable version-4-formatted uuid per key, drawn from
 *   sfc32 (128-bit state) seeded by a hash of the key, so ids do not collide
 *   and do not move when unrelated rows are added.
 *
 * Never use Math.random() or the clock in the seed.
 */

/** The seed of the main content stream. */
export const SEED = 20261122

/** mulberry32: returns a function giving floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** cyrb128: a fast 128-bit string hash (four 32-bit words), used to seed sfc32. */
export function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}

/** sfc32: a small generator with 128 bits of state; returns unsigned 32-bit integers. */
export function sfc32(seed: [number, number, number, number]): () => number {
  let [a, b, c, d] = seed
  const next = () => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return t >>> 0
  }
  // Mix the state before use, as the algorithm's authors advise.
  for (let i = 0; i < 12; i++) next()
  return next
}

/** Formats four 32-bit words as a version 4, RFC 4122 variant uuid. */
export function uuidFromWords(words: [number, number, number, number]): string {
  const hex = words.map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('')
  const chars = hex.split('')
  chars[12] = '4'
  const variant = Number.parseInt(chars[16] ?? '0', 16)
  chars[16] = ((variant & 0x3) | 0x8).toString(16)
  const s = chars.join('')
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`
}

/** A stable uuid for a key, e.g. idFor('coventry/school/elm-bank'). */
export function idFor(key: string): string {
  const next = sfc32(cyrb128(`buyback-seed/${key}`))
  return uuidFromWords([next(), next(), next(), next()])
}

/** A small deterministic random helper over mulberry32. */
export class Random {
  private readonly next: () => number

  constructor(seed: number = SEED) {
    this.next = mulberry32(seed)
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next()
  }

  /** A whole number from min to max, both included. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max is below min`)
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with the given probability (0 to 1). */
  chance(probability: number): boolean {
    return this.next() < probability
  }

  /** One item of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() needs at least one item')
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items]
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const tmp = copy[i] as T
      copy[i] = copy[j] as T
      copy[j] = tmp
    }
    return copy
  }

  /** A uuid (version 4 format) drawn from this stream. */
  uuid(): string {
    const word = () => Math.floor(this.next() * 4294967296) >>> 0
    return uuidFromWords([word(), word(), word(), word()])
  }
}

/** An independent stream for a key: randomFor('school/elm-bank/music/2026'). */
export function randomFor(key: string): Random {
  return new Random(cyrb128(`${SEED}/${key}`)[0])
}
