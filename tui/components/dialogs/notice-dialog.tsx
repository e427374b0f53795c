/** A notice: text to read (a link just copied, an audit event); Enter or Esc closes it. */
import React from 'react';
import { Text } from 'ink';
import type { Modal } from '../../state/types.js';
import { useAppStore } from '../../hooks/use-app-store.js';
import { DialogFrame, wrappedLines } from './dialog-frame.js';

/** See the file comment. */
export function NoticeDialog({ modal }: { modal: Extract<Modal, { kind: 'notice' }> }) {
  const columns = useAppStore((s) => s.size.columns);
  return (
    <DialogFrame title={modal.title} footer="Enter/Esc close" contentLines={2 + wrappedLines(modal.lines, columns)}>
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
