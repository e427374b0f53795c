/**
 * How the CLI prints a view: a compact table for people, or the report writers' CSV/JSON for scripts (the same
 * columns as `factordesk report`, so a list piped to a file is a report).
 */
import { PHONE_TYPE_LABELS, PLATFORM_LABELS } from '../../src/domain/enums.js';
import type { EntityName, RowTypes, ViewSpec } from '../../src/rpc/contract.js';
import type { CliContext } from './context.js';
import { formatTable } from './output.js';
import { toCsv } from '../../src/report/csv.js';
import { toJson } from '../../src/report/json.js';

type Column<E extends EntityName> = [header: string, cell: (row: RowTypes[E]) => string];

const date = (ms: number) => (ms ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : '');

/** The table columns of each entity: what a person scanning a list needs, not every field. */
export const TABLE_COLUMNS: { [E in EntityName]: Column<E>[] } = {
  devices: [
    ['PHONE_ID', (r) => r.phone_id],
    ['NAME', (r) => r.name],
    ['NUMBER', (r) => r.number],
    ['TYPE', (r) => PHONE_TYPE_LABELS[r.type]],
    ['PLATFORM', (r) => (r.type === 'landline' ? '' : PLATFORM_LABELS[r.platform])],
    ['OS', (r) => r.os_version],
    ['ENCRYPTED', (r) => r.encrypted],
    ['TAMPERED', (r) => r.tampered],
    ['USERS', (r) => r.user_refs.map((u) => `${u.username}:${u.alias}`).join(',')],
    ['SHARED', (r) => (r.shared ? 'yes' : '')],
  ],
  users: [
    ['USER_ID', (r) => r.user_id],
    ['USERNAME', (r) => r.username],
    ['NAME', (r) => r.realname],
    ['EMAIL', (r) => r.email],
    ['STATUS', (r) => r.status],
    ['PHONES', (r) => String(r.phone_count)],
    ['TOKENS', (r) => String(r.token_count)],
    ['U2F', (r) => String(r.u2f_count)],
  ],
  tokens: [
    ['SERIAL', (r) => r.serial],
    ['TYPE', (r) => r.type],
    ['ORIGIN', (r) => r.origin],
    ['USERS', (r) => r.usernames.join(',')],
    ['ADMINS', (r) => r.admin_names.join(',')],
    ['TOKEN_ID', (r) => r.token_id],
  ],
  u2f: [
    ['REGISTRATION_ID', (r) => r.registration_id],
    ['KIND', (r) => r.kind],
    ['USER', (r) => r.username],
    ['NAME', (r) => r.credential_name || r.label],
    ['ADDED', (r) => date(r.date_added * 1000)],
  ],
  admins: [
    ['ADMIN_ID', (r) => r.admin_id],
    ['NAME', (r) => r.name],
    ['EMAIL', (r) => r.email],
    ['ROLE', (r) => r.role],
    ['STATUS', (r) => r.status],
    ['TOKENS', (r) => r.token_serials.join(',')],
  ],
  audit: [
    ['TIME', (r) => date(r.time)],
    ['ADMIN', (r) => r.admin_name],
    ['ACTION', (r) => r.action],
    ['SUMMARY', (r) => r.summary],
  ],
};

/** Renders rows of one entity as a table. */
export function tableOf<E extends EntityName>(entity: E, rows: RowTypes[E][]): string {
  const columns = TABLE_COLUMNS[entity] as Column<E>[];
  return formatTable(
    columns.map(([h]) => h),
    rows.map((row) => columns.map(([, cell]) => cell(row))),
  );
}

/** Fetches every row of a view (or the first `limit`), a page at a time. */
export async function fetchView<E extends EntityName>(
  ctx: CliContext,
  spec: Omit<ViewSpec, 'window'> & { entity: E },
  limit = Infinity,
): Promise<{ rows: RowTypes[E][]; total: number }> {
  const client = await ctx.client();
  const rows: RowTypes[E][] = [];
  let total = Infinity;
  while (rows.length < Math.min(total, limit)) {
    const page = await client.request('view.query', {
      ...spec,
      window: { offset: rows.length, limit: Math.min(1000, limit - rows.length) },
    });
    total = page.total;
    if (page.rows.length === 0) break;
    rows.push(...(page.rows as RowTypes[E][]));
  }
  return { rows, total: Number.isFinite(total) ? total : rows.length };
}

/** Prints a view in the chosen format: a table for people, the report columns as CSV or JSON for scripts. */
export async function printView<E extends EntityName>(
  ctx: CliContext,
  spec: Omit<ViewSpec, 'window'> & { entity: E },
  limit?: number,
): Promise<void> {
  const { rows, total } = await fetchView(ctx, spec, limit);
  const format = ctx.format();
  if (format === 'csv') ctx.out(toCsv(spec.entity, rows));
  else if (format === 'json') ctx.out(toJson(spec.entity, rows) + '\n');
  else {
    ctx.out(tableOf(spec.entity, rows) + '\n');
    if (total > rows.length) ctx.out(`(${rows.length} of ${total} shown)\n`);
  }
}
