/** How the TUI names the rows of each view: the id the cursor and marks follow, and a label for messages. */
import { phoneLabel } from '../../src/domain/phone.js';
import type { EntityName, RowTypes } from '../../src/rpc/contract.js';

type AnyRow = RowTypes[EntityName];

/** The primary key of a row of `entity`. */
export function rowId(entity: EntityName, row: AnyRow): string {
  switch (entity) {
    case 'devices':
      return (row as RowTypes['devices']).phone_id;
    case 'users':
      return (row as RowTypes['users']).user_id;
    case 'tokens':
      return (row as RowTypes['tokens']).token_id;
    case 'u2f':
      return (row as RowTypes['u2f']).registration_id;
    case 'admins':
      return (row as RowTypes['admins']).admin_id;
    case 'audit':
      return (row as RowTypes['audit']).event_id;
  }
}

/** How a row is named in confirmations and messages. */
export function rowLabel(entity: EntityName, row: AnyRow): string {
  switch (entity) {
    case 'devices':
      return phoneLabel(row as RowTypes['devices']);
    case 'users':
      return (row as RowTypes['users']).username;
    case 'tokens':
      return `token ${(row as RowTypes['tokens']).serial}`;
    case 'u2f': {
      const r = row as RowTypes['u2f'];
      return `${r.kind === 'webauthn' ? 'WebAuthn' : 'U2F'} ${r.credential_name || r.registration_id} of ${r.username}`;
    }
    case 'admins':
      return (row as RowTypes['admins']).name;
    case 'audit':
      return (row as RowTypes['audit']).summary;
  }
}

/** "1 device", "3 devices". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** "alice", "alice and bob", "alice, bob and carol" (long lists end with "and N more"). */
export function listWords(items: readonly string[], max = 5): string {
  if (items.length === 0) return '';
  const shown = items.length > max ? [...items.slice(0, max), `${items.length - max} more`] : [...items];
  if (shown.length === 1) return shown[0]!;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
