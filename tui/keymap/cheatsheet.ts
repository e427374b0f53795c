/** docs/keybindings.md, generated from the keymap table (`npm run docs:keys`; a test fails when it is stale). */
import { BINDINGS, type Binding } from './bindings.js';
import { displayKey } from './keys.js';
import { SCOPES, SCOPE_TITLES } from './scopes.js';

/** Where the generated file lives, relative to the repository root. */
export const CHEATSHEET_PATH = 'docs/keybindings.md';

const code = (text: string) => `\`${text.replace(/\|/g, '\\|')}\``;

/** The keys of a binding as the docs and the help write them: `j` / `↓`. */
export function bindingKeys(b: Binding): string {
  return b.keys.map(displayKey).join(' / ');
}

/** The whole cheat sheet as markdown. */
export function keybindingsMarkdown(bindings: readonly Binding[] = BINDINGS): string {
  const out: string[] = [
    '# factordesk key bindings',
    '',
    'Generated from `tui/keymap/bindings.ts` by `npm run docs:keys`: do not edit by hand (a test fails when this',
    'file differs from the table). The `?` help in the TUI shows the same table for the screen you are on, with',
    'the reason an action is unavailable (your role, nothing selected, no hub yet).',
    '',
    'Inner scopes come first: a dialog takes every key but Ctrl+C; a list or page adds its own keys before the',
    'movement keys and the keys of every screen. Keys that arrive together (a burst, a paste) count one by one.',
    '',
  ];
  for (const scope of SCOPES) {
    const mine = bindings.filter((b) => b.scope === scope);
    if (mine.length === 0) continue;
    out.push(`## ${SCOPE_TITLES[scope]} (\`${scope}\`)`, '', '| Keys | Action | Group |', '|---|---|---|');
    for (const b of mine) out.push(`| ${b.keys.map((k) => code(displayKey(k))).join(' ')} | ${b.label} | ${b.group} |`);
    out.push('');
  }
  out.push('## Text fields', '', 'Any other printable key types into the open text field (filter, palette query, form field, picker search).', '');
  return out.join('\n');
}
