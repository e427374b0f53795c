import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { displayKey, isPrintable, keyTokens } from '../../../tui/keymap/keys.js';

const none: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const key = (over: Partial<Key>): Key => ({ ...none, ...over });

describe('keyTokens', () => {
  it('splits a burst into one key per character', () => {
    expect(keyTokens('jjj', none)).toEqual(['j', 'j', 'j']);
    expect(keyTokens('kJ', none)).toEqual(['k', 'J']);
  });

  it('names control characters inside a burst', () => {
    expect(keyTokens('j\r', none)).toEqual(['j', 'enter']);
    expect(keyTokens('a b\u007f\t\u0003', none)).toEqual(['a', 'space', 'b', 'backspace', 'tab', 'ctrl+c']);
  });

  it('names special keys from Ink flags, with Shift on arrows and Tab', () => {
    expect(keyTokens('', key({ downArrow: true }))).toEqual(['down']);
    expect(keyTokens('', key({ upArrow: true, shift: true }))).toEqual(['shift+up']);
    expect(keyTokens('', key({ tab: true, shift: true }))).toEqual(['shift+tab']);
    expect(keyTokens('', key({ return: true }))).toEqual(['enter']);
    expect(keyTokens('', key({ escape: true, meta: true }))).toEqual(['escape']);
    expect(keyTokens('', key({ pageDown: true }))).toEqual(['pagedown']);
    expect(keyTokens('', key({ delete: true }))).toEqual(['backspace']);
    expect(keyTokens('c', key({ ctrl: true }))).toEqual(['ctrl+c']);
    expect(keyTokens('G', key({ shift: true }))).toEqual(['G']);
  });

  it('tells printable keys and writes keys for people', () => {
    expect(isPrintable('a')).toBe(true);
    expect(isPrintable('space')).toBe(true);
    expect(isPrintable('é')).toBe(true);
    expect(isPrintable('enter')).toBe(false);
    expect(displayKey('shift+down')).toBe('Shift+↓');
    expect(displayKey('ctrl+c')).toBe('Ctrl+C');
    expect(displayKey('escape')).toBe('Esc');
    expect(displayKey('J')).toBe('J');
  });
});
