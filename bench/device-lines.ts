/**
 * The devices as text lines for fzf: one line per device with the fields the daemon's free-text filter searches
 * (src/filter/indexed-row.ts: name, number, extension, platform, os, model, type, id and usernames), separated by
 * tabs so that, as in the daemon (which separates fields by newlines), no search word can match across two fields.
 */
import { PLATFORM_LABELS } from '../src/domain/enums.js';
import type { DeviceRow } from '../src/rpc/contract.js';
import type { DaemonClient } from '../tui/rpc-client-types.js';

const PAGE = 1000;

/** One device as one line. */
export function deviceLine(row: DeviceRow): string {
  const fields = [
    row.name,
    row.number,
    row.extension,
    PLATFORM_LABELS[row.platform] ?? row.platform,
    row.os_family,
    row.os_version,
    row.model,
    row.type,
    row.phone_id,
    ...row.user_refs.map((r) => r.username),
  ];
  return fields
    .filter((f) => f !== '')
    .map((f) => f.replace(/[\t\n]/g, ' '))
    .join('\t');
}

/** Every device of the daemon's devices view, in its default order, as lines (paged through `view.query`). */
export async function exportDeviceLines(client: DaemonClient): Promise<string[]> {
  const lines: string[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await client.request('view.query', { entity: 'devices', window: { offset, limit: PAGE } });
    for (const row of page.rows as DeviceRow[]) lines.push(deviceLine(row));
    if (offset + PAGE >= page.total) return lines;
  }
}
