/**
 * Reads what the TUI wrote to its terminal: Ink writes whole frames or (incremental rendering) only the lines
 * that changed, each line whole. From those lines this keeps the latest filter line and list title seen, which
 * is all the keystroke measurement needs to tell when the screen shows a filter's result.
 */
import { stripVTControlCharacters } from 'node:util';

export interface ShownState {
  /** The filter line while editing: `/TEXT▮   N matches · Enter keeps · Esc restores` (cursor as a space). */
  filterLine: string | null;
  /** The list title: `Devices · N matches of M …`, or the daemon's refusal of the filter. */
  title: { error: boolean; text: string } | null;
}

/** A fresh watch state. */
export function emptyShown(): ShownState {
  return { filterLine: null, title: null };
}

/** The state after one chunk written to the terminal; lines not in the chunk keep what was last seen. */
export function scanChunk(shown: ShownState, chunk: string, listTitle: string): ShownState {
  let { filterLine, title } = shown;
  for (const raw of stripVTControlCharacters(chunk).split('\n')) {
    const line = raw.replace(/\r/g, '').trimEnd();
    if (line.startsWith('/') && line.includes(' · Enter keeps')) filterLine = line;
    else if (line.startsWith(`${listTitle} · `)) title = { error: false, text: line };
    else if (line.startsWith('Filter:')) title = { error: true, text: line };
  }
  return { filterLine, title };
}

/** `1 match`, `12 matches` as the list screen words them. */
export function matchesText(total: number): string {
  return `${total} ${total === 1 ? 'match' : 'matches'}`;
}

/** What a keystroke's reply should bring to the screen. */
export type Expected = { filter: string; total: number } | { filter: string; error: string };

/** True when the screen shows `expected`: the filter text, and its match count or the daemon's refusal. */
export function shows(shown: ShownState, expected: Expected): boolean {
  const echo = `/${expected.filter}    `;
  if (!shown.filterLine?.startsWith(echo) || !shown.title) return false;
  if ('total' in expected) return !shown.title.error && shown.filterLine.startsWith(`${echo}${matchesText(expected.total)} · `);
  return shown.title.error && shown.title.text.startsWith(expected.error.slice(0, 40).trimEnd());
}
