/**
 * 8 Sync: the daemon this TUI talks to and the hub it replicates with: online, offline (and why) or local only,
 * queued edits, the last exchange, unresolved conflicts, who the hub says is working, and the latest changes the
 * hub refused.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { useAppStore } from '../../hooks/use-app-store.js';
import { refusalText } from '../../state/session-slice.js';
import { ago, dateTime } from '../shared/format.js';

/** How many refused changes the screen lists. */
const REFUSALS_SHOWN = 3;

/** See the file comment. */
export function SyncScreen() {
  const hello = useAppStore((s) => s.hello);
  const identity = useAppStore((s) => s.identity);
  const connection = useAppStore((s) => s.connection);
  const sync = useAppStore((s) => s.sync);
  const syncError = useAppStore((s) => s.syncError);
  const counts = useAppStore((s) => s.counts);
  const line = (label: string, value: string, color?: string) => (
    <Text wrap="truncate">
      <Text dimColor>{label.padEnd(18)}</Text>
      <Text color={color}>{value}</Text>
    </Text>
  );
  const local = sync?.state === 'local-only';
  const hubLine = !sync
    ? (syncError ?? 'asking the daemon…')
    : local
      ? 'local only: no hub is configured yet'
      : `${sync.state} · ${sync.local ? `the local hub (${sync.hub ?? 'starting'})` : sync.hub}${sync.state === 'offline' && sync.message ? ` · ${sync.message}` : ''}`;
  const hubColor = !sync ? undefined : local ? 'yellow' : sync.state === 'online' ? 'green' : 'yellow';
  const lastSync = sync?.lastSync ? `${dateTime(sync.lastSync)} UTC (${ago(new Date(sync.lastSync).toISOString(), Date.now())} ago)` : 'never';
  const refused = sync?.refused.slice(0, REFUSALS_SHOWN) ?? [];
  return (
    <Box flexDirection="column">
      <Text bold>Sync</Text>
      <Text> </Text>
      {line('Daemon', connection === 'connected' ? `connected · pid ${hello.pid} · version ${hello.version}` : 'connection lost', connection === 'connected' ? 'green' : 'red')}
      {line('Started', `${dateTime(hello.startedAt)} UTC`)}
      {line('Data directory', hello.dataDir)}
      {line('Administrator', `${identity.name} (${identity.role}) · ${identity.admin_id}`)}
      {line('Replica', `${counts.users ?? '?'} users · ${counts.devices ?? '?'} devices · ${counts.tokens ?? '?'} tokens`)}
      <Text> </Text>
      {line('Hub', hubLine, hubColor)}
      {line('Queued edits', !sync || local ? 'n/a (nothing to push to)' : String(sync.queued), sync && sync.queued > 0 ? 'yellow' : undefined)}
      {line('Last exchange', !sync || local ? 'n/a' : lastSync)}
      {line('Conflicts', !sync || local ? 'n/a' : `${sync.conflicts} unresolved (screen 7)`, sync && sync.conflicts > 0 ? 'yellow' : undefined)}
      {line('Resync/activation', !sync ? '…' : local ? 'unavailable until a hub is configured' : sync.state === 'online' ? 'available' : 'queued until the hub is back')}
      {line('Refused changes', refused.length === 0 ? 'none' : `${sync?.refused.length ?? 0} since the daemon started; the latest:`)}
      {refused.map((r) => (
        <Text key={`${r.time}-${r.collection}-${r.id}`} color="red" wrap="truncate">
          {`  ${dateTime(r.time)} ${refusalText(r)}`}
        </Text>
      ))}
      <Text> </Text>
      <Text dimColor wrap="wrap">
        {local
          ? 'A team hub keeps the master copy, enforces roles and keeps token secrets; the daemon replicates with it and queues edits while it is unreachable. Connect one with `factordesk login`.'
          : 'Edits are made in the local replica at once and pushed to the hub; while it is unreachable they wait here and go out when it is back.'}
      </Text>
    </Box>
  );
}
