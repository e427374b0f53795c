/**
 * The typing the TUI measurement replays in the devices filter: each phrase typed one key at a time, then
 * erased with Backspace, so the run has first characters on an empty filter (the widest scans), growing and
 * shrinking filters, key:value terms (some incomplete on the way, which the daemon refuses until complete)
 * and free text.
 */

/** Typed in this order; each is erased completely before the next. */
export const PHRASES: readonly string[] = [
  'platform:ios encrypted:no',
  'pixel',
  'alice',
  'samsung galaxy',
  'os:<17 tampered:yes',
  'maria',
  'iphone 15',
  'shared:yes user:kev',
  '+1555',
  'backup phone',
  'tablet',
];

export const BACKSPACE = '\u007f';

export interface KeyStep {
  /** The bytes written to the terminal. */
  key: string;
  /** The filter text after the key. */
  filter: string;
  kind: 'type' | 'backspace';
}

/** The key steps of typing and erasing each phrase. */
export function keystrokeScript(phrases: readonly string[] = PHRASES): KeyStep[] {
  const steps: KeyStep[] = [];
  for (const phrase of phrases) {
    for (let i = 1; i <= phrase.length; i++) steps.push({ key: phrase[i - 1]!, filter: phrase.slice(0, i), kind: 'type' });
    for (let i = phrase.length - 1; i >= 0; i--) steps.push({ key: BACKSPACE, filter: phrase.slice(0, i), kind: 'backspace' });
  }
  return steps;
}

/**
 * True when the filter is free text only (words ANDed as case-insensitive substrings), which `fzf --filter
 * --exact -i` reads the same way. Key:value terms, negation, quotes and fzf's own operators are excluded.
 */
export function isFreeText(filter: string): boolean {
  return filter.split(/\s+/).every((word) => word === '' || (/^[^:"'!^$|\\-]/.test(word) && !/[:"'|$\\]/.test(word)));
}
