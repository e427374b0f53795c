/** One line of the keys of the current screen or page (from the keymap), unavailable ones dimmed. */
import React from 'react';
import { Text } from 'ink';
import { BINDINGS } from '../keymap/bindings.js';
import { displayKey } from '../keymap/keys.js';
import type { Scope } from '../keymap/scopes.js';
import { useAppStore } from '../hooks/use-app-store.js';

/** See the file comment; only bindings with a `short` label are listed. */
export function KeyHints({ scopes }: { scopes: readonly Scope[] }) {
  const state = useAppStore((s) => s);
  const shown = scopes.flatMap((scope) => BINDINGS.filter((b) => b.short && b.scope === scope));
  return (
    <Text wrap="truncate">
      {shown.map((b, i) => {
        const off = b.disabledReason?.(state) !== undefined;
        return (
          <Text key={b.id} dimColor={off}>
            {i > 0 ? <Text dimColor>{' · '}</Text> : null}
            <Text color={off ? undefined : 'cyan'}>{displayKey(b.keys[0]!)}</Text>
            {` ${b.short}`}
          </Text>
        );
      })}
    </Text>
  );
}
