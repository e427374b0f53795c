/**
 * A faster frame compositor for Ink 6.8. Ink lays a frame out, then its `Output.get()` places every text
 * write on a grid of cells and turns the grid back into lines. It does so by splitting each line into
 * graphemes with `Intl.Segmenter`, making an object per character with its own copy of the active styles,
 * and diffing the styles of every pair of neighbouring cells: at 120×40 that was two thirds of the TUI's CPU
 * time per keystroke (≈10 ms a frame), most of it tokenizing and garbage collection.
 *
 * `compose` produces the same frame (a property test compares it with Ink's own `get()`, byte for byte):
 * - a line of printable ASCII, simple one-column characters (no combining marks, not wide) and SGR colour
 *   codes is split by char code, and each run of characters between two codes shares one styles array;
 *   any other line (wide characters, emoji, combining marks, links, other escapes) goes through Ink's own
 *   tokenizer, exactly as before;
 * - the cells and width of a line are cached across frames (lines repeat: headers, status, unchanged rows),
 *   and a line that lies inside a clip is not sliced (Ink slices every line of an `overflow="hidden"` box);
 * - a line of cells is turned into a string by diffing styles only where they change (a run shares its
 *   array, blank cells share one empty array), with Ink's own diff and code functions.
 *
 * Ink has no hook for its compositor, so `installFastInkOutput` replaces `get` on Ink's `Output` class
 * (found beside Ink's entry point). It checks the version it was written against and leaves Ink alone
 * otherwise, so an upgrade is never broken by it, only slower until this is revisited.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import {
  ansiCodesToString,
  diffAnsiCodes,
  reduceAnsiCodesIncremental,
  styledCharsFromTokens,
  tokenize,
  type AnsiCode,
} from '@alcalzone/ansi-tokenize';

/** The Ink version whose `Output` this mirrors. */
export const INK_VERSION = '6.8.0';

type Transformer = (line: string, index: number) => string;
type Clip = { x1?: number; x2?: number; y1?: number; y2?: number };
type Operation = { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] } | { type: 'clip'; clip: Clip } | { type: 'unclip' };

/** The fields of Ink's `Output` that `get()` reads. */
export interface InkOutputState {
  width: number;
  height: number;
  operations: Operation[];
}

/** A line's cells: one value per column (wide characters are followed by '' cells) and the styles of each. */
interface LineCells {
  values: string[];
  styles: AnsiCode[][];
  /** Only simple characters and SGR codes (see simpleCells). */
  simple: boolean;
}

const NO_STYLES: AnsiCode[] = [];
const ESC = 0x1b;
const C1_CSI = 0x9b;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Per BMP code point: 0 unknown, 1 a simple one-column character, 2 not simple. */
const simpleChar = new Uint8Array(0x10000);

/**
 * True when a character is one cell wide and always a grapheme of its own, whatever surrounds it, so that
 * splitting by char code gives what Ink's grapheme tokenizer gives.
 */
function isSimple(code: number): boolean {
  if (code >= 0x20 && code < 0x7f) return true;
  if (code < 0xa0 || (code >= 0xd800 && code <= 0xdfff)) return false;
  let known = simpleChar[code]!;
  if (known === 0) {
    const c = String.fromCharCode(code);
    // Extend, SpacingMark, ZWJ and Prepend characters join a neighbour; wide ones take two cells.
    const alone = [...segmenter.segment(`a${c}a`)].length === 3;
    known = alone && stringWidth(c) === 1 && c !== '\ufe0f' ? 1 : 2;
    simpleChar[code] = known;
  }
  return known === 1;
}

const sgrTokens = new Map<string, AnsiCode[]>();

/** The ANSI tokens of one SGR sequence, as Ink's tokenizer makes them (compound codes split). */
function sgrCodes(sequence: string): AnsiCode[] {
  let codes = sgrTokens.get(sequence);
  if (!codes) {
    codes = tokenize(sequence).filter((t): t is AnsiCode => t.type === 'ansi');
    sgrTokens.set(sequence, codes);
  }
  return codes;
}

