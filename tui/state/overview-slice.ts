/**
 * How many users, devices and tokens the replica holds (kept live by window-less subscriptions), so that a
 * first run on an empty replica can say what to do next instead of showing empty tables.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { EntityName } from '../../src/rpc/contract.js';
import type { AppState } from './store.js';

/** The entities whose counts tell whether the replica is empty. */
export const OVERVIEW_ENTITIES = ['users', 'devices', 'tokens'] as const satisfies readonly EntityName[];

export interface OverviewSlice {
  counts: Partial<Record<EntityName, number>>;
  setCount(entity: EntityName, total: number): void;
  /** True once every count is known and all are zero. */
  replicaEmpty(): boolean;
}

/** The overview slice. */
export function overviewSlice(): StateCreator<AppState, [], [], OverviewSlice> {
  return (set, get) => ({
    counts: {},
    setCount(entity, total) {
      if (get().counts[entity] !== total) set({ counts: { ...get().counts, [entity]: total } });
    },
    replicaEmpty() {
      const { counts } = get();
      return OVERVIEW_ENTITIES.every((e) => counts[e] === 0);
    },
  });
}
