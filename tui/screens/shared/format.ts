/** How values read in tables and properties: short relative times, yes/no for Duo's three-state flags. */

/** "now", "5m", "3h", "12d", "4mo", "2y" since an ISO time; "never" when empty. */
export function ago(iso: string, now: number): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '?';
  const s = Math.max(0, (now - t) / 1000);
  if (s < 60) return 'now';
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  if (s < 86_400 * 60) return `${Math.floor(s / 86_400)}d`;
  if (s < 86_400 * 730) return `${Math.floor(s / (86_400 * 30))}mo`;
  return `${Math.floor(s / (86_400 * 365))}y`;
}

/** Duo's Encrypted/Unencrypted/Unknown style flags as yes / no / ?. */
export function tri(value: string, yes: string, no: string): 'yes' | 'no' | '?' {
  return value === yes ? 'yes' : value === no ? 'no' : '?';
}

/** A date (UTC) from epoch milliseconds: 2024-05-01 14:30. */
export function dateTime(ms: number): string {
  return ms ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : '';
}

/** A day (UTC) from epoch milliseconds. */
export function day(ms: number): string {
  return ms ? new Date(ms).toISOString().slice(0, 10) : '';
}
