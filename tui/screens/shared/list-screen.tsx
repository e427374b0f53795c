/**
 * A list screen: its title (match count, order, marks, or the filter's error), the filter line (live while
 * typing), and the windowed table. Every list screen is this one with its own columns; layout only.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { useShallow } from 'zustand/react/shallow';
import { deniedReason, entityViewAction } from '../../../src/roles.js';
import { filterKeys } from '../../../src/filter/keys.js';
import type { EntityName, RowTypes } from '../../../src/rpc/contract.js';
import { Table, type Column } from '../../components/table.js';
import { Welcome } from '../../components/welcome.js';
import { useAppStore } from '../../hooks/use-app-store.js';
import { useListSubscription } from '../../hooks/use-list-subscription.js';
import { showsWelcome } from '../../keymap/scopes.js';
import { listRows } from '../../layout.js';
import type { ListState } from '../../state/lists-slice.js';
import { plural, rowId } from '../../state/rows.js';
import { sortLabel } from '../../state/sort-keys.js';

export interface ListScreenProps<E extends EntityName> {
  entity: E;
  title: string;
  /** "device" / "devices". */
  noun: [string, string];
  columns: readonly Column<RowTypes[E]>[];
  dimRow?(row: RowTypes[E]): boolean;
}

/** "/ filters: platform:ios type:tablet os:<17 …, or any text" from the view's own filter keys. */
function filterHint(entity: EntityName): string {
  return `/ filters: ${filterKeys(entity)
    .slice(0, 4)
    .map((k) => k.example)
    .join(' ')} …, or any text`;
}

/**
 * What the screen draws of a list. The typed `filter` is left out: a keystroke alone must not draw a frame
 * (the answer draws the text and its count together, see lists-slice.ts).
 */
function shownList<E extends EntityName>(l: ListState<E>) {
  const { shownFilter, filterError, sort, total, rows, rowsOffset, cursor, marked, loaded, error } = l;
  return { shownFilter, filterError, sort, total, rows, rowsOffset, cursor, marked, loaded, error };
}

/** See the file comment. */
export function ListScreen<E extends EntityName>({ entity, title, noun, columns, dimRow }: ListScreenProps<E>) {
  // The role decides what may be listed; a lost connection keeps the rows last seen.
  const denied = useAppStore((s) => deniedReason(s.role, entityViewAction(entity)));
  useListSubscription(entity, denied === undefined);
  const list = useAppStore(useShallow((s) => shownList(s.lists[entity] as ListState<E>)));
  const editing = useAppStore((s) => s.modal?.kind === 'filter' && s.modal.entity === entity);
  const size = useAppStore((s) => s.size);
  const count = useAppStore((s) => s.counts[entity]);
  const welcome = useAppStore(showsWelcome);
  const height = listRows(size);
  const marks = Object.keys(list.marked).length;

  const titleLine = list.filterError ? (
    <Text color="red" wrap="truncate">
      {list.filterError.message}
      {list.filterError.hint ? <Text dimColor> {list.filterError.hint}</Text> : null}
    </Text>
  ) : (
    <Text wrap="truncate">
      <Text bold>{title}</Text>
      <Text>
        {' · '}
        {list.loaded ? plural(list.total, 'match', 'matches') : '…'}
        {list.shownFilter && count !== undefined ? ` of ${count}` : ''}
      </Text>
      <Text dimColor>{` · by ${sortLabel(entity, list.sort)}`}</Text>
      {marks > 0 ? <Text color="yellow">{` · ${marks} marked (Esc clears)`}</Text> : null}
    </Text>
  );

  const filterLine = editing ? (
    <Text wrap="truncate">
      <Text color="cyan">/</Text>
      <Text>{list.shownFilter}</Text>
      <Text inverse> </Text>
      <Text dimColor>{`   ${plural(list.total, 'match', 'matches')} · Enter keeps · Esc restores`}</Text>
    </Text>
  ) : list.shownFilter ? (
    <Text wrap="truncate">
      <Text dimColor>filter: </Text>
      <Text color="cyan">{list.shownFilter}</Text>
      <Text dimColor>{'   / edits'}</Text>
    </Text>
  ) : (
    <Text dimColor wrap="truncate">
      {filterHint(entity)}
    </Text>
  );

  let empty: React.ReactNode = null;
  if (denied) empty = <Text color="yellow">{`${denied}.`}</Text>;
  else if (list.error) empty = <Text color="red">{list.error}</Text>;
  else if (!list.loaded) empty = <Text dimColor>Loading…</Text>;
  else if (list.total === 0 && welcome) empty = <Welcome />;
  else if (list.total === 0 && list.shownFilter) empty = <Text dimColor>{`No ${noun[1]} match this filter. / edits it; Ctrl+U in the filter clears it.`}</Text>;
  else if (list.total === 0) empty = <Text dimColor>{`No ${noun[1]} yet.`}</Text>;

  const cursor = list.cursor - list.rowsOffset;
  return (
    <Box flexDirection="column">
      {titleLine}
      {filterLine}
      <Table
        columns={columns}
        rows={denied ? [] : list.rows}
        rowKey={(r) => rowId(entity, r)}
        cursor={cursor}
        marked={list.marked}
        width={size.columns}
        height={height}
        empty={empty}
        {...(dimRow ? { dimRow } : {})}
      />
    </Box>
  );
}
