/** Follows the terminal's size into the store (the list windows and the frame height depend on it). */
import { useEffect } from 'react';
import { useStdout } from 'ink';
import { useStoreApi } from './use-app-store.js';

/** Reads the size on mount and on every resize; `fixed` (tests) keeps the store's size as it is. */
export function useTerminalSize(fixed: boolean): void {
  const store = useStoreApi();
  const { stdout } = useStdout();
  useEffect(() => {
    if (fixed) return;
    const update = () => {
      if (stdout.columns && stdout.rows) store.getState().setSize({ columns: stdout.columns, rows: stdout.rows });
    };
    update();
    stdout.on('resize', update);
    return () => {
      stdout.off('resize', update);
    };
  }, [fixed, stdout, store]);
}
