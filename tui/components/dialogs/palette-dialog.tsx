/** The `:` command palette: every action of the screen underneath, fuzzy-matched on its label. */
import React from 'react';
import { Text } from 'ink';
import { paletteEntries, scopesUnderPalette } from '../../keymap/bindings.js';
import { bindingKeys } from '../../keymap/cheatsheet.js';
import { useAppStore } from '../../hooks/use-app-store.js';
import { dialogLines } from '../../layout.js';
import type { Modal } from '../../state/types.js';
import { DialogFrame } from './dialog-frame.js';

/** See the file comment. */
export function PaletteDialog({ modal }: { modal: Extract<Modal, { kind: 'palette' }> }) {
  const state = useAppStore((s) => s);
  const entries = paletteEntries(state, modal.query, scopesUnderPalette(state));
  const visible = Math.max(1, dialogLines(state.size) - 2);
  const cursor = Math.min(modal.cursor, Math.max(0, entries.length - 1));
  const start = Math.max(0, cursor - visible + 1);
  return (
    <DialogFrame title="Command palette" footer="Enter run  ·  ↑/↓ choose  ·  type to search  ·  Esc close">
      <Text wrap="truncate">
        <Text color="cyan">: </Text>
        <Text>{modal.query}</Text>
        <Text inverse> </Text>
        <Text dimColor>{`   ${entries.length} commands`}</Text>
      </Text>
      <Text> </Text>
      {entries.length === 0 ? <Text dimColor>No command matches.</Text> : null}
      {entries.slice(start, start + visible).map((e, i) => {
        const selected = start + i === cursor;
        return (
          <Text key={e.binding.id} wrap="truncate" inverse={selected} dimColor={!selected && e.disabled !== undefined}>
            {bindingKeys(e.binding).padEnd(12)}
            {e.binding.label}
            <Text dimColor>{e.disabled ? `  (unavailable: ${e.disabled})` : ''}</Text>
          </Text>
        );
      })}
    </DialogFrame>
  );
}
