/**
 * Which rows contain each pair of adjacent characters (bigram) of their free text, as one bitmap per bigram
 * over the slots. A free word of two or more characters can only match a row that has every bigram of the
 * word, so ANDing those bitmaps gives the candidates; for a two-character word they are exactly the matches.
 * This replaces a scan of all the rows' text (12 MB at 120k devices, 10–20 ms) with a few thousand word ANDs
 * for the broad two- and three-letter words every filter starts with.
 *
 * Characters outside the alphabet (lower-case letters, digits, space and common punctuation) are not indexed:
 * a bigram with one never matches a word through this index, and a word made only of such pairs is searched
 * the old way. The texts hold fields separated by newlines, which are outside the alphabet, so no bigram
 * spans two fields. Memory: 4 bytes per 32 slots per bigram present (≈15 KB each at 120k rows).
 */

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 +.-@_':/(),#";
const SIZE = ALPHABET.length;
/** Char code → symbol, -1 outside the alphabet. */
const SYMBOL = new Int8Array(128).fill(-1);
for (let i = 0; i < SIZE; i++) SYMBOL[ALPHABET.charCodeAt(i)] = i;

function symbolAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? SYMBOL[c]! : -1;
}

/**
 * Writes the distinct bigram ids of a text (pairs with a character outside the alphabet skipped) into
 * `out.ids` and returns how many; reuses the buffer, since building the index runs this on every row.
 */
function bigramsOf(text: string, seen: Uint8Array, out: { ids: Int32Array }): number {
  if (out.ids.length < text.length) out.ids = new Int32Array(text.length * 2);
  const ids = out.ids;
  let count = 0;
  let previous = text.length > 0 ? symbolAt(text, 0) : -1;
  for (let i = 1; i < text.length; i++) {
    const current = symbolAt(text, i);
    if (previous >= 0 && current >= 0) {
      const id = previous * SIZE + current;
      if (!seen[id]) {
        seen[id] = 1;
        ids[count++] = id;
      }
    }
    previous = current;
  }
  for (let k = 0; k < count; k++) seen[ids[k]!] = 0;
  return count;
}

/** See the file comment. */
export class BigramIndex {
  private readonly maps: (Uint32Array | undefined)[] = new Array<Uint32Array | undefined>(SIZE * SIZE);
  private words = 0;
  private readonly seen = new Uint8Array(SIZE * SIZE);
  private readonly scratch = { ids: new Int32Array(256) };

  /** Makes room for slots below `capacity`. */
  reserve(capacity: number): void {
    const words = Math.ceil(capacity / 32);
    if (words <= this.words) return;
    for (let id = 0; id < this.maps.length; id++) {
      const map = this.maps[id];
      if (!map) continue;
      const grown = new Uint32Array(words);
      grown.set(map);
      this.maps[id] = grown;
    }
    this.words = words;
  }

  /** Records the bigrams of a slot's text. */
  add(slot: number, text: string): void {
    const word = slot >>> 5;
    const bit = 1 << (slot & 31);
    const count = bigramsOf(text, this.seen, this.scratch);
    for (let k = 0; k < count; k++) {
      const id = this.scratch.ids[k]!;
      const map = (this.maps[id] ??= new Uint32Array(this.words));
      map[word] = map[word]! | bit;
    }
  }

  /** Forgets the bigrams of a slot's (previous) text. */
  remove(slot: number, text: string): void {
    const word = slot >>> 5;
    const bit = ~(1 << (slot & 31));
    const count = bigramsOf(text, this.seen, this.scratch);
    for (let k = 0; k < count; k++) {
      const map = this.maps[this.scratch.ids[k]!];
      if (map) map[word] = map[word]! & bit;
    }
  }

  /**
   * The slots whose text has every bigram of `word`, as a bitmap (bit `slot & 31` of word `slot >> 5`), or
   * undefined when the word has a character outside the alphabet or is shorter than two. `exact` says the
   * candidates are the matches (a two-character word), so no row needs checking.
   */
  candidates(word: string): { bits: Uint32Array; exact: boolean } | undefined {
    if (word.length < 2) return undefined;
    for (let i = 0; i < word.length; i++) if (symbolAt(word, i) < 0) return undefined;
    const out = new Uint32Array(this.words);
    const count = bigramsOf(word, this.seen, this.scratch);
    // Rarest first would stop earlier, but every map is a few thousand words: AND them in order.
    for (let k = 0; k < count; k++) {
      const map = this.maps[this.scratch.ids[k]!];
      if (!map) return { bits: new Uint32Array(this.words), exact: true };
      if (k === 0) out.set(map);
      else for (let w = 0; w < out.length; w++) out[w] = out[w]! & map[w]!;
    }
    return { bits: out, exact: word.length === 2 };
  }
}
