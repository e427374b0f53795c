/** The line above the status line: the result of the last action, or why it could not run. */
import React from 'react';
import { Text } from 'ink';
import { useAppStore } from '../hooks/use-app-store.js';

const COLORS = { ok: 'green', error: 'red', info: undefined } as const;

/** See the file comment. */
export function MessageLine() {
  const flash = useAppStore((s) => s.flash);
  if (!flash) return <Text> </Text>;
  return (
    <Text wrap="truncate" color={COLORS[flash.tone]}>
      {flash.text}
      {flash.hint ? <Text dimColor>{` — ${flash.hint}`}</Text> : null}
    </Text>
  );
}
