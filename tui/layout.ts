/**
 * How the frame divides the terminal. The frame is one line shorter than the terminal (a frame as tall as the
 * terminal makes it scroll when Ink ends the frame with a newline), and every region has a fixed height so
 * that no content can make a frame taller than the terminal.
 */
import type { TermSize } from './state/types.js';

/** Below this the TUI shows only a "terminal too small" line. */
export const MIN_SIZE: TermSize = { columns: 40, rows: 10 };

/** Lines outside the body: the tab bar, the message line, the status line. */
export const FRAME_CHROME = 3;
/** Lines of a list screen above its rows: the title, the filter line, the column header. */
export const LIST_CHROME = 3;

/** True when the terminal is too small to lay out a frame. */
export function tooSmall(size: TermSize): boolean {
  return size.columns < MIN_SIZE.columns || size.rows < MIN_SIZE.rows;
}

/** The height of every frame. */
export function frameHeight(size: TermSize): number {
  return Math.max(1, size.rows - 1);
}

/** The height of the body between the tab bar and the message line. */
export function bodyHeight(size: TermSize): number {
  return Math.max(1, frameHeight(size) - FRAME_CHROME);
}

/** How many rows of a list are visible: the window size asked of the daemon. */
export function listRows(size: TermSize): number {
  return Math.max(1, bodyHeight(size) - LIST_CHROME);
}

/** Cuts text to `width` columns, marking the cut with an ellipsis (or another mark). */
export function fit(text: string, width: number, mark = '…'): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return chars.slice(0, Math.max(0, width - 1)).join('') + mark;
}

/**
 * The mark of a cut table cell. ASCII on purpose: Ink measures every line of every frame with string-width,
 * which takes 1 µs for an ASCII line and 100 µs once it holds one other character (a grapheme segmenter
 * and emoji regexes over the whole line); with an ellipsis in most rows that was 3–4 ms a frame.
 */
export const CELL_CUT = '~';

/** Cuts (marking the cut with CELL_CUT) or pads text to exactly `width` columns. */
export function cell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = fit(text.replace(/[\r\n\t]+/g, ' '), width, CELL_CUT);
  const pad = Math.max(0, width - Array.from(cut).length);
  return align === 'right' ? ' '.repeat(pad) + cut : cut + ' '.repeat(pad);
}

/** Lines of a properties page above its items table (title, notice, properties). */
export const PAGE_HEADER = 7;
/** A properties page's lines besides its item rows: the header, the table's header, the key hint line. */
export const PAGE_CHROME = PAGE_HEADER + 2;

/** How many items of a properties page are visible at once. */
export function pageRows(size: TermSize): number {
  return Math.max(1, bodyHeight(size) - PAGE_CHROME);
}

/** A dialog's lines besides its content: the border (2), the title and the key line. */
export const DIALOG_CHROME = 4;

/** Content lines a dialog has room for. */
export function dialogLines(size: TermSize): number {
  return Math.max(1, bodyHeight(size) - DIALOG_CHROME);
}

/** Rows a picker shows at once (its view window): its notice, search line and table header take 3 lines. */
export function pickerRows(size: TermSize): number {
  return Math.max(1, dialogLines(size) - 3);
}

/** The conflicts screen's lines besides its rows: title, table header, and the selected record's details and keys. */
export const CONFLICT_CHROME = 8;

/** How many conflict records are visible at once. */
export function conflictRows(size: TermSize): number {
  return Math.max(1, bodyHeight(size) - CONFLICT_CHROME);
}

/** The narrowest text column beside an activation QR code. */
export const ACTIVATION_TEXT_MIN = 30;

/**
 * How an activation is laid out in the whole frame: the QR code beside its text, above it, or (when the terminal
 * cannot hold the code) the text alone with the size it needs.
 */
export function activationLayout(size: TermSize, qr: { width: number; height: number }): { kind: 'side' | 'stacked' } | { kind: 'too-small'; needs: TermSize } {
  const lines = frameHeight(size);
  if (qr.height <= lines && qr.width + 2 + ACTIVATION_TEXT_MIN <= size.columns) return { kind: 'side' };
  // Stacked: the code, then a title, the link and the key line.
  if (qr.height + 4 <= lines && qr.width <= size.columns) return { kind: 'stacked' };
  return { kind: 'too-small', needs: { columns: qr.width + 2 + ACTIVATION_TEXT_MIN, rows: qr.height + 1 } };
}