/** The end (exclusive) of the SGR sequence starting at `at` (`ESC [ digits/semicolons m`), or -1. */
function sgrEnd(line: string, at: number): number {
  if (line.charCodeAt(at + 1) !== 0x5b) return -1;
  for (let i = at + 2; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x6d) return i + 1;
    if (c !== 0x3b && (c < 0x30 || c > 0x39)) return -1;
  }
  return -1;
}

/** The cells of a line of simple characters and SGR codes, or undefined when it has anything else. */
function simpleCells(line: string): LineCells | undefined {
  const values: string[] = [];
  const styles: AnsiCode[][] = [];
  let active: AnsiCode[] = NO_STYLES;
  for (let i = 0; i < line.length; ) {
    const c = line.charCodeAt(i);
    if (c === ESC) {
      const end = sgrEnd(line, i);
      if (end < 0) return undefined;
      active = reduceAnsiCodesIncremental(active, sgrCodes(line.slice(i, end)));
      if (active.length === 0) active = NO_STYLES;
      i = end;
      continue;
    }
    if (c === C1_CSI || !isSimple(c)) return undefined;
    values.push(line[i]!);
    styles.push(active);
    i++;
  }
  return { values, styles, simple: true };
}

/** The cells of any line, as Ink's `get()` places them (its tokenizer; wide characters followed by '' cells). */
function tokenizedCells(line: string): LineCells {
  const values: string[] = [];
  const styles: AnsiCode[][] = [];
  for (const char of styledCharsFromTokens(tokenize(line))) {
    values.push(char.value);
    styles.push(char.styles);
    const width = Math.max(1, stringWidth(char.value));
    for (let i = 1; i < width; i++) {
      values.push('');
      styles.push(char.styles);
    }
  }
  return { values, styles, simple: false };
}

/** Lines kept across frames; a frame has at most a few hundred distinct lines. */
const MAX_CACHED_LINES = 4096;
const cellCache = new Map<string, LineCells>();

function cellsOf(line: string): LineCells {
  let cells = cellCache.get(line);
  if (!cells) {
    cells = simpleCells(line) ?? tokenizedCells(line);
    if (cellCache.size >= MAX_CACHED_LINES) cellCache.delete(cellCache.keys().next().value!);
    cellCache.set(line, cells);
  }
  return cells;
}

const widths = new Map<string, number>();

/** The width of a line as Ink measures it (string-width), cached across frames like the cells. */
function widthOf(line: string): number {
  let width = widths.get(line);
  if (width === undefined) {
    width = stringWidth(line);
    if (widths.size >= MAX_CACHED_LINES) widths.delete(widths.keys().next().value!);
    widths.set(line, width);
  }
  return width;
}

/** A row of the grid as a string, as Ink's styledCharsToString then trimEnd make it. */
function rowString(values: (string | undefined)[], styles: (AnsiCode[] | undefined)[]): string {
  let out = '';
  let previous: AnsiCode[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    // Holes (a write past the right edge) are skipped, as Ink filters them out.
    if (value === undefined) continue;
    const current = styles[i]!;
    if (previous === undefined) out += ansiCodesToString(current);
    else if (current !== previous) out += ansiCodesToString(diffAnsiCodes(previous, current));
    out += value;
    previous = current;
  }
  if (previous !== undefined && previous.length > 0) out += ansiCodesToString(diffAnsiCodes(previous, []));
  return out.trimEnd();
}

