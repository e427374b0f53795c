/** The single input handler of the app: every key goes through the keymap table (see keymap/dispatch.ts). */
import { useInput } from 'ink';
import { dispatchKeys } from '../keymap/dispatch.js';
import { keyTokens } from '../keymap/keys.js';
import { useStoreApi } from './use-app-store.js';

/** Installs the root handler. */
export function useKeymap(): void {
  const store = useStoreApi();
  useInput((input, key) => dispatchKeys(store, keyTokens(input, key)));
}
