/** The box every dialog is drawn in: a border, a title, content cut to the body's height, a key line. */
import React from 'react';
import { Box, Text } from 'ink';
import { useAppStore } from '../../hooks/use-app-store.js';
import { bodyHeight, DIALOG_CHROME } from '../../layout.js';

export interface DialogFrameProps {
  title: string;
  tone?: 'normal' | 'danger';
  footer: string;
  /** Content lines, when the dialog is short: the box then fits them instead of taking the whole body. */
  contentLines?: number;
  children: React.ReactNode;
}

/** Width of a dialog on a terminal this wide. */
export function dialogWidth(columns: number): number {
  return Math.min(columns, 100);
}


/** See the file comment. */
export function DialogFrame({ title, tone = 'normal', footer, contentLines, children }: DialogFrameProps) {
  const size = useAppStore((s) => s.size);
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={tone === 'danger' ? 'red' : 'cyan'}
      width={dialogWidth(size.columns)}
      height={contentLines === undefined ? bodyHeight(size) : Math.min(bodyHeight(size), contentLines + DIALOG_CHROME)}
      paddingX={1}
      overflow="hidden"
    >
      <Text bold color={tone === 'danger' ? 'red' : undefined} wrap="truncate">
        {title}
      </Text>
      <Box flexDirection="column" flexGrow={1} overflow="hidden">
        {children}
      </Box>
      <Text dimColor wrap="truncate">
        {footer}
      </Text>
    </Box>
  );
}

/** How many lines text takes when wrapped in a dialog of this terminal width (an estimate for sizing). */
export function wrappedLines(lines: readonly string[], columns: number): number {
  const width = Math.max(10, dialogWidth(columns) - 4);
  return lines.reduce((n, l) => n + Math.max(1, Math.ceil(Array.from(l).length / width)), 0);
}