/** What Ink's `Output.get()` returns for these operations, faster; see the file comment. */
export function compose(state: InkOutputState): { output: string; height: number } {
  const { width, height } = state;
  const values: (string | undefined)[][] = [];
  const styles: (AnsiCode[] | undefined)[][] = [];
  for (let y = 0; y < height; y++) {
    values.push(new Array<string>(width).fill(' '));
    styles.push(new Array<AnsiCode[]>(width).fill(NO_STYLES));
  }
  const clips: Clip[] = [];
  for (const operation of state.operations) {
    if (operation.type === 'clip') clips.push(operation.clip);
    if (operation.type === 'unclip') clips.pop();
    if (operation.type !== 'write') continue;
    const { transformers } = operation;
    let { x, y } = operation;
    let lines = operation.text.split('\n');
    const clip = clips.at(-1);
    // Clipping as Ink does it (our layouts clip vertically only, so this is not the hot path).
    if (clip) {
      const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
      const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
      if (clipHorizontally) {
        const widest = Math.max(...lines.map(widthOf));
        if (x + widest < clip.x1! || x > clip.x2!) continue;
      }
      if (clipVertically && (y + lines.length < clip.y1! || y > clip.y2!)) continue;
      if (clipHorizontally) {
        lines = lines.map((line) => {
          const from = x < clip.x1! ? clip.x1! - x : 0;
          const lineWidth = widthOf(line);
          const to = x + lineWidth > clip.x2! ? clip.x2! - x : lineWidth;
          // A simple line inside the clip is its own slice (the common case: every line of a frame that fits).
          return from === 0 && to === lineWidth && cellsOf(line).simple ? line : sliceAnsi(line, from, to);
        });
        if (x < clip.x1!) x = clip.x1!;
      }
      if (clipVertically) {
        const from = y < clip.y1! ? clip.y1! - y : 0;
        const to = y + lines.length > clip.y2! ? clip.y2! - y : lines.length;
        lines = lines.slice(from, to);
        if (y < clip.y1!) y = clip.y1!;
      }
    }
    let offsetY = 0;
    for (let index = 0; index < lines.length; index++) {
      const rowValues = values[y + offsetY];
      if (!rowValues) continue;
      const rowStyles = styles[y + offsetY]!;
      let line = lines[index]!;
      for (const transformer of transformers) line = transformer(line, index);
      const cells = cellsOf(line);
      // A negative column is a property, not a cell, in Ink's arrays: such cells are dropped.
      for (let i = 0; i < cells.values.length; i++) {
        const at = x + i;
        if (at < 0) continue;
        rowValues[at] = cells.values[i]!;
        rowStyles[at] = cells.styles[i]!;
      }
      offsetY++;
    }
  }
  const rows: string[] = [];
  for (let y = 0; y < height; y++) rows.push(rowString(values[y]!, styles[y]!));
  return { output: rows.join('\n'), height };
}

interface OutputClass {
  new (options: { width: number; height: number }): InkOutputState & {
    write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void;
    clip(clip: Clip): void;
    unclip(): void;
  };
  prototype: { get(this: InkOutputState): { output: string; height: number } };
}

let installed: Promise<boolean> | undefined;

/** Where the replaced `get` keeps Ink's own (a registered symbol: every copy of this module finds it). */
export const INK_GET = Symbol.for('factordesk.ink-output.original-get');

type Get = OutputClass['prototype']['get'] & { [INK_GET]?: OutputClass['prototype']['get'] };

/** Ink's `Output` class, loaded from beside the `ink` package's entry (it is not exported). */
export async function inkOutputClass(): Promise<{ version: string; Output: OutputClass }> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('ink');
  const root = path.dirname(path.dirname(entry));
  const { version } = require(path.join(root, 'package.json')) as { version: string };
  const { default: Output } = (await import(pathToFileURL(path.join(path.dirname(entry), 'output.js')).href)) as { default: OutputClass };
  return { version, Output };
}

/** Makes Ink compose frames with `compose`; true when installed (Ink is the version it mirrors). */
export function installFastInkOutput(): Promise<boolean> {
  installed ??= inkOutputClass().then(({ version, Output }) => {
    const current = Output.prototype.get as Get;
    if (version !== INK_VERSION || typeof current !== 'function') return false;
    if (current[INK_GET]) return true;
    const get: Get = function get(this: InkOutputState) {
      return compose(this);
    };
    get[INK_GET] = current;
    Output.prototype.get = get;
    return true;
  }, () => false); // an Ink laid out otherwise: render with its own compositor
  return installed;
}
