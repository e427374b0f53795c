/**
 * The status line: daemon connection, hub state (local only until a hub is configured), queued edits and
 * unresolved conflicts (n/a without a hub), and who is working with which role.
 */
import React from 'react';
import { Text } from 'ink';
import { useAppStore } from '../hooks/use-app-store.js';

const na = (n: number | null) => (n === null ? 'n/a' : String(n));

/** See the file comment. */
export function StatusLine() {
  const connection = useAppStore((s) => s.connection);
  const hub = useAppStore((s) => s.hub);
  const queued = useAppStore((s) => s.queuedEdits);
  const conflicts = useAppStore((s) => s.unresolvedConflicts);
  const identity = useAppStore((s) => s.hello.identity);
  const columns = useAppStore((s) => s.size.columns);
  const daemon = connection === 'connected' ? ' ● daemon' : ' ✖ daemon lost';
  const sync = ` · hub: ${hub.state === 'none' ? 'local only' : hub.state} · queued ${na(queued)} · conflicts ${na(conflicts)}`;
  const who = ` · ${identity.name} (${identity.role})`;
  const used = daemon.length + sync.length + who.length;
  // The key reminder goes first when the line is short of room; the state never does.
  const keys = [' · ? help · : commands ', ' · ? help ', ' '].find((k) => used + k.length <= columns) ?? ' ';
  return (
    <Text wrap="truncate" inverse>
      <Text color={connection === 'connected' ? 'green' : 'red'}>{daemon}</Text>
      <Text>{sync}</Text>
      <Text bold>{who}</Text>
      <Text>{keys}</Text>
    </Text>
  );
}
