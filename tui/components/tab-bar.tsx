/** The screens with their number keys; the current one is highlighted. */
import React from 'react';
import { Text } from 'ink';
import { useAppStore } from '../hooks/use-app-store.js';
import { SCREENS } from '../state/types.js';

/** See the file comment. */
export function TabBar() {
  const screen = useAppStore((s) => s.screen);
  const columns = useAppStore((s) => s.size.columns);
  const brand = columns >= 100;
  return (
    <Text wrap="truncate">
      {brand ? <Text bold color="cyan">{'factordesk '}</Text> : null}
      {SCREENS.map((s, i) => (
        <Text key={s.id} inverse={s.id === screen} bold={s.id === screen}>
          {` ${i + 1} ${s.title} `}
        </Text>
      ))}
    </Text>
  );
}
