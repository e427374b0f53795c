/** A confirmation that says what will happen (e.g. that removing the last user deletes the device). */
import React from 'react';
import { Text } from 'ink';
import type { Modal } from '../../state/types.js';
import { useAppStore } from '../../hooks/use-app-store.js';
import { DialogFrame, wrappedLines } from './dialog-frame.js';

/** See the file comment. */
export function ConfirmDialog({ modal }: { modal: Extract<Modal, { kind: 'confirm' }> }) {
  const columns = useAppStore((s) => s.size.columns);
  return (
    <DialogFrame
      contentLines={2 + wrappedLines(modal.lines, columns)}
      title={modal.title}
      tone={modal.danger ? 'danger' : 'normal'}
      footer={modal.busy ? 'Working…' : `Enter/y ${modal.confirmLabel}   ·   Esc/n cancel`}
    >
      <Text> </Text>
      {modal.lines.map((line, i) => (
        <Text key={i} wrap="wrap">
          {line || ' '}
        </Text>
      ))}
      <Text> </Text>
    </DialogFrame>
  );
}
