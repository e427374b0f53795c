/**
 * 7 Conflicts: every automatic resolution with both sides, and re-applying one's own side. Conflicts only
 * arise between replicas, so until a hub is configured this screen says so (and lights up with the hub).
 */
import React from 'react';
import { Box, Text } from 'ink';
import { useAppStore } from '../../hooks/use-app-store.js';

/** See the file comment. */
export function ConflictsScreen() {
  const hubReason = useAppStore((s) => s.hubReason());
  return (
    <Box flexDirection="column">
      <Text bold>Conflicts</Text>
      <Text> </Text>
      {hubReason ? (
        <>
          <Text wrap="wrap">No hub is configured, so there is nothing to reconcile: this daemon is local only and every edit is final.</Text>
          <Text> </Text>
          <Text dimColor wrap="wrap">
            With a hub, concurrent edits by several administrators merge by the written policy. Each automatic resolution
            shows here with both sides (yours and the one kept), and r re-applies your side.
          </Text>
          <Text> </Text>
          <Text dimColor wrap="truncate">{`r re-apply my side — unavailable: ${hubReason}.`}</Text>
        </>
      ) : (
        <Text>No unresolved conflicts.</Text>
      )}
    </Box>
  );
}
