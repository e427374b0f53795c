/**
 * Cursor movement over a windowed list as a pure reducer: the cursor is an index into the whole result, the
 * window (`offset`, `pageSize`) is the part that is fetched and shown. Moving keeps the cursor inside the
 * window by scrolling it; the caller fetches the new window when `offset` changes.
 */

export type ListMove =
  | { type: 'down'; count?: number }
  | { type: 'up'; count?: number }
  | { type: 'pageDown' }
  | { type: 'pageUp' }
  | { type: 'top' }
  | { type: 'bottom' }
  | { type: 'to'; index: number };

export interface ListPosition {
  cursor: number;
  offset: number;
  total: number;
  pageSize: number;
}

const clamp = (n: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, n));

/** The window offset that shows `cursor`, moving `offset` as little as possible. */
export function scrollTo(cursor: number, offset: number, total: number, pageSize: number): number {
  const size = Math.max(1, pageSize);
  let next = offset;
  if (cursor < next) next = cursor;
  if (cursor >= next + size) next = cursor - size + 1;
  // Never leave rows unused at the end when the list is longer than the window.
  next = Math.min(next, Math.max(0, total - size));
  return Math.max(0, next);
}

/** Where the cursor and the window are after a move. */
export function moveCursor(pos: ListPosition, move: ListMove): ListPosition {
  const last = Math.max(0, pos.total - 1);
  const page = Math.max(1, pos.pageSize);
  let cursor: number;
  switch (move.type) {
    case 'down':
      cursor = pos.cursor + (move.count ?? 1);
      break;
    case 'up':
      cursor = pos.cursor - (move.count ?? 1);
      break;
    case 'pageDown':
      cursor = pos.cursor + page;
      break;
    case 'pageUp':
      cursor = pos.cursor - page;
      break;
    case 'top':
      cursor = 0;
      break;
    case 'bottom':
      cursor = last;
      break;
    case 'to':
      cursor = move.index;
      break;
  }
  cursor = clamp(cursor, 0, last);
  let offset = pos.offset;
  if (move.type === 'pageDown' || move.type === 'pageUp') {
    // A page key turns the page: the window moves by a page, the cursor with it.
    offset = clamp(pos.offset + (move.type === 'pageDown' ? page : -page), 0, Math.max(0, pos.total - page));
  }
  return { ...pos, cursor, offset: scrollTo(cursor, offset, pos.total, page) };
}

/** A position made valid again after the total or the window size changed. */
export function fitPosition(pos: ListPosition): ListPosition {
  const cursor = clamp(pos.cursor, 0, Math.max(0, pos.total - 1));
  return { ...pos, cursor, offset: scrollTo(cursor, pos.offset, pos.total, pos.pageSize) };
}
