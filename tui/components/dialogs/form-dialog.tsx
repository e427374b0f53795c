/** A small form: text fields and choices (←/→), Tab between fields, Enter submits, errors stay in the form. */
import React from 'react';
import { Text } from 'ink';
import { visibleFields } from '../../state/dialog-slice.js';
import type { Modal } from '../../state/types.js';
import { useAppStore } from '../../hooks/use-app-store.js';
import { DialogFrame, wrappedLines } from './dialog-frame.js';

/** See the file comment. */
export function FormDialog({ modal }: { modal: Extract<Modal, { kind: 'form' }> }) {
  const fields = visibleFields(modal);
  const focused = fields[modal.focus];
  const labelWidth = Math.max(...fields.map((f) => f.label.length)) + 2;
  const columns = useAppStore((s) => s.size.columns);
  const extra = (modal.lines ?? []).length + 3 + (modal.error ? wrappedLines([modal.error], columns) : 1);
  return (
    <DialogFrame contentLines={fields.length + extra} title={modal.title} footer={modal.busy ? 'Working…' : `Enter ${modal.submitLabel}  ·  Tab/↓ next field  ·  Esc cancel`}>
      {(modal.lines ?? []).map((line, i) => (
        <Text key={`l${i}`} dimColor wrap="truncate">
          {line}
        </Text>
      ))}
      <Text> </Text>
      {fields.map((f, i) => {
        const active = i === modal.focus;
        const value = modal.values[f.name] ?? '';
        const shown =
          f.kind === 'choice' ? `‹ ${f.choices?.find((c) => c.value === value)?.label ?? value} ›` : f.secret ? '•'.repeat(Array.from(value).length) : value;
        return (
          <Text key={f.name} wrap="truncate">
            <Text color={active ? 'cyan' : undefined} bold={active}>
              {`${active ? '›' : ' '} ${f.label}:`.padEnd(labelWidth + 2)}
            </Text>
            <Text inverse={active && f.kind === 'choice'}>{shown}</Text>
            {active && f.kind === 'text' ? <Text inverse> </Text> : null}
          </Text>
        );
      })}
      <Text> </Text>
      {modal.error ? (
        <Text color="red" wrap="wrap">
          {modal.error}
        </Text>
      ) : (
        <Text dimColor wrap="truncate">
          {focused?.hint ?? ' '}
        </Text>
      )}
    </DialogFrame>
  );
}
