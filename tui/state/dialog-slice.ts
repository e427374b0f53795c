/**
 * The one dialog that may be open over a screen (help, command palette, filter line, confirmation, form,
 * picker, notice) and the editing of its text. While a dialog is open it receives every key.
 */
import type { StateCreator } from 'zustand/vanilla';
import { isFactordeskError } from '../../src/errors.js';
import type { EntityName, ViewUpdate } from '../../src/rpc/contract.js';
import { moveCursor, type ListMove } from './list-movement.js';
import type { FormField, Modal } from './types.js';
import type { AppState } from './store.js';

export interface DialogSlice {
  modal: Modal | null;
  openModal(modal: Modal): void;
  closeModal(): void;
  /** Types text into the dialog's text field (the filter, a query, the focused form field). */
  insertText(text: string): void;
  deleteBack(): void;
  deleteWord(): void;
  clearText(): void;
  openFilter(entity: EntityName): void;
  /** Esc on the filter line: the filter goes back to what it was. */
  cancelFilter(): void;
  formFocus(delta: number): void;
  /** Steps a choice field through its choices. */
  formCycle(delta: number): void;
  submitForm(): Promise<void>;
  confirmModal(): Promise<void>;
  paletteMove(delta: number): void;
  helpScroll(delta: number): void;
  pickerMove(move: ListMove, pageSize: number): void;
  pickerChoose(): Promise<void>;
  applyPickerUpdate(update: ViewUpdate): void;
  pickerRefused(error: unknown): void;
}

/** The fields of a form that apply to its current values. */
export function visibleFields(modal: Extract<Modal, { kind: 'form' }>): FormField[] {
  return modal.fields.filter((f) => f.visible?.(modal.values) ?? true);
}

/** The values a form submits: only those of visible fields, trimmed. */
export function submittedValues(modal: Extract<Modal, { kind: 'form' }>): Record<string, string> {
  return Object.fromEntries(visibleFields(modal).map((f) => [f.name, (modal.values[f.name] ?? '').trim()]));
}

/** A form's values with one changed, and whatever its `derive` adjusts with it. */
function withValue(m: Extract<Modal, { kind: 'form' }>, name: string, value: string): Record<string, string> {
  const values = { ...m.values, [name]: value };
  return m.derive ? m.derive(values, name, m.values) : values;
}

const message = (e: unknown): string => (isFactordeskError(e) ? e.userMessage + (e.hint ? ` (${e.hint})` : '') : e instanceof Error ? e.message : String(e));

