/**
 * Keys as short names ("j", "J", "enter", "shift+up", "ctrl+c", "space"): what Ink hands an input handler
 * turned into one name per key. A read from the terminal may hold several keys ("jjj" when keys repeat
 * faster than the app reads, or a paste): each character then counts as its own key.
 */
import type { Key } from 'ink';

/** A key name, as bindings list them. */
export type KeyName = string;

const ARROWS: ReadonlyArray<[keyof Key, string]> = [
  ['upArrow', 'up'],
  ['downArrow', 'down'],
  ['leftArrow', 'left'],
  ['rightArrow', 'right'],
];

/** The name of one character of a burst. */
function charKey(ch: string): KeyName {
  if (ch === '\r' || ch === '\n') return 'enter';
  if (ch === '\t') return 'tab';
  if (ch === '\x7f' || ch === '\b') return 'backspace';
  if (ch === '\x1b') return 'escape';
  if (ch === ' ') return 'space';
  const code = ch.codePointAt(0) ?? 0;
  if (code > 0 && code < 27) return `ctrl+${String.fromCharCode(code + 96)}`;
  return ch;
}

/** The keys in one input event from Ink, in order. */
export function keyTokens(input: string, key: Key): KeyName[] {
  for (const [flag, name] of ARROWS) {
    if (key[flag]) return [key.shift ? `shift+${name}` : key.ctrl ? `ctrl+${name}` : name];
  }
  if (key.pageUp) return ['pageup'];
  if (key.pageDown) return ['pagedown'];
  if (key.home) return ['home'];
  if (key.end) return ['end'];
  if (key.escape) return ['escape'];
  if (key.return) return ['enter'];
  if (key.tab) return [key.shift ? 'shift+tab' : 'tab'];
  if (key.backspace || key.delete) return ['backspace'];
  if (key.ctrl && input.length === 1) return [`ctrl+${input.toLowerCase()}`];
  if (key.meta && input.length === 1) return [`alt+${input}`];
  return Array.from(input, charKey);
}

/** True for a key that types a character into a text field. */
export function isPrintable(name: KeyName): boolean {
  return name === 'space' || Array.from(name).length === 1;
}

/** The character a printable key types. */
export function keyText(name: KeyName): string {
  return name === 'space' ? ' ' : name;
}

const DISPLAY: Readonly<Record<string, string>> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  enter: 'Enter',
  escape: 'Esc',
  tab: 'Tab',
  space: 'Space',
  backspace: 'Backspace',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
};

/** How a key is written in help and docs: `Shift+↑`, `Ctrl+C`, `Esc`, `J`. */
export function displayKey(name: KeyName): string {
  const parts = name.split('+');
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') {
    const [mod, base] = parts as [string, string];
    const modName = mod === 'ctrl' ? 'Ctrl' : mod === 'shift' ? 'Shift' : mod === 'alt' ? 'Alt' : mod;
    return `${modName}+${DISPLAY[base] ?? base.toUpperCase()}`;
  }
  return DISPLAY[name] ?? name;
}
