/**
 * A table of fixed-height lines: a header, then one line per row with a gutter (● marked, › cursor). Columns
 * that do not fit the width are dropped, least important first; one flexible column takes the rest. Layout
 * only: the rows, cursor and marks come from the state.
 */
import React, { memo, useMemo } from 'react';
import { Box, Text } from 'ink';
import chalk from 'chalk';
import { cell } from '../layout.js';

export interface Column<R> {
  id: string;
  title: string;
  width: number;
  /** Takes the width left over (the first flexible column). */
  flex?: boolean;
  /** 1 = always shown; higher numbers are dropped first when the terminal is narrow. */
  priority: number;
  align?: 'left' | 'right';
  cell(row: R): string;
  color?(row: R): string | undefined;
}

export interface FittedColumn<R> {
  column: Column<R>;
  width: number;
}

/** Width of the gutter before the first column. */
export const GUTTER = 2;

/** The columns that fit `width`, with their widths (see the file comment). */
export function fitColumns<R>(columns: readonly Column<R>[], width: number): FittedColumn<R>[] {
  let kept = [...columns];
  const needed = (cols: readonly Column<R>[]) => GUTTER + cols.reduce((n, c) => n + c.width, 0) + Math.max(0, cols.length - 1);
  while (kept.length > 1 && needed(kept) > width) {
    const worst = kept.reduce((a, b) => (b.priority > a.priority ? b : a));
    kept = kept.filter((c) => c !== worst);
  }
  const spare = Math.max(0, width - needed(kept));
  const flex = kept.find((c) => c.flex) ?? kept[kept.length - 1];
  return kept.map((c) => ({ column: c, width: c === flex ? c.width + spare : c.width }));
}

interface RowLineProps<R> {
  row: R;
  fitted: readonly FittedColumn<R>[];
  cursor: boolean;
  marked: boolean;
  dim: boolean;
}

/** A named colour (Ink's `color` names are chalk's) applied to text, as a `<Text color>` would. */
function paint(text: string, color: string | undefined): string {
  const style = color ? (chalk as unknown as Record<string, ((s: string) => string) | undefined>)[color] : undefined;
  return typeof style === 'function' ? style(text) : text;
}

/**
 * One row as a single Text holding one coloured string, rather than a Text per cell: a frame of 34 rows was
 * 370 Ink nodes for React to reconcile and Ink to lay out and squash on every keystroke, now 34.
 */
function RowLineImpl<R>({ row, fitted, cursor, marked, dim }: RowLineProps<R>) {
  const gutter = `${marked ? '●' : ' '}${cursor ? '›' : ' '}`;
  let line = marked ? paint(gutter, 'yellow') : gutter;
  for (let i = 0; i < fitted.length; i++) {
    const { column, width } = fitted[i]!;
    line += paint(`${i > 0 ? ' ' : ''}${cell(column.cell(row), width, column.align)}`, column.color?.(row));
  }
  return (
    <Text wrap="truncate" inverse={cursor} dimColor={dim && !cursor}>
      {line}
    </Text>
  );
}

const RowLine = memo(RowLineImpl) as typeof RowLineImpl;

export interface TableProps<R> {
  columns: readonly Column<R>[];
  rows: readonly R[];
  rowKey(row: R): string;
  /** Index into `rows` of the cursor, or -1. */
  cursor: number;
  marked?: Readonly<Record<string, unknown>>;
  width: number;
  /** Lines for rows (the header is extra); short tables are padded so the frame keeps its height. */
  height: number;
  /** Shown instead of rows when there are none. */
  empty?: React.ReactNode;
  dimRow?(row: R): boolean;
}

/** See the file comment. */
export function Table<R>({ columns, rows, rowKey, cursor, marked, width, height, empty, dimRow }: TableProps<R>) {
  const fitted = useMemo(() => fitColumns(columns, width), [columns, width]);
  const header = ' '.repeat(GUTTER) + fitted.map(({ column, width: w }) => cell(column.title, w, column.align)).join(' ');
  const shown = rows.slice(0, height);
  // Clipped vertically only: every line is already cut to the width (wrap="truncate"), and a horizontal clip
  // makes Ink slice each line again on every frame.
  return (
    <Box flexDirection="column" height={height + 1} overflowY="hidden">
      <Text bold wrap="truncate">
        {header}
      </Text>
      {shown.length === 0 && empty ? (
        empty
      ) : (
        shown.map((row, i) => {
          const key = rowKey(row);
          return (
            <RowLine key={key} row={row} fitted={fitted} cursor={i === cursor} marked={marked ? key in marked : false} dim={dimRow?.(row) ?? false} />
          );
        })
      )}
    </Box>
  );
}
