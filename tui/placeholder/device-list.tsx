/** The placeholder screen: devices with their users, a live filter, and cursor movement. Layout only. */
import React, { useEffect, useState } from 'react';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { PLATFORM_LABELS, PHONE_TYPE_LABELS } from '../../src/domain/enums.js';
import type { DeviceRow } from '../../src/rpc/contract.js';
import type { DeviceListState } from './device-list-store.js';

const CHROME_LINES = 6;

function pad(text: string, width: number): string {
  return text.length > width ? text.slice(0, Math.max(0, width - 1)) + '…' : text.padEnd(width);
}

function deviceCells(row: DeviceRow): string[] {
  return [
    row.name || row.number || row.phone_id,
    PHONE_TYPE_LABELS[row.type],
    row.type === 'landline' ? '' : PLATFORM_LABELS[row.platform],
    row.os_version,
    row.encrypted === 'Encrypted' ? 'yes' : row.encrypted === 'Unencrypted' ? 'NO' : '?',
    row.user_refs.map((u) => `${u.username} (${u.alias})`).join(', ') + (row.shared ? '  [shared]' : ''),
  ];
}

/** Renders the device list; `/` edits the filter, j/k/arrows move, q or Ctrl+C quits. */
export function DeviceList({ store }: { store: StoreApi<DeviceListState> }) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [editing, setEditing] = useState(false);
  const [size, setSize] = useState({ columns: stdout.columns ?? 80, rows: stdout.rows ?? 24 });
  const filter = useStore(store, (s) => s.filter);
  const rows = useStore(store, (s) => s.rows);
  const total = useStore(store, (s) => s.total);
  const cursor = useStore(store, (s) => s.cursor);
  const offset = useStore(store, (s) => s.offset);
  const error = useStore(store, (s) => s.error);

  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns ?? 80, rows: stdout.rows ?? 24 });
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);
  useEffect(() => store.getState().setPageSize(Math.max(1, size.rows - CHROME_LINES)), [size.rows, store]);

  useInput((input, key) => {
    const state = store.getState();
    if (editing) {
      if (key.return || key.escape) setEditing(false);
      else if (key.backspace || key.delete) state.setFilter(state.filter.slice(0, -1));
      else if (input && !key.ctrl && !key.meta) state.setFilter(state.filter + input);
      return;
    }
    if (input === 'q') return exit();
    if (input === '/') return setEditing(true);
    if (key.downArrow) return state.move(1);
    if (key.upArrow) return state.move(-1);
    if (key.pageDown) return state.move(state.pageSize);
    if (key.pageUp) return state.move(-state.pageSize);
    // Keys can arrive in bursts ("jjj" in one read): each counts.
    for (const ch of input) {
      if (ch === 'j') state.move(1);
      else if (ch === 'k') state.move(-1);
      else if (ch === 'g') state.move(-Infinity);
      else if (ch === 'G') state.move(Infinity);
    }
  });

  const widths = [22, 9, 16, 8, 6, Math.max(10, size.columns - 22 - 9 - 16 - 8 - 6 - 7)];
  const header = ['Device', 'Type', 'Platform', 'OS', 'Encr', 'Users'];
  return (
    <Box flexDirection="column" height={size.rows - 1}>
      <Text bold>
        factordesk · devices · {total} {total === 1 ? 'match' : 'matches'}
      </Text>
      <Text>
        {editing ? <Text color="cyan">/{filter}▏</Text> : <Text dimColor>{filter ? `filter: ${filter}` : 'press / to filter (platform:ios os:<17 encrypted:no shared:yes user:alice …)'}</Text>}
      </Text>
      {error ? <Text color="red">{error}</Text> : <Text> </Text>}
      <Text bold>{header.map((h, i) => pad(h, widths[i]!)).join(' ')}</Text>
      {total === 0 && !error ? (
        <Text dimColor>
          No devices{filter ? ' match this filter' : ' yet'}. Add a user and a phone (factordesk users add alice; factordesk
          phones add --user alice --type mobile --platform ios --number +15551234567) or load the demo data (factordesk demo
          load --size small).
        </Text>
      ) : (
        rows.map((row, i) => (
          <Text key={row.phone_id} inverse={offset + i === cursor} wrap="truncate">
            {deviceCells(row).map((c, j) => pad(c, widths[j]!)).join(' ')}
          </Text>
        ))
      )}
      <Box flexGrow={1} />
      <Text dimColor wrap="truncate">
        j/k ↑/↓ move · g/G top/bottom · / filter · q quit
      </Text>
    </Box>
  );
}