/** The dialog slice. */
export function dialogSlice(): StateCreator<AppState, [], [], DialogSlice> {
  return (set, get) => {
    const modalOf = <K extends Modal['kind']>(kind: K): Extract<Modal, { kind: K }> | null => {
      const m = get().modal;
      return m && m.kind === kind ? (m as Extract<Modal, { kind: K }>) : null;
    };
    /** Applies an edit to the current text field. */
    const editText = (edit: (text: string) => string) => {
      const m = get().modal;
      if (!m) return;
      switch (m.kind) {
        case 'filter':
          get().setFilter(m.entity, edit(get().lists[m.entity].filter));
          return;
        case 'palette':
          set({ modal: { ...m, query: edit(m.query), cursor: 0 } });
          return;
        case 'picker':
          set({ modal: { ...m, query: edit(m.query), view: { ...m.view, cursor: 0, offset: 0 } } });
          return;
        case 'form': {
          const field = visibleFields(m)[m.focus];
          if (!field || field.kind !== 'text') return;
          set({ modal: { ...m, values: withValue(m, field.name, edit(m.values[field.name] ?? '')), error: null } });
          return;
        }
        default:
          return;
      }
    };

    return {
      modal: null,

      openModal(modal) {
        set({ modal });
      },

      closeModal() {
        if (get().modal) set({ modal: null });
      },

      insertText(text) {
        const m = get().modal;
        if (m?.kind === 'form') {
          const field = visibleFields(m)[m.focus];
          if (field?.kind === 'choice') {
            if (text === ' ') {
              get().formCycle(1);
              return;
            }
            // Typing on a choice picks the first choice whose label starts with the letter; typing it
            // again steps to the next one.
            const choices = field.choices ?? [];
            const lower = text.toLowerCase();
            const starts = (c: { value: string; label: string }) => c.label.toLowerCase().startsWith(lower) || c.value.startsWith(lower);
            const currentIndex = choices.findIndex((c) => c.value === m.values[field.name]);
            const current = currentIndex >= 0 && starts(choices[currentIndex]!) ? currentIndex : -1;
            for (let step = 1; step <= choices.length; step++) {
              const c = choices[(current + step + choices.length) % choices.length]!;
              if (starts(c)) {
                set({ modal: { ...m, values: withValue(m, field.name, c.value), error: null } });
                return;
              }
            }
            return;
          }
        }
        editText((t) => t + text);
      },

      deleteBack() {
        editText((t) => Array.from(t).slice(0, -1).join(''));
      },

      deleteWord() {
        editText((t) => t.replace(/\S*\s*$/, ''));
      },

      clearText() {
        editText(() => '');
      },

      openFilter(entity) {
        set({ modal: { kind: 'filter', entity, before: get().lists[entity].filter } });
      },

      cancelFilter() {
        const m = modalOf('filter');
        if (!m) return;
        get().setFilter(m.entity, m.before);
        set({ modal: null });
      },

      formFocus(delta) {
        const m = modalOf('form');
        if (!m) return;
        const count = visibleFields(m).length;
        set({ modal: { ...m, focus: (m.focus + delta + count) % count } });
      },

      formCycle(delta) {
        const m = modalOf('form');
        if (!m) return;
        const field = visibleFields(m)[m.focus];
        if (!field || field.kind !== 'choice' || !field.choices?.length) return;
        const choices = field.choices;
        const i = choices.findIndex((c) => c.value === m.values[field.name]);
        const next = choices[(i + delta + choices.length) % choices.length]!;
        set({ modal: { ...m, values: withValue(m, field.name, next.value), error: null } });
      },

      async submitForm() {
        const m = modalOf('form');
        if (!m || m.busy) return;
        set({ modal: { ...m, busy: true, error: null } });
        try {
          await m.submit(submittedValues(m));
          if (get().modal === null || get().modal?.kind !== 'form') return;
          const now = modalOf('form');
          if (now && now.submit === m.submit) set({ modal: null });
        } catch (e) {
          const now = modalOf('form');
          if (now && now.submit === m.submit) set({ modal: { ...now, busy: false, error: message(e) } });
        }
      },

      async confirmModal() {
        const m = modalOf('confirm');
        if (!m || m.busy) return;
        set({ modal: { ...m, busy: true } });
        try {
          await m.run();
        } catch (e) {
          get().showFlash(isFactordeskError(e) ? e.userMessage : message(e), 'error', isFactordeskError(e) ? e.hint : undefined);
        } finally {
          if (modalOf('confirm')?.run === m.run) set({ modal: null });
        }
      },

      paletteMove(delta) {
        const m = modalOf('palette');
        if (m) set({ modal: { ...m, cursor: Math.max(0, m.cursor + delta) } });
      },

      helpScroll(delta) {
        const m = modalOf('help');
        if (m) set({ modal: { ...m, scroll: Math.max(0, m.scroll + delta) } });
      },

      pickerMove(move, pageSize) {
        const m = modalOf('picker');
        if (!m) return;
        const next = moveCursor({ cursor: m.view.cursor, offset: m.view.offset, total: m.view.total, pageSize }, move);
        set({ modal: { ...m, view: { ...m.view, cursor: next.cursor, offset: next.offset } } });
      },

      async pickerChoose() {
        const m = modalOf('picker');
        if (!m) return;
        const row = m.view.rows[m.view.cursor - m.view.rowsOffset];
        if (!row) return;
        set({ modal: null });
        try {
          await m.pick(row);
        } catch (e) {
          get().showFlash(isFactordeskError(e) ? e.userMessage : message(e), 'error', isFactordeskError(e) ? e.hint : undefined);
        }
      },

      applyPickerUpdate(update) {
        const m = modalOf('picker');
        if (!m || update.entity !== m.entity) return;
        const cursor = Math.min(m.view.cursor, Math.max(0, update.total - 1));
        const offset = m.view.offset >= update.total ? 0 : m.view.offset;
        set({
          modal: {
            ...m,
            view: { ...m.view, total: update.total, rows: update.rows, rowsOffset: update.offset, offset, cursor, error: null, loaded: true },
          },
        });
      },

      pickerRefused(error) {
        const m = modalOf('picker');
        if (m) set({ modal: { ...m, view: { ...m.view, error: message(error), loaded: true } } });
      },
    };
  };
}

/** A picker dialog over a daemon view, before its first rows arrive. */
export function pickerModal(options: {
  title: string;
  entity: EntityName;
  baseFilter?: string;
  notice?: string;
  pick: Extract<Modal, { kind: 'picker' }>['pick'];
}): Extract<Modal, { kind: 'picker' }> {
  return {
    kind: 'picker',
    title: options.title,
    entity: options.entity,
    query: '',
    baseFilter: options.baseFilter ?? '',
    notice: options.notice ?? null,
    view: { total: 0, offset: 0, rows: [], rowsOffset: 0, cursor: 0, error: null, loaded: false },
    pick: options.pick,
  };
}

/** A confirmation dialog; `run` does the action (its error goes to the message line). */
export function confirmModal(options: {
  title: string;
  lines: readonly string[];
  confirmLabel: string;
  danger?: boolean;
  run(): Promise<void>;
}): Extract<Modal, { kind: 'confirm' }> {
  return { kind: 'confirm', busy: false, danger: options.danger ?? true, ...options };
}

/** A form dialog with its first field focused. */
export function formModal(options: {
  title: string;
  lines?: readonly string[];
  fields: readonly FormField[];
  values: Record<string, string>;
  submitLabel: string;
  submit(values: Readonly<Record<string, string>>): Promise<void>;
  derive?: Extract<Modal, { kind: 'form' }>['derive'];
}): Extract<Modal, { kind: 'form' }> {
  return { kind: 'form', focus: 0, error: null, busy: false, ...options };
}

/** Quotes a filter value when it holds spaces or quotes (`user:="ann marie"`). */
export function filterValue(value: string): string {
  return /[\s"]/.test(value) ? `"${value.replace(/(["\\])/g, '\\$1')}"` : value;
}
