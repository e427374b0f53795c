/**
 * Actions on a whole view: export it (its filter and sort) to a CSV or JSON file this process writes, copy
 * it as a `factordesk://` link, change its order, and load the demo data into an empty replica.
 */
import path from 'node:path';
import type { StateCreator } from 'zustand/vanilla';
import { FactordeskError } from '../../src/errors.js';
import { viewToLink } from '../../src/link.js';
import type { AuditRow, EntityName } from '../../src/rpc/contract.js';
import { formModal } from './dialog-slice.js';
import { errorMessage, flashError } from './feedback.js';
import { plural, rowId } from './rows.js';
import { nextSort, reversedSort, sortLabel } from './sort-keys.js';
import type { AppDeps, AppState } from './store.js';

export interface ViewActionsSlice {
  exportView(entity: EntityName): void;
  copyLink(entity: EntityName): void;
  cycleSort(entity: EntityName): void;
  reverseSort(entity: EntityName): void;
  loadDemo(): Promise<void>;
  showAuditEvent(row: AuditRow): void;
}

const EXTENSIONS = { csv: '.csv', json: '.json' } as const;

/** `factordesk-devices-20240501-1430.csv`: a default report name that does not overwrite the last one. */
export function defaultReportName(entity: EntityName, format: 'csv' | 'json', now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}`;
  return `factordesk-${entity}-${stamp}${EXTENSIONS[format]}`;
}

/** Where a typed path points: `~` is the home directory, relative paths start at the working directory. */
export function resolveReportPath(typed: string, cwd: string, home: string): string {
  const t = typed.trim();
  if (t === '~' || t.startsWith('~/')) return path.join(home, t.slice(1));
  return path.resolve(cwd, t);
}

/** The view actions slice. */
export function viewActionsSlice(deps: AppDeps): StateCreator<AppState, [], [], ViewActionsSlice> {
  const { client } = deps;
  return (set, get) => ({
    exportView(entity) {
      const list = get().lists[entity];
      const spec = { entity, filter: list.filter, ...(list.sort ? { sort: list.sort } : {}) };
      const now = new Date(deps.now());
      get().openModal(
        formModal({
          title: `Export ${entity} to a file`,
          lines: [
            `filter: ${list.filter || '(none)'} · order: ${sortLabel(entity, list.sort)}`,
            `Relative paths start at ${deps.cwd}`,
          ],
          fields: [
            {
              name: 'format',
              label: 'Format',
              kind: 'choice',
              choices: [
                { value: 'csv', label: 'CSV' },
                { value: 'json', label: 'JSON' },
              ],
              hint: '←/→ to change',
            },
            { name: 'path', label: 'File', kind: 'text', hint: 'Backspace edits, Ctrl+U clears' },
          ],
          values: { format: 'csv', path: defaultReportName(entity, 'csv', now) },
          submitLabel: 'Export',
          derive(values, changed, previous) {
            // The extension follows the format as long as the name was not typed over.
            if (changed !== 'format') return values;
            const from = EXTENSIONS[(previous.format ?? 'csv') as 'csv' | 'json'];
            const to = EXTENSIONS[(values.format ?? 'csv') as 'csv' | 'json'];
            const p = values.path ?? '';
            return p.endsWith(from) ? { ...values, path: p.slice(0, -from.length) + to } : values;
          },
          async submit(values) {
            const format = values.format === 'json' ? 'json' : 'csv';
            if (!values.path) throw new FactordeskError('INVALID_INPUT', 'Give a file to write the report to.');
            const file = resolveReportPath(values.path, deps.cwd, deps.homeDir);
            const report = await client.request('report.export', { spec, format });
            try {
              deps.writeFile(file, report.content);
            } catch (e) {
              throw new FactordeskError('INVALID_INPUT', `Cannot write ${file}: ${errorMessage(e)}`, { cause: e });
            }
            get().showFlash(`Exported ${plural(report.rows, 'row')} of ${entity} to ${file}`, 'ok');
          },
        }),
      );
    },

    copyLink(entity) {
      const list = get().lists[entity];
      const row = get().currentRow(entity);
      let link: string;
      try {
        link = viewToLink({
          entity,
          filter: list.filter,
          ...(list.sort ? { sort: list.sort } : {}),
          ...(row ? { selected: rowId(entity, row) } : {}),
        });
      } catch (e) {
        flashError(get(), e);
        return;
      }
      deps.copy(link);
      get().openModal({
        kind: 'notice',
        title: 'Link to this view',
        lines: [
          link,
          '',
          'Copied to the clipboard (OSC 52: works over SSH where the terminal allows it).',
          `Reopen it with: factordesk open '${link}'`,
        ],
      });
    },

    cycleSort(entity) {
      const next = nextSort(entity, get().lists[entity].sort);
      get().setSort(entity, next);
      get().showFlash(`Sorted by ${sortLabel(entity, next)}`);
    },

    reverseSort(entity) {
      const next = reversedSort(entity, get().lists[entity].sort);
      get().setSort(entity, next);
      get().showFlash(`Sorted by ${sortLabel(entity, next)}`);
    },

    async loadDemo() {
      get().showFlash('Loading the small demo data set…');
      try {
        const counts = await client.request('demo.load', { size: 'small' });
        get().showFlash(
          `Loaded demo data: ${plural(counts.users, 'user')}, ${plural(counts.phones, 'device')}, ${plural(counts.tokens, 'token')}, ` +
            `${counts.u2f} U2F, ${plural(counts.admins, 'administrator')}.`,
          'ok',
        );
      } catch (e) {
        flashError(get(), e);
      }
    },

    showAuditEvent(row) {
      get().openModal({
        kind: 'notice',
        title: `Audit event ${row.event_id}`,
        lines: [
          `Time:          ${new Date(row.time).toISOString().replace('T', ' ').slice(0, 19)} UTC`,
          `Administrator: ${row.admin_name} (${row.admin_id})`,
          `Action:        ${row.action}`,
          `Record:        ${row.entity} ${row.entity_id}`,
          '',
          row.summary,
        ],
      });
    },
  });
}
