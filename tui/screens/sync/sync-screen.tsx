/**
 * 8 Sync: the daemon this TUI talks to and the hub it replicates with. There is no hub yet, so it shows the
 * local-only state and what a hub will add (queued edits, resync, activation).
 */
import React from 'react';
import { Box, Text } from 'ink';
import { useAppStore } from '../../hooks/use-app-store.js';
import { dateTime } from '../shared/format.js';

/** See the file comment. */
export function SyncScreen() {
  const hello = useAppStore((s) => s.hello);
  const connection = useAppStore((s) => s.connection);
  const hubReason = useAppStore((s) => s.hubReason());
  const counts = useAppStore((s) => s.counts);
  const line = (label: string, value: string, color?: string) => (
    <Text wrap="truncate">
      <Text dimColor>{label.padEnd(18)}</Text>
      <Text color={color}>{value}</Text>
    </Text>
  );
  return (
    <Box flexDirection="column">
      <Text bold>Sync</Text>
      <Text> </Text>
      {line('Daemon', connection === 'connected' ? `connected · pid ${hello.pid} · version ${hello.version}` : 'connection lost', connection === 'connected' ? 'green' : 'red')}
      {line('Started', `${dateTime(hello.startedAt)} UTC`)}
      {line('Data directory', hello.dataDir)}
      {line('Administrator', `${hello.identity.name} (${hello.identity.role}) · ${hello.identity.admin_id}`)}
      {line('Replica', `${counts.users ?? '?'} users · ${counts.devices ?? '?'} devices · ${counts.tokens ?? '?'} tokens`)}
      <Text> </Text>
      {line('Hub', hubReason ? 'local only: no hub is configured yet' : 'connected', hubReason ? 'yellow' : 'green')}
      {line('Queued edits', hubReason ? 'n/a (nothing to push to)' : '0')}
      {line('Conflicts', hubReason ? 'n/a' : '0')}
      {line('Resync, activation', hubReason ? 'unavailable until a hub is configured' : 'available')}
      <Text> </Text>
      <Text dimColor wrap="wrap">
        A team hub keeps the master copy, enforces roles and keeps token secrets; the daemon replicates with it and
        queues edits while it is unreachable. Connecting to one arrives with `factordesk login`.
      </Text>
    </Box>
  );
}
