/**
 * 7 Conflicts: every automatic resolution this replica recorded, with both sides (the value kept and the one of
 * this replica that lost), the rule that decided, when, and where it stands; r re-applies the lost side as a new
 * edit, x keeps the outcome. Without a hub there is nothing to reconcile, and the screen says so.
 */
import React, { useEffect, useMemo } from 'react';
import { Box, Text } from 'ink';
import type { ConflictView } from '../../../src/rpc/contract.js';
import { KeyHints } from '../../components/key-hints.js';
import { Table, type Column } from '../../components/table.js';
import { useAppStore, useStoreApi } from '../../hooks/use-app-store.js';
import { conflictRows } from '../../layout.js';
import { scrollTo } from '../../state/list-movement.js';
import { conflictEntity, conflictSides, ruleText } from '../../state/conflicts-slice.js';
import { dateTime } from '../shared/format.js';

const STATE_TEXT: Record<ConflictView['state'], string> = {
  open: 'unresolved',
  'kept-both': 'both kept',
  reapplied: 're-applied',
  accepted: 'kept',
};

const COLUMNS: readonly Column<ConflictView>[] = [
  { id: 'time', title: 'When (UTC)', width: 16, priority: 2, cell: (c) => dateTime(c.time) },
  // At 80 columns the columns of priority 1 fit exactly.
  { id: 'entity', title: 'Record', width: 27, priority: 1, cell: (c) => conflictEntity(c) },
  { id: 'field', title: 'Field', width: 9, priority: 1, cell: (c) => c.field },
  { id: 'kept', title: 'Kept (now)', width: 14, priority: 1, flex: true, cell: (c) => conflictSides(c).kept },
  { id: 'lost', title: 'Yours (lost)', width: 14, priority: 1, cell: (c) => conflictSides(c).lost },
  { id: 'rule', title: 'Rule', width: 20, priority: 3, cell: (c) => c.rule },
  {
    id: 'state',
    title: 'State',
    width: 10,
    priority: 1,
    cell: (c) => STATE_TEXT[c.state],
    color: (c) => (c.state === 'open' ? 'yellow' : undefined),
  },
];

/** See the file comment. */
export function ConflictsScreen() {
  const hubReason = useAppStore((s) => s.hubReason());
  const hubState = useAppStore((s) => s.hub.state);
  if (hubState === 'local-only') return <NoHub reason={hubReason ?? ''} />;
  return <ConflictList />;
}

function NoHub({ reason }: { reason: string }) {
  return (
    <Box flexDirection="column">
      <Text bold>Conflicts</Text>
      <Text> </Text>
      <Text wrap="wrap">No hub is configured, so there is nothing to reconcile: this daemon is local only and every edit is final.</Text>
      <Text> </Text>
      <Text dimColor wrap="wrap">
        With a hub, concurrent edits by several administrators merge by the written policy. Each automatic resolution
        shows here with both sides (yours and the one kept), and r re-applies your side.
      </Text>
      <Text> </Text>
      <Text dimColor wrap="truncate">{`r re-apply my side — unavailable: ${reason}.`}</Text>
    </Box>
  );
}

function ConflictList() {
  const store = useStoreApi();
  const conflicts = useAppStore((s) => s.conflicts);
  const size = useAppStore((s) => s.size);
  const sync = useAppStore((s) => s.sync);
  // Read again whenever the daemon's sync status changes (a new record, one settled elsewhere).
  useEffect(() => {
    void store.getState().loadConflicts();
  }, [store, sync]);
  const height = conflictRows(size);
  const offset = scrollTo(conflicts.cursor, conflicts.offset, conflicts.rows.length, height);
  const visible = useMemo(() => conflicts.rows.slice(offset, offset + height), [conflicts.rows, offset, height]);
  const open = conflicts.rows.filter((c) => c.state === 'open').length;
  const selected = conflicts.rows[conflicts.cursor];
  const title = conflicts.loaded
    ? `Conflicts · ${conflicts.rows.length} recorded · ${open} unresolved`
    : 'Conflicts · loading…';
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {title}
      </Text>
      <Table
        columns={COLUMNS}
        rows={visible}
        rowKey={(c) => c.conflict_id}
        cursor={conflicts.cursor - offset}
        width={size.columns}
        height={height}
        dimRow={(c) => c.state !== 'open'}
        empty={
          <Text dimColor wrap="wrap">
            {conflicts.error ?? (conflicts.loaded ? 'No conflicts: every concurrent edit so far merged without losing a side.' : ' ')}
          </Text>
        }
      />
      <Box flexDirection="column" height={5} overflow="hidden">
        {selected ? <Details conflict={selected} /> : null}
      </Box>
      <KeyHints scopes={['conflicts']} />
    </Box>
  );
}

function Details({ conflict: c }: { conflict: ConflictView }) {
  const sides = conflictSides(c);
  const settled = c.settled_at ? ` · ${STATE_TEXT[c.state]} ${dateTime(c.settled_at)} UTC${c.settled_by ? ` by ${c.settled_by}` : ''}` : '';
  return (
    <>
      <Text wrap="truncate">
        <Text bold>{`${conflictEntity(c)} · ${c.field}`}</Text>
        <Text dimColor>{`  ${dateTime(c.time)} UTC${settled}`}</Text>
      </Text>
      <Text dimColor wrap="truncate">{`${c.rule}: ${ruleText(c)}`}</Text>
      <Text wrap="truncate">{`Kept (now):   ${sides.kept}`}</Text>
      <Text wrap="truncate" color={c.state === 'open' ? 'yellow' : undefined}>{`Yours (lost): ${sides.lost}`}</Text>
      <Text> </Text>
    </>
  );
}
