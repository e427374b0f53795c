/**
 * The frame of a properties page: a fixed-height header (title, notice, properties), the table of the items
 * the cursor moves over, and a line of the page's keys. Loading, errors and a record that was deleted are
 * shown in place of the content.
 */
import React, { useMemo } from 'react';
import { Box, Text } from 'ink';
import { Table, type Column } from '../../components/table.js';
import { useAppStore } from '../../hooks/use-app-store.js';
import { PAGE_HEADER, pageRows } from '../../layout.js';
import { detailItems, type DetailItem } from '../../state/detail-items.js';
import { KeyHints } from '../../components/key-hints.js';
import type { Scope } from '../../keymap/scopes.js';

export interface PageFrameProps {
  /** Header lines; cut or padded to the header height. */
  header: React.ReactNode[];
  columns: readonly Column<DetailItem>[];
  itemKey(item: DetailItem): string;
  empty: string;
  /** The scope whose keys the hint line lists. */
  scope: Scope;
}

/** The header lines while details load, or when they cannot be shown (an error, a deleted record). */
export function usePageStateLines(what: string): React.ReactNode[] {
  const detail = useAppStore((s) => s.detail);
  if (detail.gone) {
    return [
      <Text key="gone" bold>{`This ${what} no longer exists.`}</Text>,
      <Text key="why" dimColor>
        It was deleted (here or by another administrator). q or Esc goes back.
      </Text>,
    ];
  }
  if (detail.error) return [<Text key="error" color="red">{detail.error}</Text>];
  return [<Text key="loading" dimColor>Loading…</Text>];
}

/** See the file comment. */
export function PageFrame({ header, columns, itemKey, empty, scope }: PageFrameProps) {
  const detail = useAppStore((s) => s.detail);
  const data = useAppStore((s) => s.detail.data);
  const role = useAppStore((s) => s.role);
  const items = useMemo(() => detailItems(data, role), [data, role]);
  const size = useAppStore((s) => s.size);
  const height = pageRows(size);
  const lines = header.slice(0, PAGE_HEADER);
  while (lines.length < PAGE_HEADER) lines.push(<Text key={`pad-${lines.length}`}> </Text>);
  const visible = items.slice(detail.offset, detail.offset + height);
  return (
    <Box flexDirection="column">
      <Box flexDirection="column" height={PAGE_HEADER} overflow="hidden">
        {lines.map((line, i) => (
          <React.Fragment key={i}>{line}</React.Fragment>
        ))}
      </Box>
      <Table
        columns={columns}
        rows={visible}
        rowKey={itemKey}
        cursor={detail.cursor - detail.offset}
        width={size.columns}
        height={height}
        empty={<Text dimColor>{empty}</Text>}
      />
      <KeyHints scopes={[scope, 'page']} />
    </Box>
  );
}
