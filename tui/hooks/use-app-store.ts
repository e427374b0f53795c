/** The store and client as React sees them: one context, and a selector hook per value read. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from '../state/store.js';
import type { DaemonClient } from '../rpc-client-types.js';

export interface AppContextValue {
  store: AppStore;
  client: DaemonClient;
}

export const AppContext = createContext<AppContextValue | null>(null);

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('AppContext is missing: render inside <AppContext.Provider>');
  return value;
}

/** One value of the state; the component renders again only when it changes. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector);
}

/** The store itself, for handlers that act on it. */
export function useStoreApi(): AppStore {
  return useAppContext().store;
}

/** The daemon client, for subscriptions. */
export function useClient(): DaemonClient {
  return useAppContext().client;
}
