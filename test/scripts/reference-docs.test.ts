import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { referenceDocs } from '../../scripts/reference-docs.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('generated reference pages', () => {
  for (const [file, text] of Object.entries(referenceDocs())) {
    it(`${file} matches the tables it is generated from (run \`npm run docs\` when this fails)`, () => {
      expect(fs.readFileSync(path.join(ROOT, file), 'utf8')).toBe(text);
    });
  }

  it('the role page names every role and the Owner-only token rule', () => {
    const roles = referenceDocs()['docs/roles.md']!;
    for (const role of ['Owner', 'Administrator', 'User Manager', 'Help Desk', 'Billing', 'Read-only']) expect(roles).toContain(role);
  });
});
