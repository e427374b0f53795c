/**
 * A token file after its dry run: what it would import, its bad rows, or the hub's request importing it. The lines
 * that say where things stand stay put; the rows or errors under them scroll (j/k) within the frame.
 */
import React from 'react';
import { Text } from 'ink';
import { useAppStore } from '../../hooks/use-app-store.js';
import { importWindow, type LineTone } from '../../state/token-import.js';
import type { ImportModal } from '../../state/types.js';
import { DialogFrame } from './dialog-frame.js';

const TONES: Readonly<Record<LineTone, { color?: string; dimColor?: boolean; bold?: boolean }>> = {
  normal: {},
  heading: { bold: true },
  dim: { dimColor: true },
  ok: { color: 'green' },
  busy: { color: 'cyan' },
  warn: { color: 'yellow' },
  error: { color: 'red' },
};

/** See the file comment. */
export function ImportDialog({ modal }: { modal: ImportModal }) {
  const size = useAppStore((s) => s.size);
  const online = useAppStore((s) => s.hub.state === 'online');
  const { content, visible, scroll, maxScroll } = importWindow(modal, size, online);
  const shown = content.list.slice(scroll, scroll + visible);
  const position = maxScroll > 0 ? ` · j/k ${scroll + 1}–${scroll + shown.length} of ${content.list.length}` : '';
  const failed = modal.step === 'invalid' || modal.request?.status === 'failed';
  return (
    <DialogFrame
      title={content.title}
      tone={failed ? 'danger' : 'normal'}
      footer={content.footer + position}
      contentLines={content.fixed.length + shown.length}
    >
      {[...content.fixed, ...shown].map((line, i) => (
        <Text key={i} wrap="truncate" {...TONES[line.tone]}>
          {line.text || ' '}
        </Text>
      ))}
    </DialogFrame>
  );
}
