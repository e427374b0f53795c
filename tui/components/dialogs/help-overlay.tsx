/**
 * The `?` help: the keys of the screen or page underneath, from the same table that dispatches them, with
 * why an action is unavailable; on a list, the filter keys of that view too.
 */
import React from 'react';
import { Text } from 'ink';
import { filterKeys } from '../../../src/filter/keys.js';
import { BINDINGS } from '../../keymap/bindings.js';
import { bindingKeys } from '../../keymap/cheatsheet.js';
import { pageScopes, SCOPE_TITLES } from '../../keymap/scopes.js';
import { useAppStore } from '../../hooks/use-app-store.js';
import { dialogLines } from '../../layout.js';
import type { AppState } from '../../state/store.js';
import { SCREENS, type Modal } from '../../state/types.js';
import { DialogFrame } from './dialog-frame.js';

interface HelpLine {
  text: string;
  kind: 'heading' | 'key' | 'off' | 'reason' | 'plain';
}

/** The help's lines for a state. */
export function helpLines(state: AppState): HelpLine[] {
  const lines: HelpLine[] = [];
  for (const scope of pageScopes(state)) {
    const mine = BINDINGS.filter((b) => b.scope === scope);
    if (mine.length === 0) continue;
    lines.push({ text: SCOPE_TITLES[scope], kind: 'heading' });
    for (const b of mine) {
      const reason = b.disabledReason?.(state);
      lines.push({ text: `  ${bindingKeys(b).padEnd(16)} ${b.label}`, kind: reason ? 'off' : 'key' });
      // The reason gets a line of its own: it is the part a person needs to read whole.
      if (reason) lines.push({ text: `${' '.repeat(19)}unavailable: ${reason}`, kind: 'reason' });
    }
  }
  const entity = state.topPage() ? undefined : SCREENS.find((s) => s.id === state.screen)?.entity;
  if (entity) {
    lines.push({ text: `Filter keys of ${entity} (after /; -key:value negates, "quoted text" matches a phrase)`, kind: 'heading' });
    for (const k of filterKeys(entity)) lines.push({ text: `  ${k.example.padEnd(22)} ${k.description}`, kind: 'plain' });
  }
  return lines;
}

/** See the file comment. */
export function HelpOverlay({ modal }: { modal: Extract<Modal, { kind: 'help' }> }) {
  const state = useAppStore((s) => s);
  const lines = helpLines(state);
  const visible = dialogLines(state.size);
  const scroll = Math.min(modal.scroll, Math.max(0, lines.length - visible));
  return (
    <DialogFrame title={`Help · ${lines.length > visible ? `lines ${scroll + 1}–${Math.min(lines.length, scroll + visible)} of ${lines.length}` : 'keys'}`} footer="j/k scroll  ·  Space page  ·  Esc/?/q close">
      {lines.slice(scroll, scroll + visible).map((l, i) => (
        <Text
          key={i}
          wrap="truncate"
          bold={l.kind === 'heading'}
          color={l.kind === 'heading' ? 'cyan' : l.kind === 'reason' ? 'yellow' : undefined}
          dimColor={l.kind === 'off'}
        >
          {l.text}
        </Text>
      ))}
    </DialogFrame>
  );
}
