/**
 * The status line: the daemon connection, the hub (online, offline and why, or local only), queued edits and
 * unresolved conflicts (n/a without a hub), and who is working with which role.
 */
import React from 'react';
import { Text } from 'ink';
import { useAppStore } from '../hooks/use-app-store.js';
import { fit } from '../layout.js';
import type { HubStatus } from '../state/session-slice.js';

const na = (n: number | null) => (n === null ? 'n/a' : String(n));

/** The hub's origin without the scheme: `hub.example.com:8443`. */
function hostOf(origin: string | null): string {
  return origin ? origin.replace(/^[a-z]+:\/\//i, '') : '';
}

/** The hub part of the line, e.g. `hub: online hub.example.com:8443` or `hub: offline (local hub)`. */
export function hubText(hub: HubStatus): string {
  switch (hub.state) {
    case 'unknown':
      return 'hub: …';
    case 'local-only':
      return 'hub: local only';
    case 'online':
    case 'offline':
      return `hub: ${hub.state} ${hub.local ? '(local hub)' : hostOf(hub.origin)}`.trimEnd();
  }
}

/** Why the hub is offline, cut to the room the line has left (nothing when too little is left to be useful). */
export function offlineReason(hub: HubStatus, room: number): string {
  if (hub.state !== 'offline' || !hub.message || room < 12) return '';
  return fit(` — ${hub.message}`, room);
}

const HUB_COLORS: Record<HubStatus['state'], string | undefined> = { unknown: undefined, 'local-only': undefined, online: 'green', offline: 'yellow' };

/** See the file comment. */
export function StatusLine() {
  const connection = useAppStore((s) => s.connection);
  const hub = useAppStore((s) => s.hub);
  const queued = useAppStore((s) => s.queuedEdits);
  const conflicts = useAppStore((s) => s.unresolvedConflicts);
  const identity = useAppStore((s) => s.identity);
  const columns = useAppStore((s) => s.size.columns);
  const daemon = connection === 'connected' ? ' ● daemon' : ' ✖ daemon lost';
  const counts = ` · queued ${na(queued)} · conflicts ${na(conflicts)}`;
  const who = ` · ${identity.name} (${identity.role})`;
  const base = ` · ${hubText(hub)}`;
  const hubPart = base + offlineReason(hub, columns - (daemon.length + base.length + counts.length + who.length + 1));
  const used = daemon.length + hubPart.length + counts.length + who.length;
  // The key reminder goes first when the line is short of room; the state never does.
  const keys = [' · ? help · : commands ', ' · ? help ', ' '].find((k) => used + k.length <= columns) ?? ' ';
  return (
    <Text wrap="truncate" inverse>
      <Text color={connection === 'connected' ? 'green' : 'red'}>{daemon}</Text>
      <Text color={HUB_COLORS[hub.state]}>{hubPart}</Text>
      <Text color={conflicts ? 'yellow' : undefined}>{counts}</Text>
      <Text bold>{who}</Text>
      <Text>{keys}</Text>
    </Text>
  );
}
