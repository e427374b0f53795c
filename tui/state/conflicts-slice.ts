/**
 * The conflicts screen's state: the daemon's recorded resolutions (`sync.conflicts`, both sides of each), the
 * cursor over them, and settling the selected one: re-applying this replica's lost side, or accepting the outcome.
 */
import type { StateCreator } from 'zustand/vanilla';
import { CONFLICT_RULE_LABELS } from '../../src/conflict-policy/record.js';
import { reapplyActions } from '../../src/conflict-policy/reapply.js';
import type { ConflictView } from '../../src/rpc/contract.js';
import { confirmModal } from './dialog-slice.js';
import { errorMessage } from './feedback.js';
import { moveCursor, type ListMove } from './list-movement.js';
import type { AppDeps, AppState } from './store.js';

/** How many records the screen asks for (newest first). */
export const CONFLICTS_LIMIT = 1000;

export interface ConflictsState {
  rows: ConflictView[];
  loaded: boolean;
  error: string | null;
  cursor: number;
  offset: number;
}

export interface ConflictsSlice {
  conflicts: ConflictsState;
  /** Fetches the records (again), keeping the cursor on the same record when it is still there. */
  loadConflicts(): Promise<void>;
  moveConflicts(move: ListMove, pageSize: number): void;
  currentConflict(): ConflictView | undefined;
  /** Why the selected conflict cannot be re-applied or accepted now, or undefined. */
  conflictRefusal(accept: boolean): string | undefined;
  /** Asks, then re-applies the selected conflict's lost side (or, with `accept`, keeps the outcome). */
  settleConflict(accept: boolean): void;
}

const WHAT: Record<string, string> = { phones: 'device', users: 'user', tokens: 'token', u2f: 'U2F registration', admins: 'administrator', audit: 'audit event' };

/** "device DP…" */
export function conflictEntity(c: Pick<ConflictView, 'collection_name' | 'doc_id'>): string {
  return `${WHAT[c.collection_name] ?? c.collection_name} ${c.doc_id}`;
}

const parse = (json: string): unknown => {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
};

const isFields = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One value as people read it: text without quotes, nothing as "—", the rest as compact JSON. */
function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A side's JSON as people read it; a side of several fields as `field: value, …`. */
export function sideText(json: string): string {
  const value = parse(json);
  if (isFields(value)) return Object.entries(value).map(([k, v]) => `${k}: ${valueText(v)}`).join(', ');
  return valueText(value);
}

/** Both sides in words; for several fields only those where the sides differ (the rest are the same on both). */
export function conflictSides(c: Pick<ConflictView, 'kept' | 'lost'>): { kept: string; lost: string } {
  const kept = parse(c.kept);
  const lost = parse(c.lost);
  if (!isFields(kept) || !isFields(lost)) return { kept: sideText(c.kept), lost: sideText(c.lost) };
  const keys = [...new Set([...Object.keys(kept), ...Object.keys(lost)])].filter((k) => JSON.stringify(kept[k]) !== JSON.stringify(lost[k]));
  if (keys.length === 0) return { kept: sideText(c.kept), lost: sideText(c.lost) };
  const text = (side: Record<string, unknown>) => keys.map((k) => `${k}: ${valueText(side[k])}`).join(', ');
  return { kept: text(kept), lost: text(lost) };
}

/** What the rule did, in words. */
export function ruleText(c: Pick<ConflictView, 'rule'>): string {
  return CONFLICT_RULE_LABELS[c.rule] ?? c.rule;
}

const EMPTY: ConflictsState = { rows: [], loaded: false, error: null, cursor: 0, offset: 0 };

/** The conflicts slice. */
export function conflictsSlice(deps: AppDeps): StateCreator<AppState, [], [], ConflictsSlice> {
  const { client } = deps;
  return (set, get) => ({
    conflicts: EMPTY,

    async loadConflicts() {
      try {
        const rows = await client.request('sync.conflicts', { limit: CONFLICTS_LIMIT });
        const { conflicts } = get();
        const selected = conflicts.rows[conflicts.cursor]?.conflict_id;
        const found = rows.findIndex((r) => r.conflict_id === selected);
        const cursor = found >= 0 ? found : Math.min(conflicts.cursor, Math.max(0, rows.length - 1));
        set({ conflicts: { ...conflicts, rows, loaded: true, error: null, cursor, offset: Math.min(conflicts.offset, cursor) } });
      } catch (e) {
        set({ conflicts: { ...get().conflicts, loaded: true, error: errorMessage(e) } });
      }
    },

    moveConflicts(move, pageSize) {
      const c = get().conflicts;
      const next = moveCursor({ cursor: c.cursor, offset: c.offset, total: c.rows.length, pageSize }, move);
      set({ conflicts: { ...c, cursor: next.cursor, offset: next.offset } });
    },

    currentConflict() {
      const c = get().conflicts;
      return c.rows[c.cursor];
    },

    conflictRefusal(accept) {
      const s = get();
      const hub = s.hubReason();
      if (hub) return hub;
      const c = s.currentConflict();
      if (!c) return 'No conflict selected';
      if (c.state === 'kept-both') return 'Nothing of yours was lost here: both sides were kept';
      if (c.state !== 'open') return `Already settled (${c.state})`;
      if (accept) return undefined;
      return reapplyActions(c).map((a) => s.denied(a)).find((r) => r !== undefined);
    },

    settleConflict(accept) {
      const c = get().currentConflict();
      if (!c) return;
      const where = `${conflictEntity(c)} · ${c.field}`;
      const sides = conflictSides(c);
      get().openModal(
        confirmModal({
          title: accept ? 'Keep the outcome as it is?' : 'Re-apply your side?',
          lines: [
            where,
            `Now (kept): ${sides.kept}`,
            `Yours (lost): ${sides.lost}`,
            accept
              ? 'Nothing changes; the conflict stops counting as unresolved.'
              : 'Your side is applied as a new edit now, with your role, and synced like any edit.',
          ],
          confirmLabel: accept ? 'Keep it' : 'Re-apply',
          danger: false,
          async run() {
            await client.request('sync.reapply', { conflict_id: c.conflict_id, ...(accept ? { accept: true } : {}) });
            get().showFlash(accept ? `Kept the outcome of ${where}.` : `Re-applied your side of ${where}.`, 'ok');
            await get().loadConflicts();
          },
        }),
      );
    },
  });
}
