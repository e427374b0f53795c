/**
 * A server-side request being followed (resync, activation): what was asked, where it stands (queued while the
 * hub is away, running, done, failed with the hub's reason), and what it did. Esc closes it; the request itself
 * keeps its place.
 */
import React from 'react';
import { Text } from 'ink';
import type { Modal } from '../../state/types.js';
import { requestStateText } from '../../state/hub-actions-slice.js';
import { useAppStore } from '../../hooks/use-app-store.js';
import { DialogFrame, wrappedLines } from './dialog-frame.js';

const COLORS = { pending: 'yellow', running: 'cyan', done: 'green', failed: 'red' } as const;

/** See the file comment. */
export function RequestDialog({ modal }: { modal: Extract<Modal, { kind: 'request' }> }) {
  const columns = useAppStore((s) => s.size.columns);
  const online = useAppStore((s) => s.hub.state === 'online');
  const state = modal.error ? modal.error : requestStateText(modal.request, online);
  const color = modal.error ? 'red' : COLORS[modal.request.status];
  const body = [...modal.lines, '', state, ...(modal.result ?? [])];
  const waiting = !modal.error && (modal.request.status === 'pending' || modal.request.status === 'running');
  return (
    <DialogFrame
      title={modal.title}
      footer={waiting ? 'Esc close — it still runs, and its result is kept' : 'Enter/Esc close'}
      contentLines={3 + wrappedLines(body, columns)}
    >
      <Text> </Text>
      {modal.lines.map((line, i) => (
        <Text key={`l${i}`} wrap="wrap">
          {line}
        </Text>
      ))}
      <Text> </Text>
      <Text color={color} wrap="wrap">
        {state}
      </Text>
      {(modal.result ?? []).map((line, i) => (
        <Text key={`r${i}`} wrap="wrap">
          {line}
        </Text>
      ))}
      <Text dimColor wrap="truncate">
        {`Request ${modal.request.request_id}`}
      </Text>
    </DialogFrame>
  );
}
