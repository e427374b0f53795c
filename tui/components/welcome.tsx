/** The first-run panel of an empty replica: what to do next, with the keys that do it (from the keymap). */
import React from 'react';
import { Box, Text } from 'ink';
import { BINDINGS } from '../keymap/bindings.js';
import { bindingKeys } from '../keymap/cheatsheet.js';
import { useAppStore } from '../hooks/use-app-store.js';

const STEPS: ReadonlyArray<[id: string, explain: string]> = [
  ['welcome.add-user', "then open the user (Enter) and add their phones with n"],
  ['welcome.add-token', 'serials of third-party OTP tokens, without their secrets'],
  ['welcome.import', 'a dry run first; the secrets go to the hub only'],
  ['welcome.demo', '40 users, 50 devices, 24 tokens, 8 U2F keys to look around'],
];

/** See the file comment. */
export function Welcome() {
  const state = useAppStore((s) => s);
  return (
    <Box flexDirection="column" paddingLeft={2}>
      <Text bold>This replica is empty. What next?</Text>
      <Text> </Text>
      {STEPS.map(([id, explain]) => {
        const b = BINDINGS.find((x) => x.id === id)!;
        const reason = b.disabledReason?.(state);
        return (
          <Text key={id} wrap="truncate" dimColor={reason !== undefined}>
            <Text color={reason ? undefined : 'cyan'} bold>{` ${bindingKeys(b).padEnd(3)}`}</Text>
            {` ${b.label}`}
            <Text dimColor>{reason ? ` (unavailable: ${reason})` : ` — ${explain}`}</Text>
          </Text>
        );
      })}
      <Text> </Text>
      <Text dimColor wrap="truncate">
        {' ?   every key   ·   :  command palette   ·   the CLI does the same: factordesk --help'}
      </Text>
    </Box>
  );
}
