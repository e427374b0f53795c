import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BINDINGS, fuzzyScore, SCOPES } from '../../../tui/keymap/bindings.js';
import { CHEATSHEET_PATH, keybindingsMarkdown } from '../../../tui/keymap/cheatsheet.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the keymap table', () => {
  it('binds no key twice in one scope', () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const b of BINDINGS) {
      for (const k of b.keys) {
        const slot = `${b.scope} ${k}`;
        const other = seen.get(slot);
        if (other) duplicates.push(`${slot}: ${other} and ${b.id}`);
        seen.set(slot, b.id);
      }
    }
    expect(duplicates).toEqual([]);
  });

  it('has unique ids, known scopes, keys and a label for every binding', () => {
    const ids = BINDINGS.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const b of BINDINGS) {
      expect(SCOPES).toContain(b.scope);
      expect(b.keys.length).toBeGreaterThan(0);
      expect(b.label.length).toBeGreaterThan(0);
    }
  });

  it('binds what the issue asks for', () => {
    const keysOf = (id: string) => BINDINGS.find((b) => b.id === id)?.keys;
    expect(keysOf('user.move-down')).toEqual(['J', 'shift+down']);
    expect(keysOf('user.move-up')).toEqual(['K', 'shift+up']);
    expect(keysOf('list.filter')).toEqual(['/']);
    expect(keysOf('app.palette')).toEqual([':']);
    expect(keysOf('app.help')).toEqual(['?']);
    expect(keysOf('list.mark')).toEqual(['space']);
    expect(keysOf('list.export')).toEqual(['e']);
    expect(keysOf('list.link')).toEqual(['y']);
    expect(keysOf('app.quit')).toEqual(['ctrl+c']);
    expect(BINDINGS.filter((b) => b.id.startsWith('screen.') && /^\d$/.test(b.keys[0]!)).map((b) => b.keys[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it(`matches the committed ${CHEATSHEET_PATH} (run npm run docs:keys after changing bindings)`, () => {
    const committed = fs.readFileSync(path.join(ROOT, CHEATSHEET_PATH), 'utf8');
    expect(committed).toBe(keybindingsMarkdown());
  });

  it('lists every binding in the generated cheat sheet', () => {
    const md = keybindingsMarkdown();
    for (const b of BINDINGS) expect(md).toContain(`| ${b.label} | ${b.group} |`);
  });
});

describe('fuzzyScore', () => {
  it('matches subsequences, ranking word starts and runs higher', () => {
    expect(fuzzyScore('xyz', 'Delete the device')).toBe(0);
    expect(fuzzyScore('', 'anything')).toBeGreaterThan(0);
    expect(fuzzyScore('dd', 'Delete device')).toBeGreaterThan(fuzzyScore('dd', 'Add a hardware token'));
    expect(fuzzyScore('exp', 'Export this view')).toBeGreaterThan(fuzzyScore('exp', 'Send a Duo Mobile activation (QR code and link) expired'));
  });
});
