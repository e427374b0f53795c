/**
 * The one root key handler: a key is looked up in the active scopes, innermost first; the first binding
 * found runs, or says why it cannot. Keys no binding takes type into the open text field, if there is one.
 */
import type { AppStore } from '../state/store.js';
import { flashError } from '../state/feedback.js';
import { BINDINGS, type Binding } from './bindings.js';
import { isPrintable, keyText, type KeyName } from './keys.js';
import { acceptsText, activeScopes, type Scope } from './scopes.js';

type KeyIndex = ReadonlyMap<Scope, ReadonlyMap<KeyName, Binding>>;

/** Scope → key → binding (the first one, if a table binds a key twice; a test forbids that). */
export function indexBindings(bindings: readonly Binding[]): KeyIndex {
  const index = new Map<Scope, Map<KeyName, Binding>>();
  for (const b of bindings) {
    let keys = index.get(b.scope);
    if (!keys) index.set(b.scope, (keys = new Map()));
    for (const k of b.keys) if (!keys.has(k)) keys.set(k, b);
  }
  return index;
}

const DEFAULT_INDEX = indexBindings(BINDINGS);

/** The binding a key runs in these scopes. */
export function findBinding(scopes: readonly Scope[], key: KeyName, index: KeyIndex = DEFAULT_INDEX): Binding | undefined {
  for (const scope of scopes) {
    const b = index.get(scope)?.get(key);
    if (b) return b;
  }
  return undefined;
}

/** Handles one key. */
export function dispatchKey(store: AppStore, key: KeyName, index: KeyIndex = DEFAULT_INDEX): void {
  const state = store.getState();
  const scopes = activeScopes(state);
  const binding = findBinding(scopes, key, index);
  if (!binding) {
    if (acceptsText(scopes) && isPrintable(key)) state.insertText(keyText(key));
    return;
  }
  // A new key on a screen replaces the last message; in dialogs it stays as context.
  if (!state.modal) state.clearFlash();
  const current = store.getState();
  const reason = binding.disabledReason?.(current);
  if (reason) {
    current.showFlash(`${binding.label}: ${reason}`, 'error');
    return;
  }
  try {
    const result = binding.run({ store, state: current });
    if (result instanceof Promise) result.catch((e: unknown) => flashError(store.getState(), e));
  } catch (e) {
    flashError(store.getState(), e);
  }
}

/** Handles the keys of one input event in order (a burst counts as several keys). */
export function dispatchKeys(store: AppStore, keys: readonly KeyName[]): void {
  for (const key of keys) dispatchKey(store, key);
}
