/**
 * Importing a token file from the TUI, as `factordesk tokens import|receive` does: a form (the file, its format, a
 * Duo CSV's type, a PSKC password); the file is read here and its text sent for a dry run, which shows what would be
 * imported or every bad row and changes nothing; a second Enter sends the same text to the hub, and the dialog
 * follows the hub's request until it is done (the tokens list then updates through its live view) or failed.
 */
import type { StateCreator } from 'zustand/vanilla';
import { isAnswered } from '../../src/domain/request.js';
import { invalid } from '../../src/errors.js';
import type { ImportOutcome, RequestView } from '../../src/rpc/contract.js';
import { formModal } from './dialog-slice.js';
import { errorHint, errorMessage } from './feedback.js';
import { plural } from './rows.js';
import { importFields, importParams, importWindow, importedCount, initialImportValues, requestErrors, unreadableFile } from './token-import.js';
import { followRequest } from './request-follow.js';
import type { ImportModal, TokenImportParams } from './types.js';
import { resolveReportPath } from './view-actions-slice.js';
import type { AppDeps, AppState } from './store.js';

export interface TokenImportSlice {
  /** Opens the import form (`vendor`: receive d1 tokens), with earlier values when going back to it. */
  openTokenImport(vendor: boolean, values?: Readonly<Record<string, string>>): void;
  /** Enter: import what the dry run showed; from a bad file, back to the form; once the request is made, close. */
  importNext(): Promise<void>;
  /** Esc: back to the form while nothing was sent; once the request is made, close (it keeps running). */
  importBack(): void;
  /** Scrolls the rows or errors. */
  importScroll(delta: number): void;
}


/** The token import slice. */
export function tokenImportSlice(deps: AppDeps): StateCreator<AppState, [], [], TokenImportSlice> {
  const { client } = deps;
  return (set, get) => {
    let dialogs = 0;
    const current = (id: number): ImportModal | null => {
      const m = get().modal;
      return m?.kind === 'import' && m.id === id ? m : null;
    };
    const update = (id: number, patch: Partial<ImportModal>) => {
      const m = current(id);
      if (m) set({ modal: { ...m, ...patch } });
    };
    const send = (vendor: boolean, params: TokenImportParams, extra: { dryRun: true } | { wait: number }): Promise<ImportOutcome> => {
      if (vendor) {
        const { type: _type, ...rest } = params;
        return client.request('tokens.receive', { ...rest, ...extra });
      }
      return client.request('tokens.import', { ...params, ...extra });
    };

    /** Follows the hub's request until it is answered or the dialog is closed. */
    const follow = async (id: number, first: RequestView): Promise<void> => {
      let request: RequestView | undefined;
      try {
        request = await followRequest(client, first, () => current(id) !== null, (r) => update(id, { request: r }));
      } catch (e) {
        update(id, { error: { message: errorMessage(e), ...hintOf(e) } });
        return;
      }
      if (request) finished(id, request);
    };

    /** Puts the answer in the dialog, and on the message line for when the dialog is closed. */
    const finished = (id: number, request: RequestView) => {
      const m = current(id);
      if (!m) return;
      const next: ImportModal = { ...m, request, errors: requestErrors(request), scroll: 0 };
      set({ modal: next });
      if (request.status === 'done') {
        get().showFlash(`${m.vendor ? 'Received' : 'Imported'} ${plural(importedCount(next), 'token')} from ${m.params.filename ?? m.file}.`, 'ok');
      }
    };

    return {
      openTokenImport(vendor, values) {
        get().openModal(
          formModal({
            title: vendor ? 'Receive vendor tokens (Duo-D100) from a file' : 'Import hardware tokens from a file',
            lines: [
              vendor ? 'The file that came with purchased tokens; they become d1 tokens.' : 'Duo CSV, OATH CSV, a YubiKey personalization log or PSKC.',
              'Enter checks the whole file first (dry run): nothing changes yet.',
            ],
            fields: importFields(vendor, deps.cwd),
            values: { ...initialImportValues(), ...values },
            submitLabel: 'check the file (dry run)',
            async submit(form) {
              if (!form.path) throw invalid('Give the path of the token file.');
              const file = resolveReportPath(form.path, deps.cwd, deps.homeDir);
              let content: string;
              try {
                content = deps.readFile(file);
              } catch (e) {
                throw unreadableFile(file, e);
              }
              const params = importParams(form, content, file, vendor);
              // A refusal (role, an empty file, a lost daemon) keeps the form open with the reason.
              const outcome = await send(vendor, params, { dryRun: true });
              const modal: ImportModal = {
                kind: 'import',
                vendor,
                id: ++dialogs,
                values: form,
                file,
                params,
                step: outcome.outcome === 'invalid' ? 'invalid' : 'preview',
                format: outcome.format,
                summary: outcome.outcome === 'invalid' ? null : outcome.summary,
                errors: outcome.outcome === 'invalid' ? outcome.errors : [],
                request: null,
                busy: false,
                error: null,
                scroll: 0,
              };
              set({ modal });
            },
          }),
        );
      },

      async importNext() {
        const m = get().modal;
        if (m?.kind !== 'import') return;
        if (m.step === 'invalid') {
          get().importBack();
          return;
        }
        if (m.step === 'request') {
          get().closeModal();
          return;
        }
        if (m.busy) return;
        const { id } = m;
        update(id, { busy: true, error: null });
        let outcome: ImportOutcome;
        try {
          outcome = await send(m.vendor, m.params, { wait: 0 });
        } catch (e) {
          // The hub away (UNAVAILABLE) or a refusal: the preview stays, and Enter tries again.
          update(id, { busy: false, error: { message: errorMessage(e), ...hintOf(e) } });
          return;
        }
        if (outcome.outcome === 'invalid') {
          // The replica changed since the dry run (a serial imported meanwhile).
          update(id, { busy: false, step: 'invalid', format: outcome.format, errors: outcome.errors, scroll: 0 });
          return;
        }
        if (outcome.outcome === 'dry-run') {
          update(id, { busy: false, summary: outcome.summary });
          return;
        }
        update(id, { busy: false, step: 'request', summary: outcome.summary, request: outcome.request, scroll: 0 });
        if (isAnswered(outcome.request)) finished(id, outcome.request);
        else await follow(id, outcome.request);
      },

      importBack() {
        const m = get().modal;
        if (m?.kind !== 'import') return;
        if (m.step === 'request') {
          get().closeModal();
          return;
        }
        if (m.busy) return;
        get().openTokenImport(m.vendor, m.values);
      },

      importScroll(delta) {
        const m = get().modal;
        if (m?.kind !== 'import') return;
        const { maxScroll, scroll } = importWindow(m, get().size, get().hub.state === 'online');
        const next = Math.min(maxScroll, Math.max(0, scroll + delta));
        if (next !== m.scroll) set({ modal: { ...m, scroll: next } });
      },
    };
  };
}

function hintOf(e: unknown): { hint?: string } {
  const hint = errorHint(e);
  return hint ? { hint } : {};
}
