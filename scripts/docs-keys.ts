/** Writes docs/keybindings.md from the keymap table (`npm run docs:keys`). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHEATSHEET_PATH, keybindingsMarkdown } from '../tui/keymap/cheatsheet.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, CHEATSHEET_PATH);
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, keybindingsMarkdown());
process.stdout.write(`wrote ${CHEATSHEET_PATH}\n`);
